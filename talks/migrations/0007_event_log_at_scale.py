"""The event log at a million events (docs/decisions/0011-event-log-at-a-million.md).

1. An index on (classification, occurred_on, id): the clearance gate's OFFICIAL picture
   (`talks.access.visible_events` for a reader without clearance) in the log's date order, so a
   page of it is an index scan from either end, and its ids an index-only scan.
2. On PostgreSQL only, the search document as a stored generated column, `search_vector`
   (title weight A, summary B, quote and speaker C, English configuration), with a GIN index.
   It replaces the expression index of 0003: ranking reads the stored vector instead of parsing
   the text of every match again, and the planner keeps statistics on the column. On other
   databases this step does nothing: search falls back to case-insensitive matching there.
3. On PostgreSQL only, `event_status_rule_idx` (the status rule's partial index) is rebuilt with
   the columns a status lane reads (INCLUDE new_status, precision, classification), so a
   country's status strips are an index-only scan instead of thousands of heap reads. Same name
   and key columns as the model's index; SQLite has no INCLUDE.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations, models

CONFIG = "english"
OLD_INDEX = "event_search_idx"

ADD_COLUMN = f"""
ALTER TABLE talks_talkevent ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('{CONFIG}'::regconfig, coalesce(title, '')), 'A')
    || setweight(to_tsvector('{CONFIG}'::regconfig, coalesce(summary, '')), 'B')
    || setweight(
        to_tsvector('{CONFIG}'::regconfig, coalesce(quote, '') || ' ' || coalesce(speaker, '')),
        'C'
    )
) STORED;
CREATE INDEX event_search_vector_idx ON talks_talkevent USING gin (search_vector);
DROP INDEX IF EXISTS {OLD_INDEX};
"""
DROP_COLUMN = "ALTER TABLE talks_talkevent DROP COLUMN IF EXISTS search_vector;"

STATUS_RULE_INDEX = """
DROP INDEX IF EXISTS event_status_rule_idx;
CREATE INDEX event_status_rule_idx ON talks_talkevent (candidacy_id, occurred_on, id)
    {include}
    WHERE retracted_at IS NULL AND superseded_by_id IS NULL AND NOT (new_status = '');
"""


def _old_index() -> GinIndex:
    vector = (
        SearchVector("title", weight="A", config=CONFIG)
        + SearchVector("summary", weight="B", config=CONFIG)
        + SearchVector("quote", "speaker", weight="C", config=CONFIG)
    )
    return GinIndex(vector, name=OLD_INDEX)


def add_stored_vector(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(ADD_COLUMN)
    schema_editor.execute(
        STATUS_RULE_INDEX.format(include="INCLUDE (new_status, precision, classification)")
    )


def remove_stored_vector(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(DROP_COLUMN)
    schema_editor.execute(STATUS_RULE_INDEX.format(include=""))
    schema_editor.add_index(apps.get_model("talks", "TalkEvent"), _old_index())


class Migration(migrations.Migration):
    dependencies = [("talks", "0006_clearance")]

    operations = [
        migrations.AddIndex(
            model_name="talkevent",
            index=models.Index(
                fields=["classification", "occurred_on", "id"], name="event_picture_date_idx"
            ),
        ),
        migrations.RunPython(add_stored_vector, remove_stored_vector, elidable=False),
    ]
