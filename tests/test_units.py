"""Unit tests of the engine's pieces: loading, validation, templates, Markdown, fonts."""

from __future__ import annotations

from pathlib import Path

import pytest

from handoutpress.errors import HandoutError
from handoutpress.fonts import markup, missing_glyphs
from handoutpress.loading import load_yaml
from handoutpress.markdown import ListBlock, Para, Span, parse_blocks, parse_inline
from handoutpress.models import Layout, validate
from handoutpress.templating import Namespace, TemplateProblem, WriteIn, render_text


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "f.yaml"
    p.write_text(text)
    return p


def test_yaml_11_surprises_stay_text(tmp_path: Path) -> None:
    doc = load_yaml(write(tmp_path, "a: NO\nb: 01234\nc: 12:30\non: yes\nd: 1.10\ne:\n"))
    assert doc.data == {"a": "NO", "b": "01234", "c": "12:30", "on": "yes", "d": "1.10", "e": None}


def test_locations_of_values_and_keys(tmp_path: Path) -> None:
    doc = load_yaml(
        write(tmp_path, "top:\n  - name: x\n    body: |\n      line one\n      line two\n")
    )
    assert (doc.locate(("top", 0, "name")).line, doc.locate(("top", 0, "name")).col) == (2, 11)
    assert doc.locate_key(("top", 0, "body")).line == 3
    assert doc.text_line(("top", 0, "body"), 2) == 5
    # a missing key is located at its nearest parent
    assert doc.locate(("top", 0, "nothing")).line == 2


def test_all_duplicate_keys_reported(tmp_path: Path) -> None:
    with pytest.raises(HandoutError) as exc:
        load_yaml(write(tmp_path, "a: 1\nb: 2\na: 3\nb: 4\n"))
    assert [str(p).split(": ", 1)[1] for p in exc.value.problems] == [
        "a: duplicate key (first given on line 1)",
        "b: duplicate key (first given on line 2)",
    ]


def test_not_utf8(tmp_path: Path) -> None:
    p = tmp_path / "f.yaml"
    p.write_bytes("title: caf\u00e9\n".encode("cp1252"))
    with pytest.raises(HandoutError, match=r"f.yaml:1: file is not UTF-8 text"):
        load_yaml(p)


def test_layout_lengths_and_panel_sum(tmp_path: Path) -> None:
    base = (
        "name: t\nkind: trifold\npaper: {width: 11in, height: 8.5in}\nsafe_margin: 6.35mm\n"
        "type: {body: 12pt, body_leading: 15, min_body: 12pt, heading: 14pt,"
        " heading_leading: 17pt, title: 26pt, subtitle: 14pt, small: 8pt}\n"
    )
    layout = validate(
        Layout, load_yaml(write(tmp_path, base + "panels: [3.625in, 3.6875in, 3.6875in]\n"))
    )
    assert layout.paper.width == 792 and round(layout.safe_margin, 2) == 18.0
    with pytest.raises(HandoutError, match="panel widths add up to 756.0 pt"):
        validate(Layout, load_yaml(write(tmp_path, base + "panels: [3.5in, 3.5in, 3.5in]\n")))
    with pytest.raises(HandoutError, match="below type.min_body"):
        validate(
            Layout,
            load_yaml(
                write(
                    tmp_path,
                    base.replace("{body: 12pt", "{body: 11pt")
                    + "panels: [3.625in, 3.6875in, 3.6875in]\n",
                )
            ),
        )


def test_template_escapes_values_for_markdown() -> None:
    ctx = {"patient": Namespace("patient", {"name": "*Pat* & [Lee](javascript:x) <b>"})}
    rendered = render_text("Hello {{ patient.name }}!", ctx)
    spans = parse_inline(rendered)
    assert spans == (Span("Hello *Pat* & [Lee](javascript:x) <b>!"),)


def test_template_write_in_and_strictness() -> None:
    ctx = {"visit": Namespace("visit", {"date": WriteIn()})}
    assert render_text("On {{ visit.date }}.", ctx) == "On \\_" + "\\_" * 13 + "."
    with pytest.raises(
        TemplateProblem, match=r"undefined variable 'visit.dat' \(did you mean 'visit.date'\?\)"
    ):
        render_text("{{ visit.dat }}", ctx)
    with pytest.raises(TemplateProblem, match="unsafe template expression"):
        render_text("{{ ''.__class__.__mro__[1].__subclasses__() }}", ctx)
    with pytest.raises(TemplateProblem) as exc:
        render_text("one\ntwo {{ nope }}", ctx)
    assert exc.value.line == 2


def test_markdown_blocks() -> None:
    blocks = parse_blocks("Hi **bold** *it*.\n\n- a\n- b\n  1. x\n\n3. c\n\n<i>raw</i>")
    assert blocks[0] == Para(
        (Span("Hi "), Span("bold", bold=True), Span(" "), Span("it", italic=True), Span("."))
    )
    assert isinstance(blocks[1], ListBlock) and not blocks[1].ordered and len(blocks[1].items) == 2
    nested = blocks[1].items[1][1]
    assert isinstance(nested, ListBlock) and nested.ordered
    assert isinstance(blocks[2], ListBlock) and blocks[2].start == 3
    assert blocks[3] == Para((Span("<i>raw</i>"),))


def test_markdown_links_show_their_address_and_unsafe_links_are_dropped() -> None:
    (para,) = parse_blocks(
        "See [our site](https://clinic.example.com/tpi) or [x](javascript:alert(1))."
    )
    assert isinstance(para, Para)
    text = "".join(s.text for s in para.spans)
    # markdown-it refuses javascript: links: they stay literal text, never a link
    assert text == "See our site (clinic.example.com/tpi) or [x](javascript:alert(1))."
    assert [s.href for s in para.spans if s.href] == ["https://clinic.example.com/tpi"]


def test_font_fallback_markup() -> None:
    assert (
        markup("Nguy\u1ec5n & <b>") == 'Nguy<font face="HPFallback">\u1ec5</font>n &amp; &lt;b&gt;'
    )
    assert 'face="HPFallback-bold"' in markup("\u2192", bold=True)
    assert missing_glyphs("Ana \u4e2d\u6587 \u4e2d") == ["\u4e2d", "\u6587"]
    assert missing_glyphs("Jos\u00e9 \u0141ukasiewicz Nguy\u1ec5n") == []


def test_huge_content_file_refused(tmp_path: Path) -> None:
    p = tmp_path / "big.yaml"
    p.write_text("title: " + "x" * 1_100_000 + "\n")
    with pytest.raises(HandoutError, match="big.yaml: file is larger than 1000 kB"):
        load_yaml(p)


def test_corrupt_font_is_reported_with_its_path(tmp_path: Path) -> None:
    from handoutpress import fonts

    for name in ("AtkinsonHyperlegible-Regular.ttf", "DejaVuSans.ttf"):
        (tmp_path / name).write_bytes(b"not a font")
    with pytest.raises(
        HandoutError, match=r"AtkinsonHyperlegible-Regular.ttf: font cannot be loaded"
    ):
        fonts.register.__wrapped__(tmp_path)


def test_bad_logos_are_refused_before_output(tmp_path: Path) -> None:
    from PIL import Image

    from handoutpress.images import load_logo

    with pytest.raises(HandoutError, match="logo: logo file not found"):
        load_logo(tmp_path / "missing.svg")
    bad_svg = tmp_path / "bad.svg"
    bad_svg.write_text("<svg><rect")
    with pytest.raises(HandoutError, match="SVG cannot be read"):
        load_logo(bad_svg)
    huge = tmp_path / "huge.png"
    Image.new("1", (8000, 6000)).save(huge)
    with pytest.raises(HandoutError, match=r"image is too large \(8000 x 6000 pixels\)"):
        load_logo(huge)
    gif = tmp_path / "logo.gif"
    gif.write_bytes(b"GIF89a")
    with pytest.raises(HandoutError, match="logo must be an SVG, PNG or JPEG file"):
        load_logo(gif)
    small = tmp_path / "ok.png"
    Image.new("RGB", (600, 200), "teal").save(small)
    logo = load_logo(small)
    assert (logo.width, logo.height) == (144.0, 48.0)  # natural size at 300 ppi
