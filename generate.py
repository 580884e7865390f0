#!/usr/bin/env python3
"""Handout Press command line: ``python generate.py COMMAND …`` (same as ``handouts``)."""

from handoutpress.cli import run

if __name__ == "__main__":
    run()
