"""How a mass-complaint alert reads, on the workspace banner and on the overview."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from cs_console.domain.text import clean_line
from cs_console.i18n import t

if TYPE_CHECKING:
    from cs_console.storage.incidents import AlertRow


def alert_line(alert: AlertRow, window: timedelta) -> str:
    """``⚠ Mass-complaint alert: delay · 杭州转运中心 · 23 in 60 min`` (plain text: the place
    is typed data, shown through ``Text``, never markup)."""
    return t(
        "incident.banner",
        category=t(f"ui.category.{alert.issue.category}"),
        place=clean_line(alert.issue.value),
        count=alert.count,
        minutes=int(window.total_seconds() // 60),
    )


def raised_line(alert: AlertRow, window: timedelta) -> str:
    """What the person whose save raised ``alert`` is told at once: the kind of place, the
    place and the count (``⚠ Your complaint raised …: delay · hub 杭州转运中心 · 21 in 60 min``)."""
    return t(
        "incident.raised",
        category=t(f"ui.category.{alert.issue.category}"),
        dimension=t(f"incident.dimension.{alert.issue.dimension.value}"),
        place=clean_line(alert.issue.value),
        count=alert.count,
        minutes=int(window.total_seconds() // 60),
    )
