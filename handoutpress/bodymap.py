"""The body map (``kind: body-map``): a fixed list of regions, a small front and back body
outline drawn as plain vector shapes, and the marked regions as dots.

Left and right are the patient's own. On the back view the patient's left is on the
reader's left; on the front view it is on the reader's right (as when facing the
patient). The outline is 100 units tall and each view 50 wide; a region's dot is at
(x, y) in those units, y up from the feet.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from reportlab.lib.colors import Color, white
from reportlab.pdfgen.canvas import Canvas


@dataclass(frozen=True)
class Region:
    key: str
    """The region's English name, as typed with ``--set`` ("upper back left")."""
    view: str
    """``front`` or ``back``."""
    x: float
    y: float
    en: str
    """The English name as printed ("Upper back, left")."""
    es: str
    """The Spanish name as printed ("Parte alta de la espalda, lado izquierdo")."""

    def name(self, language: str) -> str:
        """The region's name in ``language`` (English when there is no translation)."""
        return self.es if language.split("-")[0].lower() == "es" else self.en


#: (English part, Spanish part, view, x of the patient's left side, y). The right side of
#: a pair is mirrored about the view's middle (x = 25).
_PARTS = (
    ("neck", "cuello", "back", 22.5, 83.5),
    ("upper back", "parte alta de la espalda", "back", 17.0, 77.0),
    ("shoulder blade", "omóplato", "back", 18.5, 70.0),
    ("mid back", "mitad de la espalda", "back", 21.0, 63.0),
    ("lower back", "parte baja de la espalda", "back", 20.5, 55.0),
    ("hip", "cadera", "back", 14.5, 50.0),
    ("buttock", "glúteo", "back", 19.5, 45.0),
    ("calf", "pantorrilla", "back", 19.5, 16.0),
    ("temple", "sien", "front", 28.3, 94.5),
    ("jaw", "mandíbula", "front", 27.7, 88.5),
    ("shoulder", "hombro", "front", 36.5, 78.0),
    ("chest", "pecho", "front", 31.0, 71.0),
    ("upper arm", "brazo", "front", 39.5, 66.0),
    ("forearm", "antebrazo", "front", 42.0, 52.0),
    ("thigh", "muslo", "front", 30.0, 32.0),
)


def _regions() -> tuple[Region, ...]:
    out = []
    for en, es, view, x, y in _PARTS:
        en_c, es_c = en[0].upper() + en[1:], es[0].upper() + es[1:]
        out.append(Region(f"{en} left", view, x, y, f"{en_c}, left", f"{es_c}, lado izquierdo"))
        out.append(
            Region(f"{en} right", view, 50 - x, y, f"{en_c}, right", f"{es_c}, lado derecho")
        )
    return tuple(out)


#: every region a body map knows, in the order they are listed
REGIONS: tuple[Region, ...] = _regions()


def _words(text: str) -> tuple[str, ...]:
    """Lower-case words in any order: "Left upper back" and "upper back, left" match."""
    words = re.findall(r"[^\W\d_]+", text.casefold())
    return tuple(sorted(w for w in words if w not in _FILLER))


#: words a region name may have or leave out: "neck, left side", "cuello izquierdo"
_FILLER = {"side", "lado", "the", "of"}


_BY_WORDS = {_words(r.key): r for r in REGIONS} | {_words(r.es): r for r in REGIONS}


def parse_regions(value: str) -> tuple[list[Region], list[tuple[int, str | None]]]:
    """``"upper back left; neck right"`` → the regions, and for each item that is not a
    region its 1-based position and the closest region name (None if nothing is close).
    The typed text is never returned (it may be patient data)."""
    found: list[Region] = []
    bad: list[tuple[int, str | None]] = []
    items = [item.strip() for item in value.split(";")]
    for n, item in enumerate((i for i in items if i), start=1):
        region = _BY_WORDS.get(_words(item))
        if region is None:
            names = [r.key for r in REGIONS] + [r.es.casefold() for r in REGIONS]
            typed = " ".join(item.casefold().replace(",", " ").split())
            close = difflib.get_close_matches(typed, names, n=1, cutoff=0.6)
            if not close:  # the words in another order ("left upper bak")
                by_words = {" ".join(_words(n)): n for n in names}
                near = difflib.get_close_matches(" ".join(_words(item)), list(by_words), n=1)
                close = [by_words[near[0]]] if near else []
            bad.append((n, close[0] if close else None))
        elif region not in found:
            found.append(region)
    return found, bad


# --------------------------------------------------------------------------- drawing


def _figure(canv: Canvas, x0: float, y0: float, unit: float, colour: Color) -> None:
    """One body outline (head, neck, torso, arms, legs) in a 50 x 100 unit box."""

    def u(x: float, y: float) -> tuple[float, float]:
        return x0 + x * unit, y0 + y * unit

    canv.setStrokeColor(colour)
    canv.setLineWidth(0.8)
    canv.setFillColor(white)
    cx, cy = u(25, 92)
    canv.circle(cx, cy, 5.5 * unit, stroke=1, fill=1)  # head
    path = canv.beginPath()
    outline = [
        (22.5, 86.5), (22.5, 83.5), (13, 80), (10, 74), (7.5, 58), (5.5, 45), (8.5, 44.5),
        (11.5, 57), (13.5, 66), (14, 50), (15, 44), (16.5, 4), (23.5, 4), (25, 40),
        (26.5, 4), (33.5, 4), (35, 44), (36, 50), (36.5, 66), (38.5, 57), (41.5, 44.5),
        (44.5, 45), (42.5, 58), (40, 74), (37, 80), (27.5, 83.5), (27.5, 86.5),
    ]  # fmt: skip
    path.moveTo(*u(*outline[0]))
    for pt in outline[1:]:
        path.lineTo(*u(*pt))
    path.close()
    canv.drawPath(path, stroke=1, fill=1)


class BodyMapDrawing:
    """Front and back outlines side by side with a dot on each marked region.

    ``height`` is the outline's height in points; the drawing is ``width`` wide with the
    view names ("Front", "Back") and the sides ("L", "R") under and beside each figure."""

    GAP = 0.3  # gap between the views, as a share of a view's width

    def __init__(self, height: float, regions: list[Region], labels: dict[str, str]) -> None:
        self.height = height
        self.regions = regions
        self.labels = labels
        self.unit = height / 100
        self.view_w = 50 * self.unit
        self.width = self.view_w * (2 + self.GAP)

    def draw(
        self, canv: Canvas, x: float, y: float, outline: Color, dot: Color, font: str, size: float
    ) -> None:
        """Draw with the views' names on a line at ``y`` and the figures above it."""
        unit = self.unit
        base = y + size * 1.3
        for i, view in enumerate(("front", "back")):
            vx = x + i * self.view_w * (1 + self.GAP)
            _figure(canv, vx, base, unit, outline)
            # the view's name under it; the patient's sides beside the head
            left, right = ("R", "L") if view == "front" else ("L", "R")
            canv.setFillColor(outline)
            canv.setFont(font, size)
            canv.drawCentredString(vx + 25 * unit, y, self.labels[view])
            canv.drawCentredString(vx + 6 * unit, base + 90 * unit, self.labels[left])
            canv.drawCentredString(vx + 44 * unit, base + 90 * unit, self.labels[right])
            for region in self.regions:
                if region.view != view:
                    continue
                canv.setFillColor(dot)
                canv.setStrokeColor(white)
                canv.setLineWidth(0.6)
                rx, ry = vx + region.x * unit, base + region.y * unit
                canv.circle(rx, ry, max(2.5 * unit, 2.6), stroke=1, fill=1)
