"""The workspace's plain parts, without a terminal: call steps, preview, drafts, texts."""

from __future__ import annotations

import re
import tomllib
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

from cs_console.config.policy_file import default_policy
from cs_console.domain.classification import SeverityReason
from cs_console.domain.complaint_entry import FORM_FIELDS, ComplaintForm, to_payload
from cs_console.domain.enums import (
    Category,
    CompensationKind,
    ComplaintStatus,
    ContactType,
    Severity,
)
from cs_console.domain.prohibited import ItemStatus
from cs_console.domain.scripts import CallStep
from cs_console.i18n import PLURAL_FORMS, set_language
from cs_console.ui.call_state import CallState, Said
from cs_console.ui.commands import APP_ACTIONS, WORKSPACE_ACTIONS
from cs_console.ui.widgets.complaint_form_pane import effective_form
from cs_console.ui.widgets.desk_header import call_timer
from cs_console.ui.widgets.severity_preview import describe_preview
from cs_console.ui.workspace.drafts import is_blank

NOW = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)
SHANGHAI = ZoneInfo("Asia/Shanghai")
UI = Path(__file__).resolve().parents[2] / "cs_console" / "ui"


def test_a_call_goes_greeting_identify_privacy_facts_then_closing_and_farewell() -> None:
    call = CallState.start(NOW)
    assert call.step is CallStep.GREETING
    assert call.mark_said() is Said.ANSWERED
    assert [call.mark_said(), call.mark_said()] == [Said.NEXT, Said.NEXT]
    assert call.step is CallStep.FACT_FINDING
    assert call.mark_said() is Said.STAY  # facts take as long as they take
    call.show_aside("empathy", "...")
    assert call.mark_said() is Said.ASIDE_DONE and call.step is CallStep.FACT_FINDING
    assert call.begin_ending() is False and call.step is CallStep.CLOSING_QUESTION
    assert call.mark_said() is Said.NEXT and call.step is CallStep.FAREWELL
    assert call.mark_said() is Said.FINISH
    assert CallState().mark_said() is Said.NOTHING


def test_f8_twice_ends_at_once() -> None:
    call = CallState.start(NOW)
    assert call.begin_ending() is False
    assert call.begin_ending() is True


def test_the_script_follows_what_happens_in_the_call() -> None:
    call = CallState.start(NOW)
    assert call.parcel_identified(by_phone=False) is False  # not before the greeting
    call.mark_said()
    assert call.step is CallStep.IDENTIFY
    assert call.parcel_identified(by_phone=True) and call.step is CallStep.PRIVACY_NOTICE
    assert call.personal_data_typed("phone") is False  # what brought the notice up
    assert call.personal_data_asked("form") is False  # already on screen
    assert call.personal_data_typed("customer_name") and call.step is CallStep.FACT_FINDING
    assert call.personal_data_asked("form") is False  # said once a call

    other = CallState.start(NOW)
    other.mark_said()
    assert other.parcel_identified(by_phone=False) and other.step is CallStep.FACT_FINDING
    assert other.personal_data_asked("form") and other.step is CallStep.PRIVACY_NOTICE
    assert other.mark_said() is Said.NEXT and other.privacy_said

    # After a save: the reference, then the closing question, one ctrl+g for both.
    other.complaint_registered("C-20261122-0001", "编号 C-20261122-0001")
    assert other.step is CallStep.CLOSING_QUESTION and other.aside_then_step
    assert other.complaints == ["C-20261122-0001"]
    assert other.mark_said() is Said.NEXT and other.step is CallStep.FAREWELL
    assert other.aside is None


def test_f8_after_a_save_leaves_the_closing_question_to_say() -> None:
    call = CallState.start(NOW)
    call.complaint_registered("C-1", "编号 C-1")
    assert call.begin_ending() is False  # not stored: the closing question is not said
    assert call.step is CallStep.CLOSING_QUESTION and call.aside is None
    call.resume()  # the caller has another matter: the form again
    assert call.step is CallStep.FACT_FINDING


def test_the_preview_of_a_major_delay() -> None:
    set_language("zh-CN")
    form = ComplaintForm(category="delay", days_late="3")
    preview = describe_preview(form, default_policy(), NOW, SHANGHAI)
    assert preview.severity is Severity.MAJOR
    assert preview.headline == "重大投诉 · 延误 ≥ 3 天 · 转交专员"
    assert preview.clocks == "核实 ≤ 20:00 (6 h)\n处理 ≤ 11-24 14:00 (48 h)"
    assert preview.compensation == "建议补偿：优惠券 ¥15"


def test_the_preview_waits_for_a_category_and_never_fails_on_junk() -> None:
    set_language("en")
    policy = default_policy()
    assert describe_preview(ComplaintForm(), policy, NOW, SHANGHAI).severity is None
    junk = ComplaintForm(category="damage", declared_value="-[b]", shipping_fee="1e9")
    assert describe_preview(junk, policy, NOW, SHANGHAI).severity is Severity.GENERAL
    set_language("zh-CN")


def test_fields_a_category_does_not_use_are_left_out_of_what_is_saved() -> None:
    typed = ComplaintForm(category="delay", days_late="2", declared_value="abc", insured=True)
    saved = effective_form(typed)
    assert (saved.days_late, saved.declared_value, saved.insured) == ("2", "", False)
    loss = ComplaintForm(category="loss", insured=False, insured_amount="100")
    assert effective_form(loss).insured_amount == ""


def test_the_call_timer_folds_hours_into_minutes() -> None:
    assert call_timer(NOW, NOW + timedelta(minutes=3, seconds=12)) == "03:12"
    assert call_timer(NOW, NOW + timedelta(minutes=75)) == "75:00"
    assert call_timer(NOW, NOW - timedelta(seconds=3)) == "00:00"


def test_a_blank_workspace_is_no_draft() -> None:
    blank = {"call": {}, "form": to_payload(ComplaintForm()), "call_started": None}
    assert is_blank(blank)
    assert not is_blank({**blank, "call": {"notes": "x"}})
    assert not is_blank({**blank, "call_started": NOW.isoformat()})
    assert is_blank({"form": "garbage"})


# -- every text in both languages ---------------------------------------------------------


def _catalog(lang: str) -> dict[str, str]:
    text = (resources.files("cs_console") / "data" / "i18n" / f"ui.{lang}.toml").read_text("utf-8")
    flat: dict[str, str] = {}

    def walk(prefix: str, table: dict) -> None:
        for key, value in table.items():
            name = f"{prefix}.{key}" if prefix else key
            if isinstance(value, dict) and value.keys() <= PLURAL_FORMS:  # one key, all forms
                flat[name] = "\n".join(value.values())
            else:
                walk(name, value) if isinstance(value, dict) else flat.__setitem__(name, value)

    walk("", tomllib.loads(text))
    return flat


def _used_keys() -> set[str]:
    """Literal ui.* keys in the code I own, and the keys built from enums."""
    keys: set[str] = set()
    for path in UI.rglob("*.py"):
        keys |= set(re.findall(r"[\"'](ui\.[a-z_]+\.[a-z_.]+)[\"']", path.read_text("utf-8")))
    families = {
        "ui.category": [c.value for c in Category],
        "ui.contact_type": [c.value for c in ContactType],
        "ui.severity": [s.value for s in Severity],
        "ui.severity_short": [s.value for s in Severity],
        "ui.status": [s.value for s in ComplaintStatus],
        "ui.step": [s.value for s in CallStep],
        "ui.prohibited": [s.value for s in ItemStatus],
        "ui.compensation": [k.value for k in CompensationKind],
        "ui.reason": [r.value for r in SeverityReason],
        "ui.field": list(FORM_FIELDS),
        "ui.aside": ["empathy", "reply_promise", "complaint_registered", "major_handover"],
        "ui.job": [
            "start_call",
            "mark_answered",
            "end_call",
            "save",
            "promise",
            "lists",
            "undo",
            "reveal",
        ],
        "ui.command": [*WORKSPACE_ACTIONS, *APP_ACTIONS],
        "ui.key": [*WORKSPACE_ACTIONS, *APP_ACTIONS],
        "ui.help.keys": ["tab", "choice", "queue", "clocks", "escape"],
        "ui.help.what": ["tab", "choice", "queue", "clocks", "escape"],
        "ui.password": ["old", "new", "again"],
    }
    for family, names in families.items():
        keys |= {f"{family}.{name}" for name in names if name not in ("channel", "outlet")}
    return keys


def test_both_languages_have_the_same_texts() -> None:
    assert set(_catalog("zh-CN")) == set(_catalog("en"))


def test_every_text_the_ui_asks_for_exists() -> None:
    known = set(_catalog("zh-CN"))
    missing = sorted(key for key in _used_keys() if key not in known)
    assert missing == []


def test_placeholders_match_between_languages() -> None:
    zh, en = _catalog("zh-CN"), _catalog("en")
    fields = lambda text: set(re.findall(r"{(\w+)}", text))  # noqa: E731
    assert {k: fields(v) for k, v in zh.items()} == {k: fields(v) for k, v in en.items()}


def test_ui_chrome_avoids_ambiguous_width_punctuation() -> None:
    for lang in ("zh-CN", "en"):
        for key, text in _catalog(lang).items():
            assert not set(text) & set("…“”‘’"), (lang, key)  # noqa: RUF001
