"""One normalisation of usernames for signing in and for counting failed sign-ins."""

import unicodedata


def fold_for_sign_in(value: str) -> str:
    """What the sign-in form passes to authentication: NFKC, as Django's UsernameField does,
    so "ｖictim" (full-width) and "𝐯𝐢𝐜𝐭𝐢𝐦" (mathematical bold) both mean "victim"."""
    return unicodedata.normalize("NFKC", value).strip()


def lockout_key(value: str) -> str:
    """The username failed sign-ins are counted under: as authentication folds it, and without
    case, since the lookup ignores case."""
    return fold_for_sign_in(value).casefold()
