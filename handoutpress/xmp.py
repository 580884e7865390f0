"""The XMP metadata packet of a PDF: the title (the handout's public title, never patient
data) and language, and what the file claims to be: PDF/UA-1 (tagged office output) or
PDF/X-4 (press output, with its document ids, dates and trapping)."""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape


@dataclass(frozen=True)
class PDFX:
    version: str  # "PDF/X-4"
    document_id: str  # uuid:… derived from the file's ID (deterministic)
    instance_id: str
    date: str  # ISO 8601, the file's creation date
    producer: str
    creator: str


def packet(title: str, lang: str, *, pdfua: bool = False, pdfx: PDFX | None = None) -> str:
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
