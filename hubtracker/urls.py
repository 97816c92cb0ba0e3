from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("hubtracker.site_urls")),
    path("", include("talks.urls")),
]

handler403 = "hubtracker.views.permission_denied"
