"""One content text rendered (:func:`render_text`): as written when it has no template
syntax (:func:`~handoutpress.template_values.renders_as_written`), else through the sandboxed
Jinja2 of :mod:`handoutpress.templating`, imported only then. Above both (templating reads
:mod:`handoutpress.template_values` for the values it is given), so no import goes back up."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .template_values import renders_as_written


def render_text(source: str, context: Mapping[str, Any]) -> str:
    """Render one text field (:func:`handoutpress.templating.render_text`); a text that
    renders as written is given back without importing Jinja2. Raises
    :class:`TemplateProblem` with the template line."""
    if renders_as_written(source):
        return source
    from .templating import render_text as render_template

    return render_template(source, context)
