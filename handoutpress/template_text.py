"""One content text rendered (:func:`render_text`): as written when it has no template
syntax (:func:`~handoutpress.template_values.renders_as_written`), else through the sandboxed
Jinja2 of :mod:`handoutpress.templating`, imported only then. Above both (templating reads
:mod:`handoutpress.template_values` for the values it is given), so no import goes back up."""

from __future__ import annotations

from collections.abc import Mapping

from .template_values import TemplateProblem, renders_as_written

#: the longest one text may be, rendered: the longest shipped section is about 700
#: characters, a page of the sheet holds about 5,000; laying out a text of 100,000 (which
#: a template or a 200 kB block of text makes) takes ReportLab minutes before it overflows
MAX_TEXT = 10_000


def render_text(source: str, context: Mapping[str, object]) -> str:
    """Render one text field (:func:`handoutpress.templating.render_text`); a text that
    renders as written is given back without importing Jinja2. Raises
    :class:`TemplateProblem` with the template line, or for a text longer than
    :data:`MAX_TEXT`."""
    if renders_as_written(source):
        text = source
    else:
        from .templating import render_text as render_template

        text = render_template(source, context)
    if len(text) > MAX_TEXT:
        raise TemplateProblem(
            f"too long: {len(text):,} characters in one text (at most {MAX_TEXT:,}); "
            "no layout holds that much: split it or shorten it"
        )
    return text
