"""No personal value in a link's address: ``[our page](https://example.com/{{ visit.date }})``
would put patient details into a URL (PRODUCT.md: never), and a value with a space in it
broke the link, which then printed as typed, brackets and all. Refused at its place in the
section's text, before anything is drawn."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .personal import PERSONAL_NAMESPACES

MESSAGE = (
    "a link's address cannot use a personal field ({tag}): patient details never go into "
    "an address; link to the page itself"
)
#: a Markdown link's or picture's address, ``](…)``, and an autolink, ``<https://…>``
_ADDRESS = re.compile(r"\]\(([^)]*)\)|<(https?://[^>]*)>")


def personal_in_addresses(source: str) -> Iterator[tuple[str, str]]:
    """The templates in ``source``'s link addresses that use a personal field (``patient``,
    ``visit``, ``provider``, a mailing's ``row``): each as written (``{{ visit.date }}``),
    and what is wrong with it."""
    names = "|".join(re.escape(ns) for ns in PERSONAL_NAMESPACES)
    personal = re.compile(rf"\{{[{{%][^}}]*?\b(?:{names})\b[^}}]*[}}%]\}}")
    for m in _ADDRESS.finditer(source):
        for t in personal.finditer(m.group(1) or m.group(2) or ""):
            yield t.group(0), MESSAGE.format(tag=t.group(0))
