"""The parcel in the call: the box under the tracking number, the status read out, the
stored contact's state, another carrier's number, a provider that fails, an answer that
comes too late, the days-late suggestion and the full timeline.

The default provider (demo) is used as the console would; where a test needs a given
timeline or a failing provider, the workspace's lookup is a real kuaidi100 client talking
to the local server of tests/services/kuaidi100_server.py.
"""

from __future__ import annotations

import re
import threading

from textual.pilot import Pilot

from cs_console.config.tracking_settings import load_carriers
from cs_console.domain.carriers import DEMO_OWN_PATTERN
from cs_console.domain.tracking import Tracking
from cs_console.i18n import set_language
from cs_console.services.context import ServiceContext
from cs_console.services.tracking.lookup import TrackingLookup
from cs_console.services.tracking.provider import TrackingProvider
from cs_console.ui.screens.parcel_timeline import ParcelTimelineScreen
from cs_console.ui.workspace.parcel import ParcelPart
from cs_console.ui.workspace.screen import WorkspaceScreen
from tests.conftest import FakeClock
from tests.services.kuaidi100_server import (
    Kuaidi100Server,
    answer,
    event,
    kuaidi100_fixture,  # noqa: F401  (the fixture "kuaidi100")
)
from tests.services.test_tracking_lookup import lookup_on
from tests.ui.support import (
    Keyboard,
    a_complaint,
    debounced,
    people,
    rows,
    script,
    settle,
    shown_compact,
    type_text,
    until,
    workspace,
)

# The clock starts at 2026-11-22 14:00 in Shanghai. Picked up on 11-20 09:00 and promised
# within 3 days (policy.toml): expected on 11-23 -- "tomorrow".
ON_ITS_WAY = "SF1311230000001"
ON_ITS_WAY_EVENTS = [
    event("2026-11-22 13:20:00", "【北京转运中心】已发出 下一站【北京朝阳网点】"),
    event("2026-11-22 02:05:00", "快件已到达【北京转运中心】"),
    event("2026-11-21 08:40:00", "【杭州转运中心】已发出 下一站【北京转运中心】"),
    event("2026-11-20 21:10:00", "快件已到达【杭州转运中心】"),
    event("2026-11-20 09:00:00", "【杭州西湖营业部】已揽收"),
]
# Picked up on 11-17 09:00: promised on 11-20, still on its way on 11-22: 2 days late.
LATE = "SF1311230000002"
LATE_EVENTS = [
    event("2026-11-21 18:20:00", "快件在【武汉转运中心】滞留，原因：天气原因", "疑难"),
    event("2026-11-18 11:45:00", "快件已到达【武汉转运中心】"),
    event("2026-11-17 09:00:00", "【广州白云营业部】已揽收"),
]
SAY_NEXT_ON_ITS_WAY = "您的快件目前在【北京转运中心】，已于11月22日13:20发出，预计明天送达"


def parcel_part(app: object) -> ParcelPart:
    screen = app.workspace()  # type: ignore[attr-defined]
    assert isinstance(screen, WorkspaceScreen) and screen.bench is not None
    return screen.bench.parcel


async def number_in_a_call(pilot: Pilot, number: str) -> None:
    """F2, the greeting said, ``number`` typed in the call pane's tracking number field."""
    await pilot.press("f2")
    await settle(pilot)
    await pilot.press("ctrl+g", "tab")
    await type_text(pilot, number)


def parcel_box(app: object) -> str:
    """The box as the agent sees it, border (number, state) included, spaces removed."""
    return compact_text("".join(box_lines(app))).replace("│", "")


def box_lines(app: object) -> list[str]:
    box = app.screen.query_one("#parcel-box")  # type: ignore[attr-defined]
    region = box.region
    strips = app.screen._compositor.render_strips()  # type: ignore[attr-defined]
    return [s.crop(region.x, region.right).text for s in strips[region.y : region.bottom]]


def compact_text(text: str) -> str:
    return re.sub(r"\s+", "", text)


def on_the_server(console: ServiceContext, kuaidi100: Kuaidi100Server) -> TrackingLookup:
    kuaidi100.known[ON_ITS_WAY] = answer(ON_ITS_WAY, 0, ON_ITS_WAY_EVENTS)
    kuaidi100.known[LATE] = answer(LATE, 2, LATE_EVENTS)
    return lookup_on(console, kuaidi100)


async def test_f6_finds_a_parcel_by_a_tracking_number_typed_in_the_caller_field(
    sqlite_console: ServiceContext,
) -> None:
    # It went into the form's phone, and nothing was looked up.
    people(sqlite_console)
    async with workspace(sqlite_console) as (app, pilot):
        keys = Keyboard(pilot)
        await keys.key("f2")
        await settle(pilot)
        await keys.key("ctrl+g")
        await keys.key("f6")  # the caller field takes a phone, a parcel or a reference
        await keys.type("SF1311234567890")
        await debounced(pilot)
        assert "─ SF1311234567890 ─" in box_lines(app)[0]
        assert "已签收" in parcel_box(app)
        assert app.workspace().form.typed_form().phone == ""
        assert "您的快件已于" in compact_text(script(app))  # identified: the status read out


async def test_a_tracking_query_from_f2_to_the_stored_contact_with_the_state_read_out(
    sqlite_console: ServiceContext, clock: FakeClock
) -> None:
    """The demo provider (the default): a parcel signed for three days ago."""
    people(sqlite_console)
    async with workspace(sqlite_console) as (app, pilot):
        keys = Keyboard(pilot)
        await keys.key("f2")
        await settle(pilot)
        await keys.key("ctrl+g")  # the greeting said
        await keys.key("tab")  # the tracking number field
        await keys.type("SF1311234567890")
        await debounced(pilot)

        lines = box_lines(app)
        assert "─ SF1311234567890 ─" in lines[0] and "已签收 · ✓ 按时签收" in lines[1]
        # Each event's day and time in a column, its text beside it (two lines at most).
        assert lines[2].startswith("│ 11-19 【杭州高新网点】快件已") and "19:16 签收" in lines[3]
        assert "11-19 【杭州高新网点】派件员" in lines[4] and "16:16 刘师傅" in lines[5]
        assert "11-19 快件已到达" in lines[6]
        box = parcel_box(app)
        assert "已揽收" not in box  # three events only: the pick-up is in the timeline
        assert "武汉→杭州·网点杭州高新·承诺11月21日" in box
        assert "Enter 全部轨迹" in lines[-1]
        said = compact_text(script(app))
        assert "您的快件已于11月19日19:16在【杭州高新网点】签收" in said

        await keys.key("f8")  # which type of call: tracking query is 1
        await keys.key("1")
        await keys.key("ctrl+g")  # the closing question
        await keys.key("ctrl+g")  # the farewell: the contact is stored
        await settle(pilot)
        assert "按F2接听来电" in script(app)

    assert rows(sqlite_console, "SELECT contact_type, tracking_state FROM contacts") == [
        ("tracking", "signed")
    ]


async def test_a_parcel_on_its_way_is_read_out_with_its_hub_and_the_day_expected(
    sqlite_console: ServiceContext, kuaidi100: Kuaidi100Server
) -> None:
    people(sqlite_console)
    async with workspace(sqlite_console) as (app, pilot):
        parcel_part(app).lookup = on_the_server(sqlite_console, kuaidi100)
        await number_in_a_call(pilot, ON_ITS_WAY)
        await debounced(pilot)

        box = parcel_box(app)
        assert "运输中·✓未超时" in box and "杭州→北京·网点北京朝阳·承诺11月23日" in box
        assert "13:20【北京转运中心】已发出" in box  # today: the time alone
        assert SAY_NEXT_ON_ITS_WAY in compact_text(script(app))

        await pilot.press("f3")  # a complaint after all: the form is typed in
        await type_text(pilot, "张伟")
        await settle(pilot)
        assert SAY_NEXT_ON_ITS_WAY not in compact_text(script(app))
        await pilot.press("f8")  # the form is settled first (kept), the type then asked
        await settle(pilot)
    assert kuaidi100.hits == 1


async def test_another_carriers_number_is_named_and_not_asked(
    sqlite_console: ServiceContext, kuaidi100: Kuaidi100Server
) -> None:
    people(sqlite_console)
    async with workspace(sqlite_console) as (app, pilot):
        parcel_part(app).lookup = on_the_server(sqlite_console, kuaidi100)
        await number_in_a_call(pilot, "JT1234567890123")
        await debounced(pilot)
        assert "JT1234567890123是极兔速递的单号，不是本公司的快件" in parcel_box(app)
        assert "您的快件" not in script(app)
    assert kuaidi100.hits == 0


async def test_a_provider_that_does_not_answer_is_one_line_and_the_call_goes_on(
    sqlite_console: ServiceContext, kuaidi100: Kuaidi100Server
) -> None:
    people(sqlite_console)
    kuaidi100.mode, kuaidi100.slow_seconds = "slow", 3.0  # past the policy's 2 s
    async with workspace(sqlite_console, toasts=True) as (app, pilot):
        parcel_part(app).lookup = on_the_server(sqlite_console, kuaidi100)
        await number_in_a_call(pilot, ON_ITS_WAY)
        await until(pilot, lambda: "正在查询" in parcel_box(app), seconds=2)
        assert "请您稍等" in script(app)  # the call goes on while it is asked
        await pilot.press("f6")  # typing elsewhere is not held up: the phone
        await type_text(pilot, "13812345678")
        assert app.screen.query_one("#call-phone").value == "13812345678"  # type: ignore[attr-defined]
        await until(pilot, lambda: "查件暂不可用：超时" in parcel_box(app), seconds=6)
        assert ON_ITS_WAY in parcel_box(app) and "运输中" not in parcel_box(app)
        await settle(pilot)
        assert shown_compact(app).count("查件暂不可用") == 1  # in the box; no toast
        await pilot.press("f8", "1", "ctrl+g", "ctrl+g")
        await settle(pilot)
    assert rows(sqlite_console, "SELECT contact_type, tracking_state FROM contacts") == [
        ("tracking", None)
    ]


class GatedProvider:
    """Answers from the local server, but holds ``held`` until ``release`` is set."""

    name = "gated"

    def __init__(self, inner: TrackingProvider, held: str) -> None:
        self.inner, self.held = inner, held
        self.asked, self.release = threading.Event(), threading.Event()

    def query(self, tracking_no: str, phone_last4: str | None = None) -> Tracking:
        if tracking_no == self.held:
            self.asked.set()
            self.release.wait(10)
        return self.inner.query(tracking_no, phone_last4)


async def test_an_answer_for_a_number_typed_over_is_dropped(
    sqlite_console: ServiceContext, kuaidi100: Kuaidi100Server
) -> None:
    people(sqlite_console)
    async with workspace(sqlite_console) as (app, pilot):
        served = on_the_server(sqlite_console, kuaidi100)
        gated = GatedProvider(served.provider, held=LATE)
        parcel_part(app).lookup = TrackingLookup(
            engine=sqlite_console.engine,
            provider=gated,
            policy=served.policy,
            own_pattern=re.compile(DEMO_OWN_PATTERN),
            carriers=load_carriers(),
            clock=sqlite_console.clock,
        )
        await pilot.press("f6", "tab")  # the tracking number field (no call needed to look)
        await type_text(pilot, LATE)
        await until(pilot, gated.asked.is_set)  # asked, and waiting on the provider
        for _ in LATE:
            await pilot.press("backspace")
        await type_text(pilot, ON_ITS_WAY)
        await until(pilot, lambda: "运输中" in parcel_box(app))
        gated.release.set()  # the first number's answer comes now
        await settle(pilot)
        await until(pilot, lambda: not [w for w in app.workers if w.group == "parcel"])
        await settle(pilot)
        box = parcel_box(app)
        assert ON_ITS_WAY in box and "运输中" in box
        assert LATE not in box and "武汉" not in box and "疑难" not in box


async def test_days_late_is_suggested_and_never_replaces_what_the_agent_typed(
    sqlite_console: ServiceContext, kuaidi100: Kuaidi100Server
) -> None:
    people(sqlite_console)
    async with workspace(sqlite_console) as (app, pilot):
        parcel_part(app).lookup = on_the_server(sqlite_console, kuaidi100)
        form = app.workspace().form  # type: ignore[attr-defined]
        await number_in_a_call(pilot, LATE)
        await debounced(pilot)
        assert "疑难件·▲晚2天" in parcel_box(app)
        assert "轨迹：晚2天" not in shown_compact(app)  # the form is not a delay complaint

        await pilot.press("f3")
        await type_text(pilot, "张伟")
        await pilot.press("enter")  # the phone
        await type_text(pilot, "13812345678")
        await pilot.press("enter", "1")  # delay: the cursor is on days late, empty
        await settle(pilot)
        assert app.focused is app.screen.query_one("#days_late")
        assert "轨迹：晚2天（Enter采用）" in shown_compact(app)  # under days late
        assert form.typed_form().days_late == ""  # suggested, not filled in
        await pilot.press("enter")  # the agent takes it
        await settle(pilot)
        assert form.typed_form().days_late == "2"

        form.focus_field("days_late")
        await pilot.press("backspace")
        await type_text(pilot, "5")  # the agent knows better
        await settle(pilot)
        parcel_part(app).wanted = ""  # the same parcel looked up again
        parcel_part(app).number_changed()
        await debounced(pilot)
        assert "▲晚2天" in parcel_box(app)
        assert form.typed_form().days_late == "5"
        form.focus_field("days_late")
        await pilot.press("enter")  # Enter in a filled field keeps what is there
        await settle(pilot)
        assert form.typed_form().days_late == "5"


async def test_enter_on_the_box_opens_the_whole_timeline_and_escape_closes_it(
    sqlite_console: ServiceContext, kuaidi100: Kuaidi100Server
) -> None:
    people(sqlite_console)
    async with workspace(sqlite_console) as (app, pilot):
        parcel_part(app).lookup = on_the_server(sqlite_console, kuaidi100)
        await number_in_a_call(pilot, ON_ITS_WAY)
        await debounced(pilot)
        app.screen.query_one("#parcel-box").focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ParcelTimelineScreen)
        text = shown_compact(app)
        assert "快件SF1311230000001·运输中·全部轨迹" in text
        assert "11-2009:00【杭州西湖营业部】已揽收" in text  # the pick-up, not in the box
        assert "中转：杭州转运中心→北京转运中心" in text

        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, WorkspaceScreen)
        assert "您的快件目前在【北京转运中心】" in compact_text(script(app))  # call goes on

        await pilot.press("ctrl+j")  # the key for it, wherever the cursor is
        await settle(pilot)
        assert isinstance(app.screen, ParcelTimelineScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, WorkspaceScreen)


async def test_the_box_and_the_sentence_fit_80x24_in_english(
    sqlite_console: ServiceContext, kuaidi100: Kuaidi100Server
) -> None:
    set_language("en")
    people(sqlite_console)
    async with workspace(sqlite_console, size=(80, 24)) as (app, pilot):
        parcel_part(app).lookup = on_the_server(sqlite_console, kuaidi100)
        await number_in_a_call(pilot, LATE)
        await debounced(pilot)
        box = app.screen.query_one("#parcel-box")
        box.scroll_visible(animate=False)
        await settle(pilot)
        lines = box_lines(app)
        assert f"─ {LATE} ─" in lines[0]  # the number whole in the border
        assert "trouble·▲2dayslate" in parcel_box(app)
        assert max(len(line) for line in lines) <= box.region.width
        said = compact_text(script(app))
        assert "ThereisaproblemwithyourparcelatWuhan" not in said  # places stay as written
        assert "Thereisaproblemwithyourparcelat武汉转运中心(18:20on21Nov)" in said


MARKUP = ("[/b]", "[TODO]", "[bold red]x", "[@click=app.quit]x[/]", "[link=http://x]y[/link]")


async def test_the_providers_text_is_shown_literally_never_as_markup(
    sqlite_console: ServiceContext, kuaidi100: Kuaidi100Server
) -> None:
    people(sqlite_console)
    texts = [f"{odd}:smile:\x1b]52;c;aGk=\x07快件已到达【杭州转运中心】" for odd in MARKUP]
    events = [event(f"2026-11-1{i} 10:00:00", text) for i, text in enumerate(texts)][::-1]
    kuaidi100.known[ON_ITS_WAY] = answer(ON_ITS_WAY, 0, events)
    async with workspace(sqlite_console) as (app, pilot):
        parcel_part(app).lookup = lookup_on(sqlite_console, kuaidi100)
        await pilot.press("tab")
        await pilot.press("f6", "tab")
        await type_text(pilot, ON_ITS_WAY)
        await debounced(pilot)
        box = re.sub(r"\d\d[-:]\d\d", "", parcel_box(app))  # the newest three, times out
        assert "[@click=app.quit]x[/]:smile:" in box and "[link=http://x]y[/link]" in box
        assert "[boldred]x" in box and "\x1b" not in box
        await pilot.press("ctrl+j")
        await settle(pilot)
        text = shown_compact(app)
        for odd in MARKUP:
            assert compact_text(odd) in text
        assert "\x1b" not in text and "52;c;aGk=" not in text  # the OSC 52 write dropped
        assert app.is_running


async def test_the_parcel_of_a_quoted_complaint_fills_the_box_without_a_number_typed(
    sqlite_console: ServiceContext,
) -> None:
    people(sqlite_console)
    reference = a_complaint(sqlite_console, tracking_no="SF1311234567890")
    async with workspace(sqlite_console) as (app, pilot):
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press("ctrl+g")
        await type_text(pilot, reference)  # quoted in the caller field
        await debounced(pilot)
        assert app.screen.query_one("#call-tracking_no").value == ""  # type: ignore[attr-defined]
        box = parcel_box(app)
        # on file since the complaint: the demo provider has it just picked up
        assert "SF1311234567890" in box and "已揽收·✓未超时" in box
