"""Feeds under each user's secret address, and the page where a user finds and rotates it."""

from django.urls import path

from talks.feeds import views
from talks.feeds.feeds import CountryFeed, SchemeFeed, SearchFeed

urlpatterns = [
    path("feeds/<str:token>/schemes/<slug:slug>.atom", SchemeFeed(), name="feed_scheme"),
    path("feeds/<str:token>/countries/<slug:slug>.atom", CountryFeed(), name="feed_country"),
    path("feeds/<str:token>/events.atom", SearchFeed(), name="feed_events"),
    path("account/feeds/", views.feed_address, name="feed_address"),
    path("account/feeds/rotate/", views.feed_rotate, name="feed_rotate"),
]
