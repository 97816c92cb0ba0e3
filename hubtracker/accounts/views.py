"""The account area, the signed-out page and the admin's way in."""

from allauth.account.views import LoginView
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from hubtracker.accounts.mfa import needs_second_factor
from hubtracker.accounts.roles import is_cleared


class SignInView(LoginView):
    """allauth's sign-in (password, then MFA code if the account has one) in the app's look,
    with the department's provider offered first when OIDC is configured."""

    template_name = "account/login.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = settings.OIDC_ENABLED
        context["oidc_provider_name"] = settings.OIDC_PROVIDER_NAME
        return context


@require_GET
def account(request: HttpRequest) -> HttpResponse:
    """What the signed-in user has: how they sign in, their roles, their second factor."""
    user = request.user
    authenticators = {a.type for a in Authenticator.objects.filter(user=user)}
    context = {
        "provider_account": SocialAccount.objects.filter(user=user).first(),
        "groups": sorted(user.groups.values_list("name", flat=True)),
        "cleared": is_cleared(user),
        "has_totp": Authenticator.Type.TOTP in authenticators,
        "has_recovery_codes": Authenticator.Type.RECOVERY_CODES in authenticators,
        "mfa_required": needs_second_factor(user),
    }
    return render(request, "accounts/account.html", context)


@require_GET
@login_not_required
def signed_out(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/signed_out.html")


@login_not_required
def admin_sign_in(request: HttpRequest) -> HttpResponse:
    """The admin site has no sign-in of its own: everyone signs in through the app's page, with
    its lockout and second factor."""
    next_url = request.GET.get("next") or reverse("admin:index")
    return redirect(f"{reverse('login')}?{urlencode({'next': next_url})}")
