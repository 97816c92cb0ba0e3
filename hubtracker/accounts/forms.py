from allauth.account.forms import LoginForm

from hubtracker.accounts.usernames import fold_for_sign_in


class SignInForm(LoginForm):
    """allauth's sign-in form, folding the username as Django's own sign-in form does."""

    def clean_login(self) -> str:
        return fold_for_sign_in(self.cleaned_data["login"])
