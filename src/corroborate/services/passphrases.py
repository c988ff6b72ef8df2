"""The one passphrase policy: every passphrase being set (a new case, a rekey, a backup) passes it.

A case passphrase is all that stands between a seized laptop and the
witnesses' identities, so it must be long and hard to guess: at least
``MIN_LENGTH`` characters, and at least ``MIN_GUESSES`` guesses by the
estimate of zxcvbn (which knows common passwords, words, names, keyboard
patterns, dates, repeats and substitutions). Messages say what is wrong and
never repeat the passphrase. Proving a passphrase already set (unlocking) is
not checked: only setting one is.
"""

from __future__ import annotations

from collections.abc import Iterable

from corroborate.errors import UserError

__all__ = ["DEMO_PASSPHRASE", "MIN_GUESSES", "MIN_LENGTH", "check_passphrase"]

MIN_LENGTH = 12
# About 4 years of one GPU against Argon2id at its default cost; four random words give far more.
MIN_GUESSES = 10**12
# The Makefile's demo value: public on purpose, allowed by name so `make demo` works.
DEMO_PASSPHRASE = "demo passphrase, not a secret"
_ESTIMATED_CHARACTERS = 72  # zxcvbn's own limit; a longer passphrase is judged on its start


def check_passphrase(passphrase: str, *, what: str = "passphrase", context: Iterable[str] = ()) -> None:
    """Raise UserError unless ``passphrase`` is long and hard enough to guess.

    ``context`` holds words an attacker knows (the case id, a user name): a
    passphrase made of them is guessed first.
    """
    if passphrase == DEMO_PASSPHRASE:
        return
    advice = "use four or more unrelated words, or a sentence only you would think of"
    if len(passphrase) < MIN_LENGTH:
        raise UserError(f"the {what} is too short: it needs at least {MIN_LENGTH} characters; {advice}")
    from zxcvbn import zxcvbn  # imported here: it loads word lists (30 ms) only when a passphrase is set

    estimate = zxcvbn(passphrase[:_ESTIMATED_CHARACTERS], user_inputs=["corroborate", *context])
    if estimate["guesses"] < MIN_GUESSES:
        # zxcvbn's feedback is fixed text ("This is a very common password."), never the passphrase.
        warning = str(estimate["feedback"]["warning"] or "").rstrip(".")
        why = f" ({warning.lower()})" if warning else ""
        raise UserError(f"the {what} is too easy to guess{why}; {advice}")
