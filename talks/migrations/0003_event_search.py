"""A GIN index for the event log's full-text search, on PostgreSQL only.

The indexed expression is the one `talks.selectors.event_log.search_vector()` builds (weighted
title, summary, quote and speaker, English configuration), written out here so the migration
does not change if that module does. Django builds the SQL for both, so they match and the
planner uses the index. On other databases this migration does nothing: search falls back to
case-insensitive matching there.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEX_NAME = "event_search_idx"
CONFIG = "english"


def _index() -> GinIndex:
    vector = (
        SearchVector("title", weight="A", config=CONFIG)
        + SearchVector("summary", weight="B", config=CONFIG)
        + SearchVector("quote", "speaker", weight="C", config=CONFIG)
    )
    return GinIndex(vector, name=INDEX_NAME)


def add_search_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.add_index(apps.get_model("talks", "TalkEvent"), _index())


def remove_search_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.remove_index(apps.get_model("talks", "TalkEvent"), _index())


class Migration(migrations.Migration):
    dependencies = [("talks", "0002_groups")]

    operations = [migrations.RunPython(add_search_index, remove_search_index, elidable=False)]
