#!/usr/bin/env python3
"""The reference for the cold-command rows of run_bench.py: the least a ReportLab program does
to make a one-page handout. One embedded TrueType face (the body face Handout Press uses), a
title and five paragraphs, written to the file named on the command line. No YAML, no
validation, no templates, no fallback fonts: what any ReportLab script pays to start.

    python bench/one_page_reportlab.py out.pdf
"""

from __future__ import annotations

import sys
from pathlib import Path

from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate

FONT = Path(__file__).resolve().parent.parent / "fonts" / "AtkinsonHyperlegible-Regular.ttf"

TEXT = [
    "After Your Trigger Point Injections",
    "Some soreness where the needle went in is normal for a day or two.",
    "Put ice on the sore spots for 15 minutes at a time, a few times a day.",
    "Keep moving gently. Short walks and light stretching help the muscles relax.",
    "Do not do hard exercise or heavy lifting for two days.",
    "Call us if you have a fever, redness that spreads, or pain that gets worse.",
]


def main(out: str) -> None:
    pdfmetrics.registerFont(TTFont("Body", str(FONT)))
    title = ParagraphStyle("title", fontName="Body", fontSize=20, leading=24, spaceAfter=12)
    body = ParagraphStyle("body", fontName="Body", fontSize=12, leading=16, spaceAfter=8)
    story = [Paragraph(TEXT[0], title)] + [Paragraph(t, body) for t in TEXT[1:]]
    SimpleDocTemplate(out, pagesize=letter).build(story)


if __name__ == "__main__":
    main(sys.argv[1])
