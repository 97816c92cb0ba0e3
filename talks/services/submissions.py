"""One write per form: every write form carries a one-time key (see FormSubmission).

`write_once` claims the key inside the transaction of its write. The claim's unique constraint
makes a second submission wait for the first and then fail to claim, even when both arrive at
once; the second is answered with the first one's message and destination.
"""

import re
import secrets
from collections.abc import Callable
from typing import TypeIs

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from talks.models import FormSubmission, Person

FIELD = "submission_key"
_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")


def new_key() -> str:
    return secrets.token_urlsafe(24)


def _valid(key: str | None) -> TypeIs[str]:
    return bool(key) and bool(_KEY.fullmatch(key or ""))


class AlreadySubmitted(Exception):
    """This form was submitted before and its write was saved; nothing more was written."""

    def __init__(self, earlier: FormSubmission) -> None:
        self.message = earlier.message
        self.redirect_to = earlier.redirect_to
        super().__init__(self.message)


def earlier_submission(*, by: Person, key: str | None) -> FormSubmission | None:
    """The saved submission of this form key, if any (a plain read, for an early answer)."""
    if not _valid(key) or not isinstance(by, User):
        return None
    return FormSubmission.objects.filter(user=by, key=key).first()


def claim(*, by: Person, key: str | None) -> FormSubmission | None:
    """Claim the form key inside the caller's transaction (None without a valid key or a signed-in
    user: the write goes ahead unguarded, and its own permission check refuses a visitor).
    Raises AlreadySubmitted if another submission saved it first."""
    if not _valid(key) or not isinstance(by, User):
        return None
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Claim a form key inside the transaction of its write.")
    try:
        with transaction.atomic():
            return FormSubmission.objects.create(user=by, key=key)
    except IntegrityError:
        raise AlreadySubmitted(FormSubmission.objects.get(user=by, key=key)) from None


def record_outcome(submission: FormSubmission | None, *, message: str, redirect_to: str) -> None:
    """What the first submission answered, for any repeat of it."""
    if submission is None:
        return
    submission.message = message[:1000]
    submission.redirect_to = redirect_to[:2000]
    submission.save(update_fields=["message", "redirect_to"])


def _always(result: object) -> bool:
    return True


def write_once[T](
    *,
    by: Person,
    key: str | None,
    write: Callable[[], T],
    answer: Callable[[T], str],
    redirect_to: str,
    kept: Callable[[T], bool] = _always,
) -> tuple[T, str]:
    """Run `write` once per form key, in one transaction with the key's claim; return its result
    and `answer(result)`, the message a repeat of the form is answered with (with `redirect_to`).

    Raises AlreadySubmitted (nothing written) when the form was saved before. A result that is not
    `kept` (an import that refused a row) is rolled back with the claim: the form may be sent again.
    """
    with transaction.atomic():
        submission = claim(by=by, key=key)
        result = write()
        message = answer(result)
        if kept(result):
            record_outcome(submission, message=message, redirect_to=redirect_to)
        else:
            transaction.set_rollback(True)
    return result, message
