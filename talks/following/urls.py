from django.urls import path

from talks.following import views

urlpatterns = [
    path("following/", views.following, name="following"),
    path("following/follow/", views.follow_add, name="follow_add"),
    path("following/<int:follow_id>/stop/", views.follow_stop, name="follow_stop"),
    path(
        "following/unsubscribe/<str:token>/",
        views.digest_unsubscribe,
        name="digest_unsubscribe",
    ),
]
