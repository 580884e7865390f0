"""The brand's contact details as a block of paragraphs ("Questions?", phone, hours, the
after-hours phone, then name, address, website and e-mail): the tri-fold's back panel and
the end of large print."""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph, Spacer

from .models import Brand
from .strings import Strings
from .styles import Theme
from .tagging import Node, tag
from .typeset import bind_quantities
from .values import in_language


def contact_block(
    th: Theme, text: Strings, brand: Brand, language: str, gap: float, parent: Node | None = None
) -> list[Flowable]:
    """The brand's contact details: "Questions?", phone, hours, after-hours phone, then
    (``gap`` lower) name, address, website and e-mail. The tri-fold's back panel and the
    end of large print. With ``parent``: tagged under it ("Questions?" an ``H2``)."""
    markup = th.fonts.markup
    contact = brand.contact
    out: list[Flowable] = [
        Paragraph(markup(text("questions"), bold=True), th["heading"]),
        Paragraph(markup(contact.phone, bold=True), th["contact_big"]),
    ]
    hours = in_language(contact.hours, language)
    if hours:  # ("7:30 am" never breaks at its space)
        out.append(Paragraph(markup(bind_quantities(hours)), th["contact"]))
    if contact.after_hours_phone:
        out.append(
            Paragraph(
                f"{markup(text('after_hours'))} "
                f"<b>{markup(contact.after_hours_phone, bold=True)}</b>",
                th["contact"],
            )
        )
    out.append(Spacer(0, gap))
    out.append(Paragraph(f"<b>{markup(brand.name, bold=True)}</b>", th["contact"]))
    lines = [*contact.address, *(x for x in (contact.website, contact.email) if x)]
    out.extend(Paragraph(markup(line), th["contact"]) for line in lines)
    if parent is not None:
        for i, f in enumerate(p for p in out if isinstance(p, Paragraph)):
            tag(f, parent.add("H2" if i == 0 else "P"))
    return out
