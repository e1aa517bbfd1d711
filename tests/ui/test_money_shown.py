"""Money reads "¥1,234.50" wherever a person sees it: the live preview under the form, the
complaint screen's remedies, and the resolution dialog (exports carry plain numbers)."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Input, Static

from cs_console.config.policy_file import default_policy
from cs_console.domain.classification import SeverityReason
from cs_console.domain.compensation import Suggestion
from cs_console.domain.enums import CompensationKind
from cs_console.i18n import LANGUAGES, set_language
from cs_console.ui.screens.complaint_detail_dialogs import ResolutionDialog
from cs_console.ui.screens.complaint_text import remedy
from cs_console.ui.widgets.severity_preview import compensation_text, severity_reason
from tests.ui.screen_text import widget_text

DECLARED = Suggestion(CompensationKind.DECLARED_VALUE, 123450, 5000, 123456)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_preview_writes_money_one_way(lang: str) -> None:
    set_language(lang)
    text = compensation_text(DECLARED)
    assert "¥1,234.50" in text and "¥50" in text and "¥1,234.56" in text
    coupon = compensation_text(Suggestion(CompensationKind.COUPON, 1500))
    assert coupon.endswith(" ¥15")
    reason = severity_reason((SeverityReason.DAMAGE_VALUE,), default_policy(), None)
    assert reason.endswith("≥ ¥500")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_complaint_screen_writes_money_one_way(lang: str) -> None:
    set_language(lang)
    assert remedy("coupon", 123450).endswith(" ¥1,234.50")
    assert remedy("coupon", 999_900).endswith(" ¥9,999")


def test_the_preview_in_chinese_reads_as_before() -> None:
    set_language("zh-CN")
    assert compensation_text(DECLARED) == (
        "建议补偿：按声明价值赔偿 ¥1,234.50（需提供凭证），不低于 ¥50，最高 ¥1,234.56"
    )


class DialogApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("complaint")

    def on_mount(self) -> None:
        suggestion = Suggestion(CompensationKind.COUPON, 123450)
        self.push_screen(ResolutionDialog("coupon", 123450, default_policy(), suggestion))


async def test_the_resolution_dialog_writes_money_one_way() -> None:
    app = DialogApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ResolutionDialog)
        assert "优惠券¥1,234.50；" in widget_text(app, "#resolution-hint")
        assert app.screen.query_one("#resolution-amount", Input).value == "1234.50"
