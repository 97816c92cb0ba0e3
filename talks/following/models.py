"""What people follow, when they last looked, how often they want a digest, and each digest.

A follow is one of: a country (in every scheme), a scheme (every country in it), or a saved
event-log search (its query string). A digest delivery is one email for one user and one
period; its unique (user, period) pair is what stops a digest from going twice.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from countries.models import Country
from talks.models import Scheme


class FollowKind(models.TextChoices):
    COUNTRY = "country", "Country"
    SCHEME = "scheme", "Scheme"
    SEARCH = "search", "Event-log search"


class Follow(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=FollowKind.choices)
    country = models.ForeignKey(Country, on_delete=models.CASCADE, null=True, blank=True)
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, null=True, blank=True)
    search = models.CharField(
        max_length=600, blank=True, help_text="The event log's query string, normalised."
    )
    label = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(help_text="When the user last looked at its page.")

    class Meta:
        ordering = ["kind", "label"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="country", country__isnull=False, scheme__isnull=True, search="")
                    | Q(kind="scheme", scheme__isnull=False, country__isnull=True, search="")
                    | (Q(kind="search", country__isnull=True, scheme__isnull=True) & ~Q(search=""))
                ),
                name="follow_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "country"], condition=Q(kind="country"), name="follow_country_once"
            ),
            models.UniqueConstraint(
                fields=["user", "scheme"], condition=Q(kind="scheme"), name="follow_scheme_once"
            ),
            models.UniqueConstraint(
                fields=["user", "search"], condition=Q(kind="search"), name="follow_search_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.label}"


class Frequency(models.TextChoices):
    OFF = "off", "No emails"
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"


class DigestSettings(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_settings"
    )
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.OFF)
    changed_at = models.DateTimeField(auto_now=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "digest settings"

    def __str__(self) -> str:
        return f"{self.user_id}: {self.frequency}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENT = "sent", "Sent"
    NOTHING = "nothing", "Nothing changed: no email"
    NO_ADDRESS = "no_address", "No email address: not sent"


class DigestDelivery(models.Model):
    """One user's digest for one period: the changes recorded in (window_start, window_end]."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    period_key = models.CharField(max_length=40)
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    status = models.CharField(
        max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    item_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "digest deliveries"
        ordering = ["-window_end"]
        constraints = [
            models.UniqueConstraint(fields=["user", "period_key"], name="digest_once_per_period")
        ]
        indexes = [models.Index(fields=["user", "-window_end"], name="digest_user_window_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.period_key}: {self.status}"
