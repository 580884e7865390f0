"""One content text rendered (:func:`render_text`): as written when it has no template
syntax (:func:`~handoutpress.template_values.renders_as_written`), its ``{{ name.key }}``
tags looked up when it has no other (:func:`~handoutpress.template_values.render_lookups`),
else through the sandboxed Jinja2 of :mod:`handoutpress.templating`, imported only then.
Above both (templating reads :mod:`handoutpress.template_values` for the values it is
given), so no import goes back up."""

from __future__ import annotations

from collections.abc import Mapping

from .template_values import (
    MAX_TEXT,
    TemplateProblem,
    render_lookups,
    renders_as_written,
    too_long,
)


def render_text(source: str, context: Mapping[str, object]) -> str:
    """Render one text field (:func:`handoutpress.templating.render_text`); a text that
    renders as written is given back without importing Jinja2. Raises
    :class:`TemplateProblem` with the template line, or for a text longer than
    :data:`MAX_TEXT`."""
    if renders_as_written(source):
        text = source
    elif (looked_up := render_lookups(source, context)) is not None:
        text = looked_up  # only {{ name.key }} tags: as the sandbox renders them
    else:
        from .templating import render_text as render_template

        text = render_template(source, context)
    if len(text) > MAX_TEXT:
        raise TemplateProblem(too_long(text))
    return text
