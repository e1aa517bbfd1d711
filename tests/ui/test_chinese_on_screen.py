"""Chinese text is never blanked: a toast or a drop-down over the panes shows every
character (Textualize/textual#6357, patched in ui/textual_fixes/wide_chars.py), and
wrapped Chinese lines never begin with closing punctuation (ui/textual_fixes/line_breaks.py).
"""

from __future__ import annotations

import pytest
import textual
from rich.cells import cell_len
from rich.console import Console as RichConsole
from rich.segment import ControlType
from textual._compositor import Compositor
from textual.app import App
from textual.geometry import Region
from textual.widgets._toast import Toast

from cs_console.i18n import t
from cs_console.services.context import ServiceContext
from cs_console.ui.textual_fixes import wide_chars
from cs_console.ui.textual_fixes.line_breaks import NO_LINE_START
from tests.conftest import add_person
from tests.ui.screen_text import compact, widget_lines
from tests.ui.support import a_complaint, people, settle, toasts_shown, workspace

# Each was seen with a character blanked where it crossed a border beneath it.
NO_KEYRING = "ui.remember.no_keyring"  # "本机没有可用的钥匙串：  会记住登录" (不 gone)
KEPT = "ui.form.kept_after_call"  # "投诉表单还没有保存，内  已保留" (容 gone)


def toast_texts(app: App) -> list[str]:
    """What each toast on screen shows, its lines joined up again."""
    return [compact("".join(widget_lines(app, toast))) for toast in app.screen.query(Toast)]


@pytest.mark.parametrize("size", [(120, 35), (110, 35)])  # where they were cut
async def test_a_toast_over_the_panes_shows_every_character(
    sqlite_console: ServiceContext, size: tuple[int, int]
) -> None:
    people(sqlite_console)
    async with workspace(sqlite_console, size, toasts=True) as (app, pilot):
        for key in (NO_KEYRING, KEPT):
            app.notify(t(key), severity="warning", markup=False)
        await toasts_shown(pilot, 2)
        assert toast_texts(app) == [compact(t(NO_KEYRING)), compact(t(KEPT))]


@pytest.mark.parametrize("size", [(120, 35), (80, 24)])
async def test_the_hand_over_list_over_the_complaint_shows_every_name(
    sqlite_console: ServiceContext, size: tuple[int, int]
) -> None:
    people(sqlite_console)
    add_person(sqlite_console, "lihua", agent_no="1025", display_name="李华")
    a_complaint(sqlite_console)
    async with workspace(sqlite_console, size) as (app, pilot):
        app.screen.query_one("#my-clocks").focus()
        await pilot.press("enter")  # the complaint
        await settle(pilot)
        await pilot.press("h")  # hand over: the dialog
        await settle(pilot)
        await pilot.press("enter")  # its list drops down over the dialog's fields
        await settle(pilot)
        listed = widget_lines(app, "SelectOverlay")
        assert "1025 李华（坐席）" in listed  # was "1025 李   (坐席)"
        assert "2001 李四（投诉专员）" in listed and "2002 赵敏（投诉专员）" in listed


def cells(text: str) -> list[str]:
    """One string a terminal cell: a double-width character, then an empty cell."""
    row: list[str] = []
    for character in text:
        row.extend([character, ""] if cell_len(character) == 2 else [character])
    return row


def play(update: object, screen: list[list[str]]) -> None:
    """Apply a partial update to ``screen`` (one cell a string) as a terminal would."""
    x = y = 0
    for segment in RichConsole(width=len(screen[0])).render(update):  # type: ignore[arg-type]
        if segment.control:
            for code in segment.control:
                if code[0] == ControlType.CURSOR_MOVE_TO:
                    x, y = code[1], code[2]
            continue
        for cell in cells(segment.text.replace("\n", "")):
            screen[y][x] = cell
            x += 1


async def test_a_repaint_beneath_a_toast_writes_the_toast_whole(
    sqlite_console: ServiceContext,
) -> None:
    """The once-a-second repaint of a list under a toast redraws the toast's characters
    there (the merged chop is written where it really lies, not skipped)."""
    people(sqlite_console)
    async with workspace(sqlite_console, (120, 35), toasts=True) as (app, pilot):
        app.notify(t(NO_KEYRING), severity="warning", markup=False)
        await toasts_shown(pilot, 1)
        compositor = app.screen._compositor
        expected = [cells(strip.text) for strip in compositor.render_strips()]
        toast = app.screen.query_one(Toast).region
        lists = app.screen.query_one("#lists-column").region
        dirty = Region(lists.x, toast.y, toast.right - lists.x, toast.height)
        terminal = [
            ["#" if dirty.contains(x, y) else cell for x, cell in enumerate(row)]
            for y, row in enumerate(expected)
        ]
        compositor._dirty_regions.clear()
        compositor._dirty_regions.add(dirty)
        play(compositor.render_partial_update(), terminal)
        assert terminal == expected
        shown = "".join(
            "".join(row[toast.x + 1 : toast.right]) for row in terminal[toast.y : toast.bottom]
        )
        assert compact(shown) == compact(t(NO_KEYRING))


def test_the_patch_refuses_another_textual(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, original in wide_chars.ORIGINALS.items():
        monkeypatch.setattr(Compositor, name, original)
    monkeypatch.setattr(textual, "__version__", "8.3.0")
    with pytest.raises(RuntimeError, match="textual 8.2.8, found 8.3.0"):
        wide_chars.apply()


def test_the_patch_refuses_a_changed_compositor(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, original in wide_chars.ORIGINALS.items():
        monkeypatch.setattr(Compositor, name, original)

    def render_partial_update(self: Compositor) -> None:  # textual changed it
        return None

    monkeypatch.setattr(Compositor, "render_partial_update", render_partial_update)
    with pytest.raises(RuntimeError, match="render_partial_update"):
        wide_chars.apply()
    assert Compositor._render_chops is wide_chars.ORIGINALS["_render_chops"]  # nothing half-done


async def test_wrapped_chinese_never_starts_a_line_with_punctuation(
    sqlite_console: ServiceContext,
) -> None:
    people(sqlite_console)
    async with workspace(sqlite_console, (120, 35), toasts=True) as (app, pilot):
        app.notify(t(NO_KEYRING), severity="warning", markup=False)
        await toasts_shown(pilot, 1)
        courtesy = [line for line in widget_lines(app, "#courtesy") if line.strip()]
        toast = [line for line in widget_lines(app, "Toast") if line.strip()]
        assert courtesy[:2] == ["请您稍等，我这边马上帮您核实一", "下。"]  # was "…核实一下" / "。"
        assert toast[-1].strip().endswith("码。")
        for line in courtesy + toast:
            assert line.strip()[0] not in NO_LINE_START, line


async def test_a_toast_keeps_marks_with_their_words_and_references_whole(
    sqlite_console: ServiceContext,
) -> None:
    people(sqlite_console)
    async with workspace(sqlite_console, (80, 24), toasts=True) as (app, pilot):
        saved = t("journal.form.saved", reference="C-20261206-P001", hours=1)
        app.notify(saved, severity="warning", markup=False)
        await toasts_shown(pilot, 1)
        toast = [line.strip() for line in widget_lines(app, "Toast") if line.strip()]
        assert compact("".join(toast)) == compact(saved)
        assert any("C-20261206-P001" in line for line in toast)
        for line in toast:  # was "）。服务器恢复后…" at the start of the second line
            assert line[0] not in NO_LINE_START, toast
