from django.contrib import admin
from django.urls import include, path

from hubtracker.accounts.views import admin_sign_in

urlpatterns = [
    # Before admin.site.urls: the admin signs in through the app's sign-in page.
    path("admin/login/", admin_sign_in, name="admin_sign_in"),
    path("admin/", admin.site.urls),
    path("", include("hubtracker.site_urls")),
    path("", include("hubtracker.accounts.urls")),
    path("", include("talks.urls")),
    path("", include("talks.following.urls")),
    path("", include("talks.jobs.urls")),
    path("", include("talks.api.urls")),
    path("", include("talks.feeds.urls")),
]

handler403 = "hubtracker.views.permission_denied"
handler500 = "hubtracker.views.server_error"
