"""A merged mailing's shared letter laid out once per process, not once per part.

Every chunk of ``batch --merged`` is a part of its own (a new canvas and document), and
each part began by laying the letter out again (platypus: the story made, wrapped, split
and drawn into forms: 5-6 ms a part, 10 parts for 10,000 letters) to come to the same
forms. What that capture does to a fresh part is little and known: the shared resource
dictionary and the letter's form XObjects registered (in that order, as objects 2, 3, …),
the fonts it used named and given their codes (each font's per-document state, the
document's font mapping and list of fonts to embed), the PDF version raised, the forms
noted as used. :func:`capture` records that after the first capture on a fresh canvas and
does the same to the next fresh canvas of the same job: the same objects with the same
bytes, numbers and names, the same font codes, so the part's bytes are those the capture
makes (``tests/test_batch_shared_forms.py`` compares, with parts of a few letters).

Anything else (a canvas that is not fresh, objects of another kind, the letter's own text
per recipient) is captured as before.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ..mailpdf import FormStream

if TYPE_CHECKING:
    from ..mailcanvas import FormCanvas
    from ..mailmerge import MailMerge

#: set False to capture every part's letter (tests compare both)
ENABLED = True

#: the shared resource dictionary's name (mailcanvas.FormCanvas._shared_ref)
_SHARED = "hp-shared-page-resources"
#: a fresh part's canvas as new_canvas makes it: what a snapshot is taken on and given to
Fresh = tuple[object, ...]


def _fonts_with_state(doc: object) -> list[TTFont]:
    return [f for f in pdfmetrics._fonts.values() if isinstance(f, TTFont) and doc in f.state]


def _fresh(canv: FormCanvas) -> Fresh | None:
    """What a part's canvas is before anything is drawn on it (None: something was)."""
    doc = canv._doc
    if (
        canv._code
        or canv._all_forms
        or canv._shared_resources is not None
        or canv._capturing is not None
        or doc.fontMapping
        or doc.delayedFonts
        or _fonts_with_state(doc)
    ):
        return None
    return (
        doc.objectcounter,
        tuple(doc.numberToId.items()),
        doc._pdfVersion,
        canv._pageNumber,
        canv._pagesize,
        canv._preamble,
        type(canv),
        type(doc),
    )


def _state_copy(state: object) -> object:
    """A font's per-document state, its assignments and subsets copied (they grow)."""
    made = copy.copy(state)
    for name, value in vars(state).items():
        if isinstance(value, dict):
            setattr(made, name, dict(value))
        elif isinstance(value, list):
            setattr(made, name, [list(v) if isinstance(v, list) else v for v in value])
    return made


@dataclass
class _Snapshot:
    """What one capture did to a fresh part."""

    merge: MailMerge
    prefix: str
    fresh: Fresh
    pages: int
    #: the forms registered after the shared resources: (name, content, box, resources)
    forms: list[tuple[str, bytes, bytes, bytes]]
    #: every font the capture gave a state for the document, and that state
    fonts: list[tuple[TTFont, object]]
    font_mapping: dict[str, str]
    delayed: list[TTFont]
    pdf_version: tuple[int, int]
    used: set[str]
    canvas: dict[str, object]
    memos: dict[str, dict[object, object]]

    @classmethod
    def taken(
        cls, merge: MailMerge, canv: FormCanvas, prefix: str, fresh: Fresh, pages: int
    ) -> _Snapshot | None:
        doc = canv._doc
        first = cast(int, fresh[0]) + 1  # (the fresh part's object counter)
        names = [doc.numberToId.get(n) for n in range(first, doc.objectcounter + 1)]
        if not names or names[0] != _SHARED or canv._shared_resources is None:
            return None
        if doc.idToObject[_SHARED] is not canv._shared_resources:
            return None
        forms = []
        for name in names[1:]:
            obj = doc.idToObject.get(name) if name is not None else None
            if type(obj) is not FormStream:  # (a form ReportLab wrote itself, say)
                return None
            forms.append((name, obj.data, obj.bbox, obj.resources))
        if canv._code or canv._capturing is not None or "_doctemplate" in vars(canv):
            return None
        keep = ("_cap_pages", "_saved_page", "_form_open")
        memos = ("_ascii", "_at", "_shown", "_heads")  # (what was worked out while drawing)
        return cls(
            merge=merge,
            prefix=prefix,
            fresh=fresh,
            pages=pages,
            forms=forms,
            fonts=[(f, _state_copy(f.state[doc])) for f in _fonts_with_state(doc)],
            font_mapping=dict(doc.fontMapping),
            delayed=list(doc.delayedFonts),
            pdf_version=doc._pdfVersion,
            used=set(canv._all_forms),
            canvas={k: vars(canv)[k] for k in keep if k in vars(canv)},
            memos={k: dict(vars(canv)[k]) for k in memos},
        )

    def give(self, canv: FormCanvas) -> int:
        """Do to ``canv`` (fresh, as the snapshot's was) what the capture did; its pages."""
        doc = canv._doc
        resources = canv._shared_ref()  # (object 2, as the capture's first form made it)
        for name, data, bbox, res in self.forms:
            assert res == resources, "the shared resources are numbered as in the snapshot"
            form = FormStream.__new__(FormStream)  # (its content compressed already)
            form.data, form.bbox, form.resources = data, bbox, res
            doc.Reference(form, name)
            doc.inObject = None
        for font, state in self.fonts:
            font.state[doc] = _state_copy(state)
        doc.fontMapping.update(self.font_mapping)
        doc.delayedFonts.extend(self.delayed)
        doc._pdfVersion = self.pdf_version
        canv._all_forms.update(self.used)
        canv.__dict__.update(self.canvas)
        for name, memo in self.memos.items():
            getattr(canv, name).update(memo)
        return self.pages


#: per merge: its snapshot (None: its capture cannot be given so)
_SNAPSHOTS: dict[int, _Snapshot | None] = {}


def capture(merge: MailMerge, canv: FormCanvas, prefix: str) -> int:
    """``merge.capture(canv, prefix)``, or, on a fresh part's canvas of a letter captured
    before on one like it, what that capture did to it (the same bytes)."""
    fresh = _fresh(canv) if ENABLED and merge.reused is None else None
    key = id(merge)
    snap = _SNAPSHOTS.get(key)
    if (
        fresh is not None
        and snap is not None
        and snap.merge is merge
        and snap.fresh == fresh
        and snap.prefix == prefix
    ):
        return snap.give(canv)
    pages = merge.capture(canv, prefix)
    if fresh is not None and (snap is None or snap.merge is not merge):
        if len(_SNAPSHOTS) >= 16:
            _SNAPSHOTS.clear()
        _SNAPSHOTS[key] = _Snapshot.taken(merge, canv, prefix, fresh, pages)
    return pages
