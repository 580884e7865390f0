"""Handout Press: patient-education YAML in, printable branded PDFs out."""

from .startup import (
    compile_dataclass_methods_when_called,
    defer_import_time_patterns,
    import_pil_image_when_used,
    import_pyphen_when_used,
    skip_disabled_pydantic_plugins,
)

__version__ = "0.1.0"

compile_dataclass_methods_when_called()
defer_import_time_patterns()
import_pyphen_when_used()
import_pil_image_when_used()
skip_disabled_pydantic_plugins()
