"""Email digests: what changed in what a user follows since their previous digest.

Schedule: `schedule_due_digests` runs in every worker's housekeeping round; for each period
that is due ("digests:daily:2026-12-01", "digests:weekly:2026-W49") the one worker that claims
it enqueues `plan_digests`, which creates one `DigestDelivery` per user and enqueues its
`send_digest`, each pair in one transaction. Sending locks the delivery row, sends, and marks
it sent before the lock is released: a digest is not sent twice (a second run finds it sent)
and not lost (a run cut short leaves it pending, and the lost worker's task is requeued).
The one gap no mail system closes: a worker killed after the SMTP server accepted the message
but before the commit sends it again on retry, with the same Message-ID so mail clients
show it once.

OFFICIAL-SENSITIVE text never goes by email: a cleared user's digest only counts such changes
("1 OFFICIAL-SENSITIVE item changed: sign in to read it"); for anyone else they do not exist.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from talks.following.models import DeliveryStatus, DigestDelivery, Follow, FollowKind, Frequency
from talks.following.selectors import FollowChanges, changes_for, follows_of
from talks.following.services import unsubscribe_token
from talks.jobs.scheduler import claim_period

logger = logging.getLogger(__name__)
PERIOD_LENGTH = {
    Frequency.DAILY: datetime.timedelta(days=1),
    Frequency.WEEKLY: datetime.timedelta(days=7),
}


# -- What a digest says -----------------------------------------------------------------------


@dataclass(frozen=True)
class Digest:
    user: User
    start: datetime.datetime
    end: datetime.datetime
    sections: list[FollowChanges]

    @property
    def item_count(self) -> int:
        return sum(section.total for section in self.sections)

    @property
    def sensitive_count(self) -> int:
        return sum(section.sensitive_count for section in self.sections)


def build_digest(*, user, start: datetime.datetime, end: datetime.datetime) -> Digest:
    sections = [
        changes_for(user=user, follow=follow, since=start, until=end, show_sensitive=False)
        for follow in follows_of(user)
    ]
    return Digest(user=user, start=start, end=end, sections=[s for s in sections if s.total])


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def follow_url(follow: Follow) -> str:
    if follow.kind == FollowKind.COUNTRY and follow.country is not None:
        return absolute(reverse("country_detail", args=[follow.country.slug]))
    if follow.kind == FollowKind.SCHEME and follow.scheme is not None:
        return absolute(reverse("scheme_detail", args=[follow.scheme.slug]))
    return absolute(f"{reverse('event_log')}?{follow.search}")


def _domain() -> str:
    sender = settings.DEFAULT_FROM_EMAIL
    return sender.rsplit("@", 1)[-1].strip(" >") or "hubtracker.invalid"


def digest_message(digest: Digest, delivery: DigestDelivery) -> EmailMultiAlternatives:
    unsubscribe_url = absolute(reverse("digest_unsubscribe", args=[unsubscribe_token(digest.user)]))
    context = {
        "digest": digest,
        "sections": [(section, follow_url(section.follow)) for section in digest.sections],
        "frequency": "weekly" if delivery.period_key.startswith("weekly") else "daily",
        "following_url": absolute(reverse("following")),
        "unsubscribe_url": unsubscribe_url,
        "site_url": settings.SITE_URL,
    }
    count = digest.item_count
    subject = f"HubTracker: {count} change{'s' if count != 1 else ''} in what you follow"
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("following/email/digest.txt", context),
        to=[digest.user.email],
        headers={
            "Message-ID": f"<digest-{delivery.pk}@{_domain()}>",
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(
        render_to_string("following/email/digest_email.html", context), "text/html"
    )
    return message


# -- Planning and sending ---------------------------------------------------------------------


def _window_start(user_id: int, frequency: str, end: datetime.datetime) -> datetime.datetime:
    previous = DigestDelivery.objects.filter(user_id=user_id).order_by("-window_end").first()
    return previous.window_end if previous else end - PERIOD_LENGTH[Frequency(frequency)]


def plan_digests(*, frequency: str, period_key: str, window_end: datetime.datetime) -> int:
    """One delivery (and its send task) per user who wants this frequency; idempotent."""
    from talks.following.tasks import send_digest

    users = (
        get_user_model()
        .objects.filter(is_active=True, digest_settings__frequency=frequency)
        .exclude(email="")
        .filter(pk__in=Follow.objects.values("user_id"))
        .order_by("pk")
    )
    planned = 0
    for user_id in users.values_list("pk", flat=True).iterator():
        if DigestDelivery.objects.filter(user_id=user_id, period_key=period_key).exists():
            continue
        try:
            with transaction.atomic():
                delivery = DigestDelivery.objects.create(
                    user_id=user_id,
                    period_key=period_key,
                    window_start=_window_start(user_id, frequency, window_end),
                    window_end=window_end,
                )
                send_digest.enqueue(delivery_id=str(delivery.pk))
        except IntegrityError:
            continue
        planned += 1
    return planned


def send_delivery(delivery_id: str) -> str:
    """Send one digest if it is still pending; return its status."""
    with transaction.atomic():
        delivery = (
            DigestDelivery.objects.select_for_update().select_related("user").get(pk=delivery_id)
        )
        if delivery.status != DeliveryStatus.PENDING:
            return delivery.status
        delivery.attempts += 1
        digest = build_digest(
            user=delivery.user, start=delivery.window_start, end=delivery.window_end
        )
        delivery.item_count = digest.item_count
        if not delivery.user.email:
            delivery.status = DeliveryStatus.NO_ADDRESS
        elif not digest.item_count:
            delivery.status = DeliveryStatus.NOTHING
        else:
            digest_message(digest, delivery).send()
            delivery.status, delivery.sent_at = DeliveryStatus.SENT, timezone.now()
        delivery.save(update_fields=["status", "sent_at", "attempts", "item_count"])
        return delivery.status


# -- The schedule -----------------------------------------------------------------------------


def _at_digest_time(day: datetime.date) -> datetime.datetime:
    hour, minute = (int(part) for part in settings.DIGEST_TIME.split(":"))
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def due_periods(now: datetime.datetime) -> list[tuple[str, str]]:
    """(frequency, period key) for every period whose sending moment has come."""
    today = timezone.localdate(now)
    due: list[tuple[str, str]] = []
    if now >= _at_digest_time(today):
        due.append((Frequency.DAILY, f"daily:{today.isoformat()}"))
    week_day = today - datetime.timedelta(days=today.isoweekday() - settings.DIGEST_WEEKDAY)
    if today >= week_day and now >= _at_digest_time(week_day):
        year, week, _ = week_day.isocalendar()
        due.append((Frequency.WEEKLY, f"weekly:{year}-W{week:02d}"))
    return due


def schedule_due_digests(*, now: datetime.datetime) -> list[str]:
    """Enqueue the planning of each due period, once across all workers."""
    from talks.following.tasks import plan_digests as plan_task

    started = []
    for frequency, period_key in due_periods(now):
        with transaction.atomic():
            if not claim_period(f"digests:{period_key}"):
                continue
            plan_task.enqueue(
                frequency=str(frequency), period_key=period_key, window_end=now.isoformat()
            )
        logger.info("Digests for %s are being planned", period_key)
        started.append(period_key)
    return started
