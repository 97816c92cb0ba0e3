"""Background tasks (Django's django.tasks API) for export jobs."""

from django.tasks import task

from talks.jobs import exports


@task()
def run_export_job(*, job_id: str) -> None:
    exports.run_job(job_id)
