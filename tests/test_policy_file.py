"""Reading the policy file: the packaged default, or CS_CONSOLE_POLICY; a file that cannot
be read or is not TOML is named."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cs_console.config.policy_file import read_policy
from cs_console.domain.policy import PolicyError
from cs_console.i18n import current_language, set_language


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    before = current_language()
    set_language("en")
    yield
    set_language(before)


def test_the_packaged_policy_is_read_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CS_CONSOLE_POLICY", raising=False)
    assert read_policy().callbacks.max_attempts == 3


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(PolicyError) as raised:
        read_policy(tmp_path / "nowhere.toml")
    assert str(raised.value) == (
        f"{tmp_path / 'nowhere.toml'}: [-] cannot be read: No such file or directory"
    )


def test_a_file_that_is_not_toml_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "policy.toml"
    path.write_text("[call\n", encoding="utf-8")
    monkeypatch.setenv("CS_CONSOLE_POLICY", str(path))
    with pytest.raises(PolicyError) as raised:
        read_policy()
    assert str(raised.value).startswith(f"{path}: [-] is not valid TOML: ")
