"""The checks behind ``cs-console doctor``: each one a name, a status and a detail.

A status is "ok", "warning" (works, but something is missing, e.g. no keyring backend on
a headless machine) or "error" (the console would not work as configured).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from cs_console.cli.database_urls import hide_password, parse_db_url, sqlite_file
from cs_console.cli.refusals import Refusal, describe_failure
from cs_console.config import remembered_login
from cs_console.config.remembered_login import KEYRING_SERVICE
from cs_console.i18n import t

if TYPE_CHECKING:
    from sqlalchemy import Engine

Check = dict[str, Any]


def _check(name: str, status: str, detail: str, **extra: Any) -> Check:
    return {"name": name, "status": status, "detail": detail, **extra}


def check_settings() -> Check:
    from cs_console.config.paths import config_dir
    from cs_console.config.settings import SettingsError, load_settings

    path = config_dir() / "settings.toml"
    try:
        settings = load_settings()
    except SettingsError as exc:
        return _check("settings", "error", str(exc))
    where = str(path) if path.exists() else t("cli.doctor.settings_defaults", path=str(path))
    return _check("settings", "ok", f"{where} ({settings.timezone})")


def check_policy() -> Check:
    import os

    from cs_console.config.policy_file import read_policy
    from cs_console.domain.policy import PolicyError

    try:
        read_policy()
    except PolicyError as exc:
        return _check("policy", "error", str(exc))
    return _check("policy", "ok", os.environ.get("CS_CONSOLE_POLICY") or "data/policy.toml")


def check_calendar() -> list[Check]:
    """A warning while next year's holidays and make-up working days are unknown (neither
    the holidays library nor the policy's ``[calendar]`` lists them)."""
    from cs_console.domain.policy import PolicyError
    from cs_console.services.calendar_check import unknown_calendar_year
    from cs_console.services.opening import rules_in_force

    try:
        policy, zone = rules_in_force()
    except PolicyError:  # the policy's own check says what is wrong
        return []
    year = unknown_calendar_year(policy, zone)
    if year is not None:
        return [_check("calendar", "warning", t("cli.doctor.calendar_unknown", year=year))]
    return [_check("calendar", "ok", t("cli.doctor.calendar_ok"))]


def check_scripts() -> list[Check]:
    from cs_console.config.script_files import SCRIPT_LANGUAGES, load_call_script
    from cs_console.domain.scripts import ScriptError

    checks = []
    for lang in SCRIPT_LANGUAGES:
        try:
            load_call_script(lang)
        except ScriptError as exc:
            checks.append(_check("scripts", "error", str(exc), lang=lang))
        else:
            checks.append(_check("scripts", "ok", f"data/scripts/{lang}.toml", lang=lang))
    return checks


def check_database(url: str | None, url_problem: str | None) -> tuple[Check, Engine | None]:
    """The database check, and the engine on it when it is ready (``services.opening``)."""
    if url is None:
        return _check("database", "error", url_problem or ""), None
    try:
        parse_db_url(url)
    except Refusal as exc:
        return _check("database", "error", exc.message), None
    path = sqlite_file(url)
    if path is not None and not path.exists():
        return _check("database", "error", t("cli.not_initialised_file", path=str(path))), None
    try:
        from cs_console.services.opening import open_database
        from cs_console.storage.migrate import head_revision

        engine = open_database(url)
    except Exception as exc:
        message = describe_failure(exc)
        if message is None:
            raise
        return _check("database", "error", message), None
    detail = t("cli.doctor.database_ok", url=hide_password(url), revision=head_revision())
    return _check("database", "ok", detail), engine


def check_audit(engine: Engine) -> Check:
    """The audit trail's chain and this machine's daily anchors (services.audit_checks):
    a break is an error, for whoever runs doctor to take to an administrator."""
    from cs_console.services.audit_anchors import daily_anchor_file
    from cs_console.services.audit_checks import trail_alarm
    from cs_console.services.context import ServiceContext
    from cs_console.services.opening import rules_in_force

    try:
        alarm = trail_alarm(ServiceContext(engine, *rules_in_force()))
    except Exception as exc:
        message = describe_failure(exc)
        if message is None:
            raise
        return _check("audit", "error", message)
    if alarm is None:
        path = daily_anchor_file()
        where = t("cli.doctor.audit_anchor_file", path=str(path)) if path else ""
        return _check("audit", "ok", t("cli.doctor.audit_ok") + where)
    return _check("audit", "error", alarm.describe())


def check_keyring(timeout: float | None = None) -> Check:
    """Whether logins can be remembered; no backend (headless) is a warning, not an error."""
    found: list[Check] = []

    def probe() -> None:
        try:
            import keyring
            from keyring.backends import fail

            backend = keyring.get_keyring()
            name = f"{type(backend).__module__}.{type(backend).__name__}"
            if isinstance(backend, fail.Keyring) or getattr(backend, "backends", None) == []:
                found.append(_check("keyring", "warning", t("cli.doctor.no_keyring", name=name)))
                return
            backend.get_password(KEYRING_SERVICE, "cs-console-doctor")
            found.append(_check("keyring", "ok", name))
        except Exception as exc:  # KeyringError, D-Bus trouble: logins are not remembered
            found.append(_check("keyring", "warning", t("cli.doctor.keyring_error", detail=exc)))

    thread = threading.Thread(target=probe, name="cs-console-doctor-keyring", daemon=True)
    thread.start()
    limit = remembered_login.KEYRING_TIMEOUT_S if timeout is None else timeout
    thread.join(limit)
    if not found:
        return _check("keyring", "warning", t("cli.doctor.keyring_timeout", seconds=limit))
    return found[0]


def run_checks(url: str | None, url_problem: str | None = None) -> list[Check]:
    """Every check, in the order a person would fix them."""
    checks = [
        check_settings(),
        check_policy(),
        *check_calendar(),
        *check_scripts(),
    ]
    database, engine = check_database(url, url_problem)
    checks.append(database)
    if engine is not None:
        try:
            checks.append(check_audit(engine))
        finally:
            engine.dispose()
    checks.append(check_keyring())
    return checks
