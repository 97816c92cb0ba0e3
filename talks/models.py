"""The diplomacy domain: schemes, candidacies, talk events and their sources.

Statuses change only through `talks.services.events`; nothing is ever hard-deleted.
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import models
from django.db.models import Q
from django.urls import reverse

from countries.models import Country
from talks.rules.statuses import Status

# Whoever a read is shaped for or a write is asked by: a signed-in user, or an anonymous visitor
# (who may do nothing; the services' permission checks refuse them).
type Person = User | AnonymousUser

# The scheme the dashboard and the briefing form open on when the user has not chosen one.
DEFAULT_SCHEME = "uk-return-hubs-2025"


class SchemeModel(models.TextChoices):
    RETURN_HUB = "return_hub", "Return hub (after a final refusal)"
    OFFSHORE_PROCESSING = "offshore_processing", "Offshore processing (before a decision)"
    TRANSIT_HUB = "transit_hub", "Transit hub (people who cannot be returned directly)"
    EXTRATERRITORIAL_CENTRE = "extraterritorial_centre", "Centres abroad under the sender's law"


class Scheme(models.Model):
    """A sending state's plan to move people to third countries."""

    name = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(max_length=150, unique=True)
    sending_country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    model = models.CharField(max_length=30, choices=SchemeModel.choices)
    announced_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    summary = models.TextField(blank=True)
    shortlist_size = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="How many countries the sending state's list is reported to hold, named or not.",
    )

    class Meta:
        ordering = ["-announced_on", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("scheme_detail", args=[self.slug])


class Candidacy(models.Model):
    """One country's standing in one scheme.

    `status` and `status_since` mirror the status rule as of today over every event;
    `official_status` and `official_status_since` over OFFICIAL events only (what people
    without clearance see). Only `talks.services.events` writes them. `version` grows with each
    change.
    """

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="candidacies")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, blank=True, editable=False)
    status_since = models.DateField(null=True, blank=True, editable=False)
    official_status = models.CharField(
        max_length=20, choices=Status.choices, blank=True, editable=False
    )
    official_status_since = models.DateField(null=True, blank=True, editable=False)
    last_reviewed_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    official_version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Grows with each write people without clearance can see (OFFICIAL events).",
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["scheme", "country__name"]
        verbose_name_plural = "candidacies"
        constraints = [
            models.UniqueConstraint(fields=["scheme", "country"], name="unique_candidacy")
        ]

    def __str__(self) -> str:
        return f"{self.country} in {self.scheme}"


class Reliability(models.TextChoices):
    """Source reliability on the Admiralty scale, plus U for unverified copies."""

    A = "A", "A: completely reliable"
    B = "B", "B: usually reliable"
    C = "C", "C: fairly reliable"
    D = "D", "D: not usually reliable"
    E = "E", "E: unreliable"
    F = "F", "F: reliability cannot be judged"
    U = "U", "U: unverified copy (mirror or secondary report)"


class Source(models.Model):
    outlet = models.CharField(max_length=200)
    title = models.CharField(max_length=300, blank=True)
    url = models.URLField(max_length=500, blank=True)
    published_on = models.DateField(null=True, blank=True)
    reliability = models.CharField(max_length=1, choices=Reliability.choices)
    reliability_note = models.CharField(
        max_length=300, blank=True, help_text="What is unverified, e.g. the exact publication date."
    )

    class Meta:
        ordering = ["-published_on", "outlet"]

    def __str__(self) -> str:
        when = f", {self.published_on:%d %b %Y}" if self.published_on else ""
        return f"{self.outlet}{when}: {self.title}" if self.title else f"{self.outlet}{when}"


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    QUARTER = "quarter", "Quarter"
    YEAR = "year", "Year"


class EventKind(models.TextChoices):
    STATEMENT = "statement", "Statement"
    MEDIA_REPORT = "media_report", "Media report"
    MEETING = "meeting", "Meeting"
    FORMAL_TALKS = "formal_talks", "Formal talks"
    AGREEMENT = "agreement", "Agreement"
    LEGAL_ACTION = "legal_action", "Legal action"
    COURT_RULING = "court_ruling", "Court ruling"
    MILESTONE = "milestone", "Milestone"


class Classification(models.TextChoices):
    OFFICIAL = "official", "OFFICIAL"
    OFFICIAL_SENSITIVE = "official_sensitive", "OFFICIAL-SENSITIVE"


class TalkEventQuerySet(models.QuerySet["TalkEvent"]):
    def effective(self) -> "TalkEventQuerySet":
        """Events that count: neither retracted nor superseded by a correction."""
        return self.filter(retracted_at__isnull=True, superseded_by__isnull=True)


class TalkEvent(models.Model):
    """Something that happened, when, and who says so.

    A scheme-wide event (a summit, a court ruling on the whole scheme) has no candidacy.
    The date is the first day of its period: "May 2025" at month precision is 2025-05-01.
    """

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="events")
    candidacy = models.ForeignKey(
        Candidacy, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    occurred_on = models.DateField()
    precision = models.CharField(
        max_length=10, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    quote = models.TextField(blank=True)
    speaker = models.CharField(max_length=200, blank=True)
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    new_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    classification = models.CharField(
        max_length=20, choices=Classification.choices, default=Classification.OFFICIAL
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    superseded_by = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supersedes",
        help_text="The correction that replaced this event.",
    )
    retracted_at = models.DateTimeField(null=True, blank=True)
    retracted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    retraction_reason = models.TextField(blank=True)

    objects = TalkEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-id"]
        permissions = [
            ("view_sensitive", "Can see OFFICIAL-SENSITIVE items"),
            ("record_event", "Can record, correct and retract events and change statuses"),
            ("import_events", "Can import events from CSV"),
            ("export_briefing", "Can export briefings and data"),
        ]
        indexes = [
            models.Index(fields=["occurred_on", "id"], name="event_date_idx"),
            # The OFFICIAL picture in date order (talks.access.visible_events): migration 0007.
            models.Index(
                fields=["classification", "occurred_on", "id"], name="event_picture_date_idx"
            ),
            models.Index(fields=["scheme", "occurred_on"], name="event_scheme_date_idx"),
            models.Index(fields=["candidacy", "occurred_on"], name="event_candidacy_date_idx"),
            models.Index(
                fields=["candidacy", "occurred_on", "id"],
                condition=Q(retracted_at__isnull=True, superseded_by__isnull=True)
                & ~Q(new_status=""),
                name="event_status_rule_idx",
            ),  # on PostgreSQL it also carries the status lanes' columns (migration 0007)
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on}: {self.title}"

    @property
    def is_retracted(self) -> bool:
        return self.retracted_at is not None

    @property
    def is_superseded(self) -> bool:
        return self.superseded_by_id is not None

    @property
    def is_sensitive(self) -> bool:
        return self.classification == Classification.OFFICIAL_SENSITIVE


class AuditAction(models.TextChoices):
    RECORDED = "recorded", "Recorded"
    CORRECTED = "corrected", "Corrected"
    RETRACTED = "retracted", "Retracted"
    IMPORTED = "imported", "Imported"


class Picture(models.TextChoices):
    FULL = "full", "every event (cleared)"
    OFFICIAL = "official", "OFFICIAL events only"


class AuditEntry(models.Model):
    """The audit trail: one row per write, with the candidacy's status either side.

    `status_*` and `version_after` describe the full picture (cleared readers only);
    `official_*` the OFFICIAL picture, which is all an uncleared reader is shown.
    `judged_against` is the picture the write's status move was checked against, and
    `full_picture_note` says, for cleared readers, when a move checked against the OFFICIAL
    picture would not have been allowed over every event.
    """

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="audit_entries")
    candidacy = models.ForeignKey(
        Candidacy, on_delete=models.PROTECT, null=True, blank=True, related_name="audit_entries"
    )
    event = models.ForeignKey(TalkEvent, on_delete=models.PROTECT, related_name="audit_entries")
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    status_before = models.CharField(max_length=20, choices=Status.choices, blank=True)
    status_after = models.CharField(max_length=20, choices=Status.choices, blank=True)
    version_after = models.PositiveIntegerField(null=True, blank=True)
    official_status_before = models.CharField(max_length=20, choices=Status.choices, blank=True)
    official_status_after = models.CharField(max_length=20, choices=Status.choices, blank=True)
    official_version_after = models.PositiveIntegerField(null=True, blank=True)
    judged_against = models.CharField(max_length=10, choices=Picture.choices, blank=True)
    full_picture_note = models.TextField(blank=True)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.event}: {self.action} by {self.changed_by} at {self.changed_at}"


class ExportKind(models.TextChoices):
    BRIEFING = "briefing", "Briefing"
    CANDIDACIES = "candidacies", "Candidacies"
    EVENTS = "events", "Events"


class ExportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word"
    CSV = "csv", "CSV"
    XLSX = "xlsx", "Excel"


class ExportLog(models.Model):
    """One row per export: who took what data out, under which filters, and when."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=ExportKind.choices)
    format = models.CharField(max_length=10, choices=ExportFormat.choices)
    filters = models.JSONField(default=dict, blank=True)
    included_sensitive = models.BooleanField(default=False)
    row_count = models.PositiveIntegerField(
        null=True, blank=True, help_text="Empty while a streamed export runs or if it was cut off."
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_format_display()}) by {self.user}"

    def filter_items(self) -> list[tuple[str, str]]:
        """The filters as (name, text) pairs for people to read."""
        items = []
        for key, value in (self.filters or {}).items():
            if isinstance(value, list):
                text = ", ".join(str(v) for v in value) or "–"
            elif isinstance(value, bool):
                text = "yes" if value else "no"
            else:
                text = "–" if value in (None, "") else str(value)
            items.append((key.replace("_", " ").capitalize(), text))
        return items


class FormSubmission(models.Model):
    """A write form's one-time key, claimed in the same transaction as the write it sends.

    Every write form (record, correct, retract, import) carries a fresh random key. The first
    submission claims it with its write; a second submission of the same form (a double click, a
    resend after a timeout, two requests at once) finds the claim and is answered as the first
    was, writing nothing. If the write fails, the claim is rolled back with it.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    message = models.CharField(max_length=1000, blank=True)
    redirect_to = models.CharField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_submission_per_form_key")
        ]

    def __str__(self) -> str:
        return f"Form submission {self.key[:8]}… by {self.user}"
