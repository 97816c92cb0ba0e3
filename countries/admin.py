from django.contrib import admin

from countries.models import Country, MigrationRoute, RouteFigure, RouteWaypoint


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "region", "eu_status", "capital"]
    list_filter = ["region", "eu_status"]
    search_fields = ["name", "code", "capital"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["neighbours"]


class RouteWaypointInline(admin.TabularInline):
    model = RouteWaypoint
    extra = 0


class RouteFigureInline(admin.TabularInline):
    model = RouteFigure
    extra = 0


@admin.register(MigrationRoute)
class MigrationRouteAdmin(admin.ModelAdmin):
    list_display = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [RouteWaypointInline, RouteFigureInline]
