"""The root options of one invocation (--db, --lang, --user) and what they set up.

No typer here: opening the console (``cli.launch``) applies them without loading it.
"""

from __future__ import annotations

from dataclasses import dataclass

from cs_console.i18n import resolve_language, set_language


@dataclass
class RootOptions:
    """The root options, handed down to every command through ``ctx.obj``."""

    db: str | None = None
    user: str | None = None
    lang: str = "zh-CN"


def apply_root_options(
    db: str | None,
    lang: str | None,
    user: str | None,
    *,
    doctor: bool = False,
    console: bool = False,
) -> RootOptions:
    """Settings and language for this invocation; a broken policy stops a command.

    ``doctor`` reports a broken settings file or policy among its checks instead; the
    ``console`` reads the policy once, after its first frame, and names a broken file and
    key on its login screen (reading it here first would cost ~15 ms before that frame).
    """
    from cs_console.config.settings import SettingsError, load_settings

    load_settings.cache_clear()  # read settings.toml afresh for each invocation
    try:
        configured = load_settings().language
    except SettingsError:
        if not doctor:
            raise
        configured = None
    chosen = resolve_language(lang, configured)
    set_language(chosen)
    if not (doctor or console):
        from cs_console.config.policy_file import read_policy

        read_policy()  # names the file and the key
    return RootOptions(db=db, user=user, lang=chosen)
