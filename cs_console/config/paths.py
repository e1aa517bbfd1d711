"""Where cs_console keeps its files: platformdirs, or everything under CS_CONSOLE_HOME."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "cs-console"


def _home() -> Path | None:
    value = os.environ.get("CS_CONSOLE_HOME")
    return Path(value).expanduser() if value else None


def data_dir() -> Path:
    """The directory for the default database and the outage journal (created on demand)."""
    home = _home()
    if home is not None:
        path = home / "data"
    else:
        from platformdirs import user_data_path

        path = user_data_path(APP_NAME, appauthor=False)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def runtime_dir() -> Path:
    """Owner-only directory for the screen-pop sockets (created on demand, mode 0700).

    $XDG_RUNTIME_DIR (per login, on a tmpfs) when the session has one, else the data
    directory: a socket must never sit in a folder other users can enter.
    """
    home = _home()
    if home is not None:
        path = home / "run"
    elif os.environ.get("XDG_RUNTIME_DIR"):
        from platformdirs import user_runtime_path

        path = user_runtime_path(APP_NAME, appauthor=False)
    else:
        path = data_dir() / "run"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.chmod(0o700)
    return path


def config_dir() -> Path:
    """The directory holding settings.toml (not created: settings are optional)."""
    home = _home()
    if home is not None:
        return home / "config"
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False)


def default_database_url() -> str:
    """The SQLite file in the user's data directory."""
    return f"sqlite:///{data_dir() / 'cs_console.db'}"


def database_url(explicit: str | None = None) -> str:
    """The database to use: --db, else CS_CONSOLE_DB, else the default SQLite file."""
    return explicit or os.environ.get("CS_CONSOLE_DB") or default_database_url()


def journal_path(url: str) -> Path:
    """The outage journal of the database at ``url``: one SQLite file per database, in the
    data directory, named by a digest of the URL without its password (never on disk)."""
    import hashlib
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{parts.username or ''}@{host}:{parts.port or ''}" if parts.netloc else ""
    bare = urlunsplit((parts.scheme, netloc, parts.path, "", ""))
    digest = hashlib.sha256(bare.encode()).hexdigest()[:16]
    return data_dir() / f"journal-{digest}.db"
