"""Visual regression: a few pages rendered small and compared with committed PNGs.

Pages are rasterised by poppler's ``pdftoppm`` at 40 dpi in grayscale and compared with
``tests/reference/<name>.png`` (written by ``python tests/make_references.py``).

The comparison must shrug off what changes between poppler and FreeType versions (glyph
edges anti-aliased or hinted a pixel differently) yet catch a panel that moved or a block
that went missing. Both images are blurred (Gaussian, radius :data:`BLUR` px), which
turns text into grey ink density: a glyph edge a pixel off changes that by little, a
missing line of text or a shifted panel by a lot. A pixel *differs* when the blurred
images differ there by more than :data:`PIXEL_THRESHOLD` of 255; a page fails when more
than :data:`MAX_FRACTION` of its pixels differ.

How the numbers were chosen (measured on the shipped pages at 40 dpi, 150,000 pixels):
the same page rendered at 120 dpi and scaled down to 40 (other glyph rasterisation, a
harsher change than a poppler upgrade) differs in 0 to 3 pixels; one line of body text
erased, 230 to 670; one word, 60 to 170; a third of a page moved down 2 px (1 mm), 770 to
3,700. The limit, 0.05 % (75 pixels), sits between them. PDFium renders differ in up to
1,500 pixels (another anti-aliasing and gamma): the references are poppler's.
"""

from __future__ import annotations

import io
import subprocess
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops, ImageFilter

from .pdfcheck import tool

ROOT = Path(__file__).resolve().parent.parent
REFERENCES = ROOT / "tests" / "reference"
REGENERATE = "python tests/make_references.py"

DPI = 40
BLUR = 1.5
PIXEL_THRESHOLD = 32
MAX_FRACTION = 0.0005
#: References are stored in 16 grey levels (4-bit PNG, about 12 KB a page).
LEVELS = 16

#: Fictional addressee of the reference letter (``build --layout letter``).
LETTER_SET = (
    "patient.first_name=Ana",
    "patient.last_name=Ruiz",
    "patient.address1=120 Example Road",
    "patient.city=Escondido",
    "patient.state=CA",
    "patient.zip=92025",
)


@dataclass(frozen=True)
class Case:
    name: str
    #: ``build`` arguments before ``-o FILE``
    build: tuple[str, ...]
    page: int


CASES = (
    Case("trifold-en-outside", ("trigger-point-injections", "--layout", "trifold"), 1),
    Case("trifold-es-inside", ("trigger-point-injections.es", "--layout", "trifold"), 2),
    Case("sheet-en", ("trigger-point-injections", "--layout", "sheet"), 1),
    Case("aftercare-en", ("tpi-aftercare", "--layout", "sheet"), 1),
    # the staff copy's page 2: follow-up box, pain log, questions lines, STAFF COPY stamp
    Case("aftercare-en-staff-2", ("tpi-aftercare", "--layout", "sheet", "--staff-copy"), 2),
    Case("large-print-en", ("trigger-point-injections", "--large-print"), 1),
    Case(
        "letter-en",
        ("tpi-aftercare", "--layout", "letter", *(a for v in LETTER_SET for a in ("--set", v))),
        1,
    ),
    # the mailing letter written for the mail: why it was sent (the CSV's visit date), the
    # key points, the 911 and call-us tiers on page 1
    Case(
        "follow-up-en",
        (
            "tpi-follow-up",
            "--layout",
            "letter",
            *(a for v in (*LETTER_SET, "row.visit_date=November 24, 2026") for a in ("--set", v)),
        ),
        1,
    ),
)


def rasterise(pdf: Path, page: int, dpi: int = DPI) -> Image.Image:
    """One page of ``pdf`` as an 8-bit grayscale image, rendered by pdftoppm (PGM: the
    pixels a PNG would hold, without its compression)."""
    res = subprocess.run(
        [tool("pdftoppm"), "-r", str(dpi), "-gray", "-f", str(page), "-l", str(page)]
        + ["-singlefile", str(pdf)],
        capture_output=True,
        check=True,
    )
    return Image.open(io.BytesIO(res.stdout)).convert("L")


def save_reference(image: Image.Image, path: Path) -> None:
    """Store ``image`` in :data:`LEVELS` grey levels as a small palette PNG."""
    step = 255 / (LEVELS - 1)
    indexed = image.convert("L").point(lambda v: round(v / step)).convert("P")
    indexed.putpalette([round(i * step) for i in range(LEVELS) for _ in range(3)])
    path.parent.mkdir(parents=True, exist_ok=True)
    indexed.save(path, "PNG", optimize=True, bits=4)


def load_reference(path: Path) -> Image.Image:
    return Image.open(path).convert("L")


@dataclass(frozen=True)
class Comparison:
    differing: int
    total: int
    #: white where the pages agree, black where they differ (over the threshold)
    diff: Image.Image
    reason: str = ""

    @property
    def fraction(self) -> float:
        return self.differing / self.total if self.total else 1.0

    @property
    def ok(self) -> bool:
        return not self.reason and self.fraction <= MAX_FRACTION

    def describe(self) -> str:
        if self.reason:
            return self.reason
        return (
            f"{self.differing} of {self.total} pixels differ ({self.fraction:.3%}; "
            f"at most {MAX_FRACTION:.3%} may)"
        )


def compare(actual: Image.Image, expected: Image.Image) -> Comparison:
    """Compare two grayscale renders of a page (see the module docstring)."""
    actual, expected = actual.convert("L"), expected.convert("L")
    total = expected.width * expected.height
    if actual.size != expected.size:
        reason = f"page size {actual.size} px, the reference is {expected.size} px"
        return Comparison(total, total, Image.new("L", expected.size, 0), reason)
    soft = ImageFilter.GaussianBlur(BLUR)
    delta = ImageChops.difference(actual.filter(soft), expected.filter(soft))
    over = delta.point(lambda v: 0 if v > PIXEL_THRESHOLD else 255)
    return Comparison(over.histogram()[0], total, over)


def diff_picture(actual: Image.Image, expected: Image.Image, cmp: Comparison) -> Image.Image:
    """The reference, faded, with the differing pixels in red and the actual page beside it."""
    faded = expected.convert("L").point(lambda v: 160 + v * 95 // 255).convert("RGB")
    red = Image.new("RGB", faded.size, (220, 0, 0))
    marked = Image.composite(faded, red, cmp.diff) if not cmp.reason else faded
    out = Image.new("RGB", (faded.width + actual.width + 8, max(faded.height, actual.height)))
    out.paste((128, 128, 128), (0, 0, out.width, out.height))
    out.paste(marked, (0, 0))
    out.paste(actual.convert("RGB"), (faded.width + 8, 0))
    return out
