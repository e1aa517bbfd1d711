"""Whether two spellings of a person's name are the same name.

Registration compares the name typed with the one on file for the phone: a different name
is never written over the stored one without asking (services.complaints).
"""

from __future__ import annotations

from cs_console.domain.text import clean_line


def name_key(name: str) -> str:
    """A name as compared: cleaned, runs of whitespace as one space, case folded."""
    return " ".join(clean_line(name).split()).casefold()


def names_differ(on_file: str, typed: str) -> bool:
    """True when both names are given and are not the same name ("张三" and " 张三 " are
    the same; "John Smith" and "john  smith" too). An empty name differs from nothing."""
    stored, given = name_key(on_file), name_key(typed)
    return bool(stored) and bool(given) and stored != given
