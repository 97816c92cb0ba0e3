"""The scheduler in every worker: periods due, and each claimed once however many try."""

import datetime
import threading

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from talks.following import digests
from talks.jobs import scheduler
from talks.jobs.models import ScheduledRun


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@override_settings(DIGEST_TIME="07:00", DIGEST_WEEKDAY=1)
def test_daily_is_due_from_its_time_and_weekly_from_its_weekday():
    monday = datetime.date(2026, 11, 30)
    assert digests.due_periods(_at(monday, 6, 59)) == []
    assert digests.due_periods(_at(monday, 7, 0)) == [
        ("daily", "daily:2026-11-30"),
        ("weekly", "weekly:2026-W49"),
    ]
    wednesday = monday + datetime.timedelta(days=2)
    assert ("weekly", "weekly:2026-W49") in digests.due_periods(_at(wednesday, 8))


@override_settings(DIGEST_TIME="07:00", DIGEST_WEEKDAY=5)
def test_weekly_waits_for_its_weekday():
    tuesday = datetime.date(2026, 12, 1)
    assert [key for _, key in digests.due_periods(_at(tuesday, 9))] == ["daily:2026-12-01"]


@pytest.mark.django_db
def test_a_period_is_claimed_once():
    assert scheduler.claim_period("digests:daily:2026-12-01") is True
    assert scheduler.claim_period("digests:daily:2026-12-01") is False
    assert ScheduledRun.objects.count() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
@override_settings(DIGEST_TIME="00:00")
def test_eight_schedulers_at_the_same_moment_plan_each_period_once():
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    barrier = threading.Barrier(8)
    started: list[list[str]] = []

    def one_worker() -> None:
        barrier.wait()
        try:
            started.append(digests.schedule_due_digests(now=now))
        finally:
            connection.close()

    threads = [threading.Thread(target=one_worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    keys = [key for keys in started for key in keys]
    assert len(keys) == len(set(keys)) == len(digests.due_periods(now))
    assert DBTaskResult.objects.filter(task_path__endswith="plan_digests").count() == len(keys)
