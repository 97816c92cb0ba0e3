"""Admin for the diplomacy domain. Statuses and history are read-only here: events and status
changes go through `talks.services` (the event log and country pages), never through the admin.

Staff without clearance see the admin through the gate (talks.access) like every other page:
only OFFICIAL events, the sources they may see, the OFFICIAL picture's statuses and versions,
audit rows of OFFICIAL events with OFFICIAL values, and exports that held nothing sensitive.
"""

import datetime
from collections.abc import Sequence
from functools import cached_property
from typing import Any, Literal, cast

from django.contrib import admin
from django.core.paginator import Paginator
from django.db.models import BooleanField, Max, Min, QuerySet, Value
from django.http import HttpRequest

from talks import access
from talks.models import (
    AuditEntry,
    Candidacy,
    ExportLog,
    Scheme,
    Source,
    TalkEvent,
    TalkEventQuerySet,
)
from talks.selectors.paging import count_rows

# Candidacy fields that describe the full picture, and their OFFICIAL-picture counterparts.
FULL_TO_OFFICIAL = {
    "status": "official_status",
    "status_since": "official_status_since",
    "version": "official_version",
}


def _for_reader[T](request: HttpRequest, names: Sequence[T]) -> list[T]:
    """Field names with full-picture fields swapped for OFFICIAL ones for uncleared readers
    (other entries, such as a list filter's class, are kept as they are)."""
    if access.sees_sensitive(request.user):
        return list(names)
    shown: list[T] = []
    for name in names:
        official = cast(T, FULL_TO_OFFICIAL.get(name, name)) if isinstance(name, str) else name
        if official not in shown:
            shown.append(official)
    return shown


class CandidacyInline(admin.TabularInline):
    model = Candidacy
    fields = ["country", "status", "status_since", "last_reviewed_on", "version"]
    readonly_fields = ["status", "status_since", "version"]
    extra = 0
    show_change_link = True

    def get_fields(self, request, obj=None):
        return _for_reader(request, self.fields)

    def get_readonly_fields(self, request, obj=None):
        return _for_reader(request, self.readonly_fields)


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ["name", "sending_country", "model", "announced_on", "ended_on"]
    list_filter = ["model", "sending_country"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CandidacyInline]


@admin.register(Candidacy)
class CandidacyAdmin(admin.ModelAdmin):
    list_display = ["country", "scheme", "status", "status_since", "version"]
    list_filter = ["scheme", "status"]
    search_fields = ["country__name", "scheme__name"]
    fields = ["scheme", "country", "last_reviewed_on", "note"]
    readonly_fields = [
        "status",
        "status_since",
        "official_status",
        "official_status_since",
        "version",
        "official_version",
    ]
    list_select_related = ["country", "scheme"]

    def get_list_display(self, request):
        return _for_reader(request, self.list_display)

    def get_list_filter(self, request):
        return _for_reader(request, self.list_filter)

    def get_fields(self, request, obj=None):
        return [*self.fields, *self.get_readonly_fields(request, obj)]

    def get_readonly_fields(self, request, obj=None):
        if access.sees_sensitive(request.user):
            return self.readonly_fields
        return [name for name in self.readonly_fields if name.startswith("official_")]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["outlet", "title", "published_on", "reliability"]
    list_filter = ["reliability"]
    search_fields = ["outlet", "title", "url"]

    def get_queryset(self, request):
        return access.visible_sources(request.user, super().get_queryset(request))


class EstimatingPaginator(Paginator):
    """Counts up to EXACT_COUNT_LIMIT rows; past that, on PostgreSQL, takes the planner's
    estimate (talks.selectors.paging.count_rows), so a list of a million events is not counted
    on every page."""

    @cached_property
    def count(self) -> int:
        if isinstance(self.object_list, QuerySet):
            return count_rows(self.object_list).value
        return super().count


class YearsByProbe(TalkEventQuerySet):
    """The event list's rows, whose years for the date hierarchy are found by looking each year
    up (one index probe a year between the first event and the last) instead of reading the
    date of every event (`SELECT DISTINCT DATE_TRUNC('year', ...)`)."""

    def dates(
        self,
        field_name: str,
        kind: Literal["year", "month", "week", "day"],
        order: Literal["ASC", "DESC"] = "ASC",
    ) -> Any:
        if kind != "year":
            return super().dates(field_name, kind, order)
        span = self.aggregate(first=Min(field_name), last=Max(field_name))
        if span["first"] is None:
            return []
        years = [
            datetime.date(year, 1, 1)
            for year in range(span["first"].year, span["last"].year + 1)
            if self.filter(
                **{
                    f"{field_name}__gte": datetime.date(year, 1, 1),
                    f"{field_name}__lt": datetime.date(year + 1, 1, 1),
                }
            ).exists()
        ]
        return years if order == "ASC" else years[::-1]


@admin.register(TalkEvent)
class TalkEventAdmin(admin.ModelAdmin):
    """Read-only: events are recorded, corrected and retracted through the services."""

    list_display = [
        "occurred_on",
        "title",
        "scheme",
        "candidacy",
        "kind",
        "new_status",
        "classification",
        "retracted_at",
    ]
    list_filter = ["scheme", "kind", "new_status", "classification"]
    search_fields = ["title", "summary", "quote", "speaker"]
    date_hierarchy = "occurred_on"
    list_select_related = ["scheme", "candidacy__country", "candidacy__scheme"]
    # No COUNT(*) of every event the reader may see beside the filtered one, and none of the
    # filtered list past EXACT_COUNT_LIMIT either.
    show_full_result_count = False
    paginator = EstimatingPaginator

    def get_queryset(self, request):
        visible = access.visible_events(request.user, super().get_queryset(request))
        return YearsByProbe(model=TalkEvent, query=visible.query, using=visible.db)

    def get_list_filter(self, request):
        if access.sees_sensitive(request.user):
            return self.list_filter
        return [name for name in self.list_filter if name != "classification"]

    def get_exclude(self, request, obj=None):
        # Which event a sensitive correction replaced, or replaces, is not for uncleared eyes.
        return None if access.sees_sensitive(request.user) else ["superseded_by"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = [
        "changed_at",
        "changed_by",
        "shown_action",
        "candidacy",
        "shown_status_before",
        "shown_status_after",
    ]
    list_filter = ["action", "scheme"]
    list_select_related = ["changed_by", "candidacy__country", "candidacy__scheme", "event"]
    fields = [
        "changed_at",
        "changed_by",
        "scheme",
        "candidacy",
        "event",
        "shown_action",
        "shown_status_before",
        "shown_status_after",
        "shown_version_after",
        "shown_detail",
    ]
    cleared_fields = ["judged_against", "full_picture_note"]

    def get_queryset(self, request):
        # The reader's clearance travels with each row: a ModelAdmin is shared by all requests.
        cleared = access.sees_sensitive(request.user)
        entries = super().get_queryset(request).select_related("event__supersedes")
        entries = entries.annotate(reader_cleared=Value(cleared, output_field=BooleanField()))
        return access.visible_audit_entries(request.user, entries)

    def get_list_filter(self, request):
        # Filtering on the action would tell declassified corrections from new records.
        return self.list_filter if access.sees_sensitive(request.user) else ["scheme"]

    def get_fields(self, request, obj=None):
        extra = self.cleared_fields if access.sees_sensitive(request.user) else []
        return [*self.fields, *extra]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)  # every field: the trail is written by services

    def _seen(self, obj):
        return access.seen_audit_at(getattr(obj, "reader_cleared", False), obj)

    @admin.display(description="action")
    def shown_action(self, obj):
        return self._seen(obj).action

    @admin.display(description="status before")
    def shown_status_before(self, obj):
        return self._seen(obj).status_before

    @admin.display(description="status after")
    def shown_status_after(self, obj):
        return self._seen(obj).status_after

    @admin.display(description="version after")
    def shown_version_after(self, obj):
        return self._seen(obj).version_after

    @admin.display(description="detail")
    def shown_detail(self, obj):
        return self._seen(obj).detail

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ExportLog)
class ExportLogAdmin(admin.ModelAdmin):
    """Read-only: the export log is written by `talks.documents.exports.log_export` only."""

    list_display = ["created_at", "user", "kind", "format", "row_count", "included_sensitive"]
    list_filter = ["kind", "format", "included_sensitive"]
    search_fields = ["user__username"]
    date_hierarchy = "created_at"
    list_select_related = ["user"]

    def get_queryset(self, request):
        return access.visible_exports(request.user, super().get_queryset(request))

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
