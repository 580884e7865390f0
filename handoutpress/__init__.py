"""Handout Press: patient-education YAML in, printable branded PDFs out."""

from .startup import defer_reportlab_uri_pattern, skip_disabled_pydantic_plugins

__version__ = "0.1.0"

defer_reportlab_uri_pattern()
skip_disabled_pydantic_plugins()
