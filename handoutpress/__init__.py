"""Handout Press: patient-education YAML in, printable branded PDFs out."""

from .startup import defer_import_time_patterns, skip_disabled_pydantic_plugins

__version__ = "0.1.0"

defer_import_time_patterns()
skip_disabled_pydantic_plugins()
