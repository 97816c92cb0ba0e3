"""Sign-in and permissions backend: allauth's (username and password, as Django's ModelBackend
checks them), with a user's permissions read in one query instead of two.

Every page asks the read gate (talks.access) whether the reader may see it, and Django's
ModelBackend answers the first such question of a request with two queries, the user's own
permissions and their groups'. Here one query (a UNION) reads both; the answer is kept on the
user object for the rest of the request, as ModelBackend keeps it, so a role taken away at the
identity provider or in the admin counts from the next request.
"""

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.models import Permission


class OneQueryPermissionsBackend(AuthenticationBackend):
    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            codes = ("content_type__app_label", "codename")
            if user_obj.is_superuser:
                found = Permission.objects.values_list(*codes)
            else:
                own = Permission.objects.filter(user=user_obj).order_by()
                from_groups = Permission.objects.filter(group__user=user_obj).order_by()
                found = own.values_list(*codes).union(from_groups.values_list(*codes)).order_by()
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in found}
        return user_obj._perm_cache
