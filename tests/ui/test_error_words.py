"""What a person is told when a request fails: a refusal in its words, a database failure
as such (a driver's own error code is never shown as if it were a message key)."""

from __future__ import annotations

from sqlalchemy.exc import OperationalError

from cs_console.i18n import t
from cs_console.services.context import NotFound
from cs_console.ui.error_words import error_code, error_text
from cs_console.ui.messages import describe_error

DOWN = OperationalError("SELECT 1", {}, ConnectionRefusedError("connection refused"))


def test_a_database_failure_is_said_in_plain_words() -> None:
    assert DOWN.code == "e3q8"  # SQLAlchemy's own: not one of our messages
    assert describe_error(DOWN) == t("error.server_unreachable")
    assert error_text(DOWN) == t("error.database_unavailable")
    assert error_code(DOWN) is None
    assert "e3q8" not in describe_error(DOWN) + error_text(DOWN)


def test_a_refusal_is_said_in_its_own_words() -> None:
    refused = NotFound("no_such_complaint")
    assert describe_error(refused) == error_text(refused) == t("error.no_such_complaint")
    assert error_code(refused) == "no_such_complaint"
    assert "error." not in describe_error(refused)
