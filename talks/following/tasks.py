"""Background tasks (Django's django.tasks API) for email digests."""

import datetime

from django.tasks import task

from talks.following import digests


@task()
def plan_digests(*, frequency: str, period_key: str, window_end: str) -> int:
    end = datetime.datetime.fromisoformat(window_end)
    return digests.plan_digests(frequency=frequency, period_key=period_key, window_end=end)


@task()
def send_digest(*, delivery_id: str) -> str:
    return digests.send_delivery(delivery_id)
