from django.contrib import admin

from talks.jobs.models import ExportJob, ScheduledRun, WorkerHeartbeat


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = ["created_at", "owner", "kind", "status", "attempt", "rows_done", "rows_total"]
    list_filter = ["status", "kind"]
    exclude = ["params"]
    readonly_fields = [f.name for f in ExportJob._meta.fields if f.name != "params"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["worker_id", "hostname", "pid", "started_at", "seen_at"]


@admin.register(ScheduledRun)
class ScheduledRunAdmin(admin.ModelAdmin):
    list_display = ["key", "created_at"]
