"""Patch for Textual 8.2.8: Chinese characters blanked where an overlay crosses a border.

What it patches: ``textual._compositor.Compositor._render_chops`` and
``Compositor.render_partial_update`` (textual 8.2.8; Textualize/textual#6357, open).

Why: the compositor cuts every screen line at the left and right edge of every widget
on it, and gives each piece ("chop") to the front-most widget there. A toast, a Select's
drop-down or a dialog's inner box is divided at the edges of the panes *beneath* it too,
and ``Segment.split_cells`` turns a double-width character that straddles such a cut into
two spaces: "本机没有可用的钥匙串：不会记住登录" showed as "…：  会记住登录" where the
toast crossed the lists column's border. The widget that wins both pieces around a cut
never needed that cut.

The fix: a widget's line is divided only where the owner changes (where a widget in front
of it already holds the next piece); the pieces it wins in a row stay one strip, held by
the first of them, and the others hold an empty strip so nothing behind claims them. The
partial update then takes each chop's end from its strip's length, not from the next cut,
so a merged strip is written (and cropped) where it really lies.

Guarded: ``apply()`` refuses (RuntimeError, at start) any other textual version or a
changed source of the patched methods, so an upgrade cannot silently keep or drop it;
check whether textual fixed #6357, then drop this module or re-derive it.
"""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import Callable, Mapping, Sequence

import textual
from textual._compositor import ChopsUpdate, Compositor
from textual.geometry import Region
from textual.strip import Strip

TEXTUAL_VERSION = "8.2.8"
# sha256 (first 16 hex digits) of the source of each method replaced, as in 8.2.8.
PATCHED = {
    "_render_chops": "ca8c3359d7afd017",
    "render_partial_update": "888dccc892d8ecc2",
}
_EMPTY = Strip([], 0)  # holds a chop merged into the one before it
# Textual's own methods (this module is what replaces them, so at import they are these).
ORIGINALS: dict[str, Callable[..., object]] = {name: getattr(Compositor, name) for name in PATCHED}


def _fingerprint(function: Callable[..., object]) -> str:
    return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()[:16]


def _render_chops(
    self: Compositor, crop: Region, is_rendered_line: Callable[[int], bool]
) -> Sequence[Mapping[int, Strip]]:
    """Textual's ``_render_chops``, dividing a widget's line only where its owner changes."""
    cuts = self.cuts
    chops: list[dict[int, Strip | None]] = [dict.fromkeys(cut_set[:-1]) for cut_set in cuts]
    for region, clip, strips in self._get_renders(crop):
        render_region = region.intersection(clip)
        render_x = render_region.x
        first_cut, last_cut = render_region.column_span
        for y, strip in zip(render_region.line_range, strips, strict=False):
            if not is_rendered_line(y):
                continue
            chops_line = chops[y]
            final_cuts = [cut for cut in cuts[y] if last_cut >= cut >= first_cut]
            free = [chops_line.get(cut) is None for cut in final_cuts[:-1]]
            # A cut between two pieces this widget wins would only split its own text.
            merged = {
                cut
                for index, cut in enumerate(final_cuts[1:-1], 1)
                if free[index - 1] and free[index]
            }
            kept = [cut for cut in final_cuts if cut not in merged]
            pieces = strip.divide([cut - render_x for cut in kept[1:]])
            for cut, piece in zip(kept, pieces, strict=False):
                if chops_line.get(cut) is None:
                    chops_line[cut] = piece
            for cut in merged:
                chops_line[cut] = _EMPTY
    return chops  # type: ignore[return-value]


def _chop_ends(
    chops: Sequence[Mapping[int, Strip | None]], cuts: list[list[int]]
) -> list[list[int]]:
    """Where each chop really ends: a merged strip runs past its next cut, an empty one
    ends where it starts."""
    ends: list[list[int]] = []
    for line, cut_set in zip(chops, cuts, strict=False):
        ends.append(
            [
                end if strip is None else x + strip.cell_length
                for (x, strip), end in zip(line.items(), cut_set[1:], strict=False)
            ]
        )
    return ends


def _render_partial_update(self: Compositor) -> ChopsUpdate | None:
    """Textual's ``render_partial_update``, with the chops' real ends."""
    screen_region = self.size.region
    update_regions = self._dirty_regions.copy()
    self._dirty_regions.clear()
    if not update_regions:
        return None
    crop = Region.from_union(update_regions).intersection(screen_region)
    spans = list(self._regions_to_spans(update_regions))
    is_rendered_line = {y for y, _, _ in spans}.__contains__
    chops = self._render_chops(crop, is_rendered_line)
    return ChopsUpdate(chops, spans, _chop_ends(chops, self.cuts))


_REPLACEMENTS: dict[str, Callable[..., object]] = {
    "_render_chops": _render_chops,
    "render_partial_update": _render_partial_update,
}


def apply() -> None:
    """Install the patch on textual's Compositor (once; again is a no-op).

    Raises RuntimeError when textual is not the version this patch was written for, or a
    patched method's source differs from what it replaces.
    """
    if all(getattr(Compositor, name) is new for name, new in _REPLACEMENTS.items()):
        return
    if textual.__version__ != TEXTUAL_VERSION:
        raise RuntimeError(
            f"cs_console.ui.textual_fixes.wide_chars patches textual {TEXTUAL_VERSION}, "
            f"found {textual.__version__}: check Textualize/textual#6357 and re-derive it"
        )
    for name, expected in PATCHED.items():
        try:
            found = _fingerprint(getattr(Compositor, name))
        except (OSError, TypeError):
            found = "unreadable"
        if found != expected:
            raise RuntimeError(
                f"textual's Compositor.{name} is not the one this patch replaces "
                f"({found} != {expected}): re-derive cs_console.ui.textual_fixes.wide_chars"
            )
    for name, new in _REPLACEMENTS.items():
        setattr(Compositor, name, new)
