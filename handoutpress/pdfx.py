"""PDF/X-4 (or, with ``--pdfx x1a``, PDF/X-1a:2003) for ``--target press``: the output intent,
the declarations and what PDF/X forbids.

A press file is an ordinary ReportLab file (boxes, CMYK colour, embedded fonts: see
:mod:`.press`) that :class:`PressCanvas` finishes at save with:

- one ``/GTS_PDFX`` output intent naming the printing condition (CGATS TR 006 for US Letter
  layouts, FOGRA39 for A4) and embedding its CMYK profile from ``profiles/`` (made once from
  the published characterization data; ``profiles/SOURCE.md``);
- ``GTS_PDFXVersion (PDF/X-4)`` and ``/Trapped /False`` in Info, the same in XMP with
  ``xmpMM:DocumentID``/``InstanceID`` derived from the file's ID (so output stays
  deterministic), and a PDF 1.6 header.

X-1a:2003 names the registered condition without embedding its profile, declares
``GTS_PDFXConformance``, has a PDF 1.4 header and no transparency (a PNG logo with alpha is
refused by :meth:`~handoutpress.render.LayoutRenderer.pdfx_problems` before drawing).

What PDF/X forbids is refused with one line before anything is written (:func:`problems`):
a font that is not embedded, an annotation (a link) inside the BleedBox. Links are not
written on press output at all (paper has nothing to click; the address stays printed).
The print shop's preflight and proof are the final word (README, "Printing").
"""

from __future__ import annotations

import uuid
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reportlab.lib.utils import TimeStamp
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFCatalog,
    PDFDictionary,
    PDFDocument,
    PDFInfo,
    PDFName,
    PDFStream,
    PDFString,
)
from reportlab.pdfgen.canvas import Canvas

from . import metadata
from .errors import HandoutError

PROFILE_DIR = Path(__file__).resolve().parent.parent / "profiles"


@dataclass(frozen=True)
class Condition:
    """A registered printing condition and the profile we ship for it."""

    identifier: str  # OutputConditionIdentifier (ICC registry name)
    info: str  # human-readable description
    profile: str  # file in profiles/


#: US (GRACoL-like, coated) and Europe (ISO coated): the registry at http://www.color.org
TR006 = Condition("CGATS TR 006", "CGATS TR 006 (GRACoL 2006, coated paper)", "TR006.icc")
FOGRA39 = Condition("FOGRA39", "FOGRA39 (ISO 12647-2:2004, coated paper)", "FOGRA39.icc")


def condition_for(paper_width: float, paper_height: float) -> Condition:
    """FOGRA39 for A4 (Europe), else CGATS TR 006 (US Letter, tri-fold)."""
    a4 = {round(paper_width), round(paper_height)} == {595, 842}
    return FOGRA39 if a4 else TR006


@lru_cache(maxsize=4)
def profile_bytes(name: str) -> bytes:
    return (PROFILE_DIR / name).read_bytes()


@lru_cache(maxsize=4)
def _compressed(name: str) -> bytes:
    return zlib.compress(profile_bytes(name), 9)  # once per process: 21 ms for 204 KB


class _Info(PDFInfo):
    """ReportLab's Info dictionary plus the PDF/X version keys."""

    pdfx_keys = b"/GTS_PDFXVersion (PDF/X-4)\n"

    def format(self, document: PDFDocument) -> bytes:
        out: bytes = super().format(document)
        head, end, tail = out.rpartition(b">>")
        return head + self.pdfx_keys + end + tail


class _InfoX1a(_Info):
    pdfx_keys = b"/GTS_PDFXVersion (PDF/X-1:2003)\n/GTS_PDFXConformance (PDF/X-1a:2003)\n"


class PressCanvas(Canvas):
    """A canvas for press output: no link annotations; PDF/X-4 objects at save."""

    def __init__(
        self,
        *args: object,
        condition: Condition,
        version: str = "x4",
        lang: str = "en",
        **kw: object,
    ) -> None:
        self.condition = condition
        self.version = version
        self.language = lang
        super().__init__(*args, lang=lang, **kw)

    def linkURL(self, *args: object, **kw: object) -> None:
        """Press output has no links (PDF/X forbids annotations inside the BleedBox)."""

    def save(self) -> None:
        if len(self._code):
            self.showPage()
        found = problems(self, x1a=self.version == "x1a")
        if found:
            raise HandoutError("\n".join(found))
        declare(self, self.condition, self.language, x1a=self.version == "x1a")
        super().save()


def problems(canv: Canvas, x1a: bool = False) -> list[str]:
    """What keeps this file from being PDF/X-4 (or X-1a): one line each."""
    out = []
    if x1a and canv._doc._pdfVersion > (1, 4):
        out.append("--pdfx x1a: the file needs PDF 1.5 features (PDF/X-1a:2003 is PDF 1.4)")
    for name in sorted(canv._doc.fontMapping):
        font = pdfmetrics.getFont(name)
        if not getattr(font, "_dynamicFont", False):  # a standard Type 1 font: not embedded
            out.append(
                f"--target press: font {name} is not embedded (PDF/X needs every font embedded)"
            )
    for page in canv._doc.Pages.pages:
        if page.Annots:
            out.append("--target press: an annotation inside the BleedBox (PDF/X forbids it)")
            break
    return out


def declare(canv: Canvas, condition: Condition, lang: str, x1a: bool = False) -> None:
    """The output intent, Info and XMP declarations and the header of PDF/X-4 (1.6), or of
    PDF/X-1a:2003 (1.4; the registered condition named, its profile not embedded)."""
    doc = canv._doc
    intent = PDFDictionary(
        {
            "Type": PDFName("OutputIntent"),
            "S": PDFName("GTS_PDFX"),
            "OutputConditionIdentifier": PDFString(condition.identifier),
            "OutputCondition": PDFString(condition.info),
            "RegistryName": PDFString("http://www.color.org"),
            "Info": PDFString(condition.info),
        }
    )
    if not x1a:
        profile = PDFStream(
            PDFDictionary({"N": 4, "Filter": PDFName("FlateDecode")}),
            _compressed(condition.profile),
            filters=[],
        )
        intent["DestOutputProfile"] = doc.Reference(profile)
    catalog = doc.Catalog
    catalog.__NoDefault__ = [*PDFCatalog.__NoDefault__, "OutputIntents"]
    catalog.__Refs__ = PDFCatalog.__Refs__
    catalog.OutputIntents = PDFArray([intent])
    doc.info.__class__ = _InfoX1a if x1a else _Info
    doc.info.trapped = "False"
    doc._pdfVersion = (1, 4) if x1a else max(doc._pdfVersion, (1, 6))
    file_id = _file_id(doc)
    ts = doc._timeStamp
    packet = metadata.xmp(
        doc.info.title,
        lang,
        pdfua=False,
        pdfx=metadata.PDFX(
            version="PDF/X-1:2003" if x1a else "PDF/X-4",
            document_id=f"uuid:{uuid.UUID(bytes=file_id)}",
            instance_id=f"uuid:{uuid.UUID(bytes=bytes(reversed(file_id)))}",
            date=_xmp_date(ts),
            producer=doc.info.producer,
            creator=doc.info.creator,
        ),
    )
    catalog.Metadata = PDFStream(
        PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}),
        packet.encode("utf-8"),
        filters=[],
    )


def _xmp_date(ts: TimeStamp) -> str:
    """ReportLab's timestamp (what Info's CreationDate shows) as an XMP date."""
    y, mo, d, h, mi, sec = ts.YMDhms
    zone = "Z"
    if ts.dhh or ts.dmm:
        sign = "-" if ts.dhh < 0 else "+"
        zone = f"{sign}{abs(ts.dhh):02d}:{abs(ts.dmm):02d}"
    return f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{sec:02d}{zone}"


def _file_id(doc: PDFDocument) -> bytes:
    """The 16 bytes ReportLab will write as the trailer /ID: its signature so far plus the
    Info digest it adds when the file is written (nothing else changes it)."""
    sig = doc.signature.copy()
    doc.info.digest(sig)
    return bytes(sig.digest())
