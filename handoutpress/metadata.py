"""PDF metadata, made in one place: what a PDF says about itself is the handout's, never a
recipient's.

Every PDF we write (``build``, ``preview``'s source, ``print``, every ``batch`` file,
merged, ``--out-dir`` and from a file template) takes its document information and viewer
preferences from :func:`for_handout` and its XMP packet (tagged PDFs) from :func:`xmp`,
given the same public title; :func:`for_handout` reads
only public values: the title and subtitle rendered with every recipient-derived variable
withheld (``patient.*``, ``visit.*``, ``provider.*``, a mailing's ``row.*``; see
``Composed.public_title``), the brand's name and the form number.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from . import __version__
from .compose import Composed
from .fonts import escape  # xml.sax.saxutils's, without its urllib, http and ssl imports
from .models import Layout

CREATOR = f"Handout Press {__version__}"
PRODUCER = f"Handout Press {__version__} (ReportLab)"


class _InfoCanvas(Protocol):
    def setTitle(self, title: str | None) -> None: ...
    def setAuthor(self, author: str | None) -> None: ...
    def setSubject(self, subject: str | None) -> None: ...
    def setCreator(self, creator: str | None) -> None: ...
    def setProducer(self, producer: str | None) -> None: ...
    def setKeywords(self, keywords: str | None) -> None: ...
    def setViewerPreference(self, pref: str, value: str) -> None: ...


#: how every PDF asks to be shown and printed: the window shows the title (not the file
#: name), and the printer prints at 100 % (a reading aid's size, a window envelope's address)
PRINT_SCALING = "None"
DISPLAY_DOC_TITLE = True


@dataclass(frozen=True)
class PdfMetadata:
    """What one PDF says about itself: its document information and its viewer
    preferences (PrintScaling, Duplex, DisplayDocTitle)."""

    title: str
    subject: str
    author: str
    keywords: str
    lang: str
    #: the layout's two-sided printing (DuplexFlipShortEdge …); None: one-sided, not said
    duplex: str | None = None
    creator: str = CREATOR
    producer: str = PRODUCER

    def doc_template_args(self) -> dict[str, str | int | None]:
        """Keyword arguments for a ReportLab ``BaseDocTemplate`` (which sets them on each
        canvas it draws on)."""
        return {
            "title": self.title,
            "subject": self.subject,
            "author": self.author,
            "creator": self.creator,
            "producer": self.producer,
            "keywords": self.keywords,
            "lang": self.lang,
            "displayDocTitle": int(DISPLAY_DOC_TITLE),
            "duplex": self.duplex,
            "printScaling": PRINT_SCALING,
        }

    def apply(self, canv: _InfoCanvas) -> None:
        """Set on a canvas drawn directly (``batch``; its language is set when it is made),
        as a document template sets them."""
        canv.setTitle(self.title)
        canv.setAuthor(self.author)
        canv.setSubject(self.subject)
        canv.setCreator(self.creator)
        canv.setProducer(self.producer)
        canv.setKeywords(self.keywords)
        canv.setViewerPreference("PrintScaling", PRINT_SCALING)
        if self.duplex is not None:
            canv.setViewerPreference("Duplex", self.duplex)
        canv.setViewerPreference("DisplayDocTitle", "true" if DISPLAY_DOC_TITLE else "false")


def for_handout(
    composed: Composed, layout: Layout, generic_subject: str, subtitle: bool = True
) -> PdfMetadata:
    """The metadata of a PDF of ``composed`` in ``layout``: its public title; as subject its
    public subtitle (with ``subtitle`` and when no personal value was given) or
    ``generic_subject`` (the layout's words for "patient information"); the layout's duplex.
    A renderer asks through :meth:`~handoutpress.render.LayoutRenderer.pdf_metadata`."""
    subject = generic_subject
    if subtitle and not composed.personal and composed.public_subtitle:
        subject = composed.public_subtitle
    return PdfMetadata(
        title=composed.public_title,
        subject=subject,
        author=composed.brand.name,
        keywords=composed.handout.form,
        lang=composed.handout.language,
        duplex=None if layout.duplex == "Simplex" else layout.duplex,
    )


@dataclass(frozen=True)
class PDFX:
    """What a PDF/X file's XMP declares (:mod:`.pdfx` fills it in)."""

    version: str  # "PDF/X-4"
    document_id: str  # uuid:… derived from the file's ID (deterministic)
    instance_id: str
    date: str  # ISO 8601, the file's creation date
    producer: str
    creator: str


def xmp(title: str, lang: str, *, pdfua: bool = True, pdfx: PDFX | None = None) -> str:
    """The XMP packet: ``dc:title`` (the public title, never patient data) and the language;
    ``pdfuaid:part 1`` when the file claims PDF/UA-1 (tagged office output); with ``pdfx``
    the PDF/X declarations (press output)."""
    namespaces = [
        'xmlns:dc="http://purl.org/dc/elements/1.1/"',
        *(['xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"'] if pdfua else []),
    ]
    props = [
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li>'
        "</rdf:Alt></dc:title>",
        f"<dc:language><rdf:Bag><rdf:li>{escape(lang)}</rdf:li></rdf:Bag></dc:language>",
    ]
    if pdfua:
        props.append("<pdfuaid:part>1</pdfuaid:part>")
    if pdfx is not None:
        namespaces += [
            'xmlns:pdf="http://ns.adobe.com/pdf/1.3/"',
            'xmlns:xmp="http://ns.adobe.com/xap/1.0/"',
            'xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"',
            'xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/"',
        ]
        props += [
            f"<pdfxid:GTS_PDFXVersion>{pdfx.version}</pdfxid:GTS_PDFXVersion>",
            "<pdf:Trapped>False</pdf:Trapped>",
            f"<pdf:Producer>{escape(pdfx.producer)}</pdf:Producer>",
            f"<xmp:CreatorTool>{escape(pdfx.creator)}</xmp:CreatorTool>",
            f"<xmp:CreateDate>{pdfx.date}</xmp:CreateDate>",
            f"<xmp:ModifyDate>{pdfx.date}</xmp:ModifyDate>",
            f"<xmpMM:DocumentID>{pdfx.document_id}</xmpMM:DocumentID>",
            f"<xmpMM:InstanceID>{pdfx.instance_id}</xmpMM:InstanceID>",
            "<xmpMM:VersionID>1</xmpMM:VersionID>",
            "<xmpMM:RenditionClass>default</xmpMM:RenditionClass>",
        ]
    body = "\n".join(props)
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        f'<rdf:Description rdf:about="" {" ".join(namespaces)}>\n'
        f"{body}\n"
        "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    )
