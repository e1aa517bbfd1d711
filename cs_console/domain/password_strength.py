"""Whether a new password is strong enough, and if not, why (an error code).

Strength is zxcvbn's estimate (Dropbox's checker: the 30,000 most common passwords, English
words, names, dates, repeats, sequences and keyboard rows, each also reversed and in l33t),
told the person's user name and display name so that passwords built from them count as
easily guessed. On top of it, a password that is only a name (also reversed, in any case,
with digits before or after) is refused however zxcvbn scores it. The code names the
weakest part zxcvbn found, so the message says why rather than only "too weak".
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping

# zxcvbn refuses longer input (its matching grows quadratically); the first 72 characters
# of a longer password decide, as they would for bcrypt.
_ASSESSED_LENGTH = 72
# zxcvbn keeps the user inputs in a module-level dictionary: one assessment at a time.
_ZXCVBN_LOCK = threading.Lock()
_DIGITS_AT_ENDS = re.compile(r"^[\d\W_]+|[\d\W_]+$")
_SPACES = re.compile(r"\s+")


def _name_forms(names: Iterable[str]) -> set[str]:
    forms: set[str] = set()
    for name in names:
        folded = name.strip().casefold()
        if folded:
            forms.update({folded, _SPACES.sub("", folded)})
    return forms


def _is_only_a_name(password: str, names: Iterable[str]) -> bool:
    """The password is a name (or the name repeated), reversed or not, with digits or signs
    around it at most."""
    core = _DIGITS_AT_ENDS.sub("", _SPACES.sub("", password.casefold()))
    return any(
        len(text) % len(form) == 0 and form * (len(text) // len(form)) == text
        for form in _name_forms(names)
        for text in (core, core[::-1])
        if text
    )


def _weakest_part(sequence: Iterable[Mapping[str, object]]) -> str:
    """The error code for the kind of guessable part zxcvbn found, most telling first."""
    kinds = {
        "password_has_name"
        if match.get("dictionary_name") == "user_inputs"
        else "password_common"
        if match.get("dictionary_name") == "passwords"
        else "password_repetitive"
        if match["pattern"] in ("repeat", "sequence", "spatial")
        else "password_guessable"
        for match in sequence
        if match["pattern"] != "bruteforce"
    }
    for code in ("password_has_name", "password_common", "password_repetitive"):
        if code in kinds:
            return code
    return "password_guessable"


def password_problem(
    password: str, *, names: Iterable[str], min_length: int, min_score: int
) -> str | None:
    """Why ``password`` may not be used (an ``error.`` code), or None when it may.

    ``names`` are the account's user name and display name; ``min_length`` and
    ``min_score`` (zxcvbn's 0-4) come from the security policy.
    """
    names = [name for name in names if name and name.strip()]
    if len(password) < min_length:
        return "password_too_short"
    if _is_only_a_name(password, names):
        return "password_has_name"
    from zxcvbn import zxcvbn  # loads its word lists (~0.2 s): only when a password is set

    with _ZXCVBN_LOCK:
        result = zxcvbn(password[:_ASSESSED_LENGTH], user_inputs=names)
    if result["score"] >= min_score:
        return None
    return _weakest_part(result["sequence"])
