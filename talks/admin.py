"""Admin for the diplomacy domain. Statuses and history are read-only here: events and status
changes go through `talks.services` (the event log and country pages), never through the admin.
"""

from django.contrib import admin

from talks.models import AuditEntry, Candidacy, ExportLog, Scheme, Source, TalkEvent


class CandidacyInline(admin.TabularInline):
    model = Candidacy
    fields = ["country", "status", "status_since", "last_reviewed_on", "version"]
    readonly_fields = ["status", "status_since", "version"]
    extra = 0
    show_change_link = True


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
    readonly_fields = [
        "status",
        "status_since",
        "official_status",
        "official_status_since",
        "version",
    ]
    list_select_related = ["country", "scheme"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["outlet", "title", "published_on", "reliability"]
    list_filter = ["reliability"]
    search_fields = ["outlet", "title", "url"]


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
        "action",
        "candidacy",
        "status_before",
        "status_after",
    ]
    list_filter = ["action", "scheme"]
    list_select_related = ["changed_by", "candidacy__country", "candidacy__scheme"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ExportLog)
class ExportLogAdmin(admin.ModelAdmin):
    """Read-only: the export log is written by `talks.exports.log_export` only."""

    list_display = ["created_at", "user", "kind", "format", "row_count", "included_sensitive"]
    list_filter = ["kind", "format", "included_sensitive"]
    search_fields = ["user__username"]
    date_hierarchy = "created_at"
    list_select_related = ["user"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
