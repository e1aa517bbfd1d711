"""settings.toml is validated by its schema: a bad value names the file and the key."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from cs_console.config.settings import Settings, SettingsError, load_settings
from cs_console.i18n import current_language, set_language


@pytest.fixture
def settings_file() -> Iterator[Path]:
    """settings.toml in this test's config directory, read afresh; English messages."""
    config = Path(os.environ["CS_CONSOLE_HOME"]) / "config"
    config.mkdir(parents=True, exist_ok=True)
    before = current_language()
    set_language("en")
    load_settings.cache_clear()
    yield config / "settings.toml"
    load_settings.cache_clear()
    set_language(before)


def read(path: Path, text: str) -> Settings:
    path.write_text(text, encoding="utf-8")
    load_settings.cache_clear()
    return load_settings()


def test_no_file_means_the_defaults(settings_file: Path) -> None:
    assert load_settings() == Settings()
    assert Settings().theme is None and Settings().keymap == {}


def test_every_setting_is_read(settings_file: Path) -> None:
    settings = read(
        settings_file,
        'company = "ACME"\ntimezone = "Europe/London"\nlanguage = "en"\n'
        'audit_anchor_file = ""\ntheme = "high-contrast"\n'
        '[keymap]\nsave-complaint = "ctrl+s, f9"\nhelp = "f1,question_mark"\n',
    )
    assert settings.company == {"zh-CN": "ACME", "en": "ACME"}
    assert settings.timezone == "Europe/London" and settings.language == "en"
    assert settings.audit_anchor_file == "" and settings.theme == "high-contrast"
    assert settings.keymap == {"save-complaint": "ctrl+s,f9", "help": "f1,question_mark"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('timezone = "Mars/Olympus"', "[timezone] unknown time zone 'Mars/Olympus'"),
        ('language = "fr"', "[language] must be zh-CN or en, got 'fr'"),
        ("company = 3", "[company] must be a name or a table of names by language"),
        ("audit_anchor_file = 3", '[audit_anchor_file] must be a file path (or "" for none)'),
        ("colour = 1", "[colour] is not a known key"),
        ("theme = 3", "[theme] must be text, got 3"),
        ("keymap = 3", "[keymap] must be a table of keys"),
        (
            '[keymap]\nsave-complaint = "ctrl+"',
            "[keymap.save-complaint] 'ctrl+' is not a list of keys: write keys as ctrl+s or "
            "f9, several separated by commas",
        ),
        (
            "[keymap]\nhelp = 1",
            "[keymap.help] 1 is not a list of keys: write keys as ctrl+s or f9, several "
            "separated by commas",
        ),
    ],
)
def test_a_bad_value_names_the_file_and_the_key(
    settings_file: Path, text: str, message: str
) -> None:
    with pytest.raises(SettingsError) as raised:
        read(settings_file, text)
    assert str(raised.value) == f"{settings_file}: {message}"


def test_a_file_that_is_not_toml_is_named(settings_file: Path) -> None:
    with pytest.raises(SettingsError) as raised:
        read(settings_file, "timezone = ")
    assert str(raised.value).startswith(f"{settings_file}: [-] is not valid TOML")


def test_the_problem_is_told_in_chinese_too(settings_file: Path) -> None:
    set_language("zh-CN")
    with pytest.raises(SettingsError) as raised:
        read(settings_file, 'language = "fr"')
    assert str(raised.value) == f"{settings_file}: [language] 必须是 zh-CN 或 en，现为 'fr'"


def test_reading_the_settings_imports_no_schema_library(settings_file: Path) -> None:
    """Settings are read before the console's first frame: pydantic (~0.25 s) is not."""
    settings_file.write_text(
        'company = "ACME"\ntheme = "high-contrast"\n[keymap]\nhelp = "f1"\n', encoding="utf-8"
    )
    code = (
        "import sys\n"
        "from cs_console.config.settings import load_settings\n"
        "assert load_settings().keymap == {'help': 'f1'}\n"
        "print(sorted(m for m in ('pydantic', 'pydantic_core') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"
