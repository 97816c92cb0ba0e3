"""Reads of background jobs: only the owner's, and only what their clearance still lets them see."""

import uuid

from django.http import Http404

from talks import access
from talks.jobs.models import ExportJob
from talks.models import Person

LIST_SIZE = 20


def job_for_owner(user: Person, job_id: uuid.UUID) -> ExportJob:
    """The user's own job, or 404: never another user's, never sensitive once uncleared."""
    job = ExportJob.objects.filter(pk=job_id, owner_id=user.pk).first()
    if job is None or (job.included_sensitive and not access.sees_sensitive(user)):
        raise Http404("No such download.")
    return job


def recent_jobs(user: Person) -> list[ExportJob]:
    """The user's latest jobs, newest first, without those their clearance no longer covers."""
    jobs = list(ExportJob.objects.filter(owner_id=user.pk)[:LIST_SIZE])
    if access.sees_sensitive(user):
        return jobs
    return [job for job in jobs if not job.included_sensitive]
