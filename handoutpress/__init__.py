"""Handout Press: patient-education YAML in, printable branded PDFs out."""

__version__ = "0.1.0"
