"""Reference data: countries, their neighbours and the migration routes through them.

This app knows nothing of talks or schemes: `talks` depends on it, never the reverse.
"""

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse


class Region(models.TextChoices):
    WESTERN_BALKANS = "western_balkans", "Western Balkans"
    REST_OF_EUROPE = "rest_of_europe", "Rest of Europe"
    AFRICA = "africa", "Africa"
    MIDDLE_EAST = "middle_east", "Middle East"
    ASIA = "asia", "Asia"
    AMERICAS = "americas", "Americas"


class EUStatus(models.TextChoices):
    MEMBER = "member", "EU member"
    CANDIDATE = "candidate", "EU candidate"
    POTENTIAL_CANDIDATE = "potential_candidate", "Potential EU candidate"
    NONE = "none", "Not in the EU accession process"


class Country(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    code = models.CharField(
        max_length=3,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{3}$", "Use an upper-case three-letter code.")],
        help_text="ISO 3166-1 alpha-3 code; Kosovo uses XKX, as the World Bank and the EU do.",
    )
    region = models.CharField(max_length=30, choices=Region.choices)
    capital = models.CharField(max_length=100, blank=True)
    population = models.PositiveBigIntegerField(null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(null=True, blank=True)
    eu_status = models.CharField(max_length=30, choices=EUStatus.choices, default=EUStatus.NONE)
    neighbours = models.ManyToManyField("self", symmetrical=True, blank=True)
    label_latitude = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    label_longitude = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("country_detail", args=[self.slug])


class MigrationRoute(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RouteWaypoint(models.Model):
    route = models.ForeignKey(MigrationRoute, on_delete=models.CASCADE, related_name="waypoints")
    position = models.PositiveSmallIntegerField()
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="waypoints")
    place = models.CharField(max_length=100)
    latitude = models.FloatField(validators=[MinValueValidator(-90), MaxValueValidator(90)])
    longitude = models.FloatField(validators=[MinValueValidator(-180), MaxValueValidator(180)])

    class Meta:
        ordering = ["route", "position"]
        constraints = [
            models.UniqueConstraint(fields=["route", "position"], name="unique_waypoint_position")
        ]

    def __str__(self) -> str:
        return f"{self.route}: {self.position}. {self.place}"


class RouteFigure(models.Model):
    """A yearly figure for a route, with what it counts and who says so."""

    route = models.ForeignKey(MigrationRoute, on_delete=models.CASCADE, related_name="figures")
    year = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField()
    is_approximate = models.BooleanField(default=False)
    counted = models.CharField(
        max_length=200, help_text="What is counted, e.g. detections of irregular border crossings."
    )
    caveat = models.TextField(blank=True)
    source_name = models.CharField(max_length=200)
    source_url = models.URLField(max_length=500, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["route", "year"]
        constraints = [models.UniqueConstraint(fields=["route", "year"], name="unique_route_year")]

    def __str__(self) -> str:
        return f"{self.route} {self.year}: {self.count:,}"
