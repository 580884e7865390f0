"""The front desk against requests its page never sends (an outside tester's hunt): bytes
that are not UTF-8, pages that do not exist, a brand edited while it runs, odd methods,
content types, sizes and names. Request-level, through Flask's test client.
"""

from __future__ import annotations

import io
import json
import re

import pytest

from handoutpress.web.app import Settings, create_app

from .test_web import FORM, SECRET, post, token
from .webserver import live_server


def pdf_text(pdf: bytes) -> str:
    """The PDF's text, read in memory (PDFium), words joined by single spaces."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        return " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in doc)
    finally:
        doc.close()


FORM_TYPE = "application/x-www-form-urlencoded"


def post_raw(client, url: str, body: bytes, content_type: str = FORM_TYPE):
    headers = {"X-CSRF-Token": token(client), "Content-Type": content_type}
    return client.post(url, data=body, headers=headers)


# --------------------------------------------------------------------------- not UTF-8


NOT_UTF8 = [
    b"field.patient.name=Pat%FFLee",  # percent-encoded: Werkzeug kept "%FF" as text
    b"field.patient.name=Pat\xffLee",  # raw: Werkzeug dropped the whole form
    b"field.patient.name=Pat%ED%A0%80",  # a surrogate, encoded: not UTF-8 either
]


@pytest.mark.parametrize("raw", NOT_UTF8, ids=["percent", "raw", "surrogate"])
@pytest.mark.parametrize("url", ["/preview", "/download"])
def test_a_value_that_is_not_utf8_is_refused_naming_its_field(client, url, raw):
    res = post_raw(client, url, b"handout=tpi-aftercare&" + raw)
    assert res.status_code == 400, res.get_data()[:300]
    assert res.mimetype == "application/json"  # no PDF, no picture
    (problem,) = res.get_json()["problems"]
    assert problem["field"] == "patient.name"
    assert "UTF-8" in problem["message"] and "Pat" not in res.get_data(as_text=True)


def test_a_name_date_or_choice_that_is_not_utf8_is_refused_in_a_visit_and_on_print(client):
    for url, body in (
        ("/preview", b"handout=tpi-aftercare&field.visit.date=2026-12-%FF"),
        ("/visit/download", b"items=%5B%7B%22handout%22%3A%22tpi-aftercare%FF%22%7D%5D"),
        ("/print", b"handout=tpi-aftercare&printer=%FF&copies=1"),
    ):
        res = post_raw(client, url, body)
        assert res.status_code == 400, (url, res.get_data()[:300])
        (problem,) = res.get_json()["problems"]
        if url == "/preview":
            assert problem["field"] == "visit.date"
        else:
            name = "items" if "visit" in url else "printer"
            assert problem == {"field": "", "message": f"bad request: '{name}' is not UTF-8 text"}


def test_a_field_name_that_is_not_utf8_or_not_a_name_is_not_echoed(client):
    res = post_raw(client, "/preview", b"handout=tpi-aftercare&Zebulon%FF=1")
    assert res.status_code == 400
    assert res.get_json()["problems"] == [
        {"field": "", "message": "bad request: a field name is not UTF-8 text"}
    ]
    res = post_raw(client, "/preview", b"handout=tpi-aftercare&Zebulon%20Q=%FF")
    assert res.status_code == 400 and "Zebulon" not in res.get_data(as_text=True)


def test_a_query_string_that_is_not_utf8_is_refused(client):
    for url in ("/?q=inyecci%F3n", "/panel/tpi-aftercare?lang=es%FF", "/?h=%C3"):
        res = client.get(url)
        assert res.status_code == 400, url
        assert "is not UTF-8 text" in res.get_json()["problems"][0]["message"]
    assert client.get("/?q=inyecci%C3%B3n").status_code == 200  # UTF-8: found as typed


def test_utf8_values_still_print_as_typed(client):
    res = post(client, "/download", {**FORM, "field.patient.name": "Nguyễn Thị Ánh"})
    assert res.status_code == 200 and "Nguyễn Thị Ánh" in pdf_text(res.data)


@pytest.mark.parametrize(
    "content_type",
    ["multipart/form-data; boundary=XX", "application/json", "text/plain",
     "application/x-www-form-urlencoded; charset=latin-1"],
)  # fmt: skip
def test_a_post_that_is_not_a_utf8_form_is_refused(client, content_type):
    """A multipart part not UTF-8 became U+FFFD in the PDF; the page sends only forms."""
    body = (
        b'--XX\r\nContent-Disposition: form-data; name="handout"\r\n\r\ntpi-aftercare\r\n'
        b'--XX\r\nContent-Disposition: form-data; name="field.patient.name"\r\n\r\nPat\xff\r\n'
        b"--XX--\r\n"
        if content_type.startswith("multipart")
        else b"handout=tpi-aftercare"
    )
    res = post_raw(client, "/download", body, content_type)
    assert res.status_code == 415, res.get_data()[:300]
    assert res.mimetype == "application/json"
    assert res.headers["Cache-Control"] == "no-store"
    assert SECRET not in res.get_data(as_text=True)


# --------------------------------------------------------------------------- preview pages


@pytest.mark.parametrize(("page", "pages"), [("3", 2), ("99", 2), ("9999", 2)])
def test_a_page_past_the_end_is_a_404_saying_how_many_there_are(client, page, pages):
    """It showed the last page instead (``X-Page: 2`` for page 99)."""
    res = post(client, "/preview", {**FORM, "page": page})
    assert res.status_code == 404 and res.mimetype == "application/json"
    assert res.headers["X-Pages"] == str(pages) and "X-Page" not in res.headers
    assert res.get_json()["problems"] == [
        {"field": "", "message": f"page {page}: out of range; this sheet has {pages} pages"}
    ]


@pytest.mark.parametrize("page", ["0", "-1", "00", "01", "x", "", " 2", "2.0", "1_0", "٢", "10000"])
def test_a_page_that_is_not_a_page_number_is_a_400(client, page):
    """0 and -1 showed page 1; " 2", "1_0" and "٢" (an Arabic-Indic two) were taken by int()."""
    res = post(client, "/preview", {**FORM, "page": page})
    assert res.status_code == 400, (page, res.headers.get("X-Page"))
    assert res.get_json()["problems"] == [
        {"field": "", "message": "bad request: page: a page number from 1 (1, 2, …)"}
    ]


def test_every_page_there_is_is_shown_as_asked(client):
    for page in ("1", "2"):
        res = post(client, "/preview", {**FORM, "page": page})
        assert res.status_code == 200 and res.mimetype == "image/png"
        assert (res.headers["X-Page"], res.headers["X-Pages"]) == (page, "2")
    res = post(client, "/preview", {**FORM, "handout": "trigger-point-injections", "page": "2"})
    assert (res.status_code, res.headers["X-Page"]) == (200, "2")


# --------------------------------------------------------------------------- brand edited


def test_the_brand_is_read_once_banner_and_pdfs_agree_and_an_edit_is_announced(
    project, tmp_path, monkeypatch
):
    """The brand file edited while the desk runs (a new name and phone, then a broken file):
    the banner and every PDF keep the clinic read at start, and the page says the file
    changed and that a restart uses it. Before, the first handout edit after it switched
    both to the new file (half-saved or not) without a word."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795737600")
    client = create_app(Settings(project_root=project, data_dir=tmp_path / "data")).test_client()
    brand_file = project / "layouts" / "brands" / "palomar.yaml"
    handout = project / "handouts" / "tpi-aftercare.yaml"

    def banner_and_pdf() -> tuple[str, str]:
        page = client.get("/").get_data(as_text=True)
        pdf = post(client, "/download", FORM)
        assert pdf.status_code == 200, pdf.get_data()[:300]
        return page, pdf_text(pdf.data)

    page, pdf = banner_and_pdf()
    assert 'class="brand">Palomar Spine &amp; Pain<' in page and "(760) 555-0142" in pdf
    assert "Brand file changed" not in page

    source = brand_file.read_text()
    edited = source.replace("name: Palomar Spine & Pain", "name: Mesa Clinic")
    brand_file.write_text(edited.replace("(760) 555-0142", "(760) 555-0177"))
    handout.write_text(handout.read_text() + "\n")  # and a handout edit: read again
    for _ in range(2):
        page, pdf = banner_and_pdf()
        assert 'class="brand">Palomar Spine &amp; Pain<' in page and "Mesa" not in page
        assert "(760) 555-0142" in pdf and "555-0177" not in pdf and "Mesa" not in pdf
        assert re.search(
            r"<strong>Brand file changed:</strong>\s+layouts/brands/palomar\.yaml was edited "
            r"after the front desk started\.\s+Handouts still print with the\s+clinic details "
            r"read at start \(Palomar Spine &amp; Pain\)\. To use the new details, restart",
            page,
        ), page[:2000]
        brand_file.write_text("name: [\n")  # half-saved: the desk still works as it was
        handout.write_text(handout.read_text() + "\n")


def test_serve_says_which_brand_it_read_and_that_an_edit_needs_a_restart(tmp_path):
    with live_server(tmp_path / "s") as live:
        pass
    lines = live.stdout.read_text().splitlines()
    assert lines[1] == (
        "Brand: Palomar Spine & Pain (layouts/brands/palomar.yaml), read now: restart after "
        "editing it (handouts are read again when they change)"
    )


# --------------------------------------------------------------------------- names, repeats


def test_a_download_file_name_never_carries_a_quote_or_separator_into_the_header(
    project, tmp_path, monkeypatch
):
    """A translation's file name is the clinic's: ``tpi-aftercare.e"s;x.yaml`` made the header
    ``filename="tpi-aftercare.e"s;x-sheet.pdf"`` (a quote ends the name early)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795737600")
    source = (project / "handouts" / "tpi-aftercare.es.yaml").read_text()
    odd = project / "handouts" / 'tpi-aftercare.e"s;x.yaml'
    odd.write_text(source.replace("language: es", "language: fr", 1))
    client = create_app(Settings(project_root=project, data_dir=tmp_path / "data")).test_client()
    res = post(client, "/download", {**FORM, "lang": "fr"})
    assert res.status_code == 200, res.get_data()[:300]
    assert res.headers["Content-Disposition"] == (
        'attachment; filename="tpi-aftercare.e-s-x-sheet.pdf"'
    )
    res = post(client, "/download", {**FORM, "lang": "es"})
    assert res.headers["Content-Disposition"] == 'attachment; filename="tpi-aftercare.es-sheet.pdf"'


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/preview", b"handout=tpi-aftercare&page=1&page=2"),
        ("/print", b"handout=tpi-aftercare&copies=1&copies=40&printer=p"),
        ("/print", b"handout=tpi-aftercare&copies=1&printer=p&printer=q"),
        ("/visit/download", b"items=%5B%5D&items=%5B%7B%22handout%22%3A%22tpi-aftercare%22%7D%5D"),
        ("/preview", b"handout=tpi-aftercare&handout=trigger-point-injections"),
    ],
    ids=["page", "copies", "printer", "items", "handout"],
)
def test_a_field_given_twice_is_refused_not_the_first_taken(client, url, body):
    """A second ``page`` (or copies, printer, items) was dropped unseen."""
    res = post_raw(client, url, body)
    assert res.status_code == 400, res.get_data()[:300]
    (problem,) = res.get_json()["problems"]
    assert "given 2 times" in problem["message"] or "not one text value" in problem["message"]


@pytest.mark.parametrize(
    "query",
    ["lang=en&lang=es", "layout=trifold&layout=sheet", "large_print=1&large_print=0",
     "staff_copy=1&staff_copy=", "lang=es&layout=sheet&lang=es"],
)  # fmt: skip
def test_a_panel_parameter_given_twice_is_refused_not_the_first_taken(client, query):
    """``?lang=en&lang=es`` showed the English panel, as a POST's second field was dropped."""
    res = client.get(f"/panel/trigger-point-injections?{query}")
    assert res.status_code == 400, res.get_data()[:300]
    name = query.split("=")[0]
    assert res.get_json()["problems"] == [
        {"field": "", "message": f"bad request: {name} is given 2 times"}
    ]
    assert client.get("/panel/trigger-point-injections?lang=es&layout=sheet").status_code == 200


def test_a_search_given_twice_is_refused(client):
    assert client.get("/?q=after&q=tri").status_code == 400
    assert client.get("/?q=after").status_code == 200


@pytest.mark.parametrize("copies", ["٣", "1_0", " 2", "0", "51", "-1", "2.0", ""])
def test_copies_is_a_plain_number_from_1_to_50(client, copies):
    """``int()`` took "٣" (an Arabic-Indic three), "1_0" (ten) and " 2"."""
    res = post(client, "/print", {**FORM, "copies": copies, "printer": "any"})
    assert res.status_code == 400
    assert res.get_json()["problems"] == [{"field": "", "message": "bad request: copies: 1 to 50"}]


# --------------------------------------------------------------------------- sizes


def test_a_streamed_body_is_refused_not_cut_at_the_limit(client):
    """Werkzeug read a chunked body (no Content-Length) up to the 64 kB limit and parsed what
    it had: a form cut short, silently."""
    body = b"handout=tpi-aftercare&page=1&x=" + b"a" * 70_000
    res = client.post(
        "/preview",
        input_stream=io.BytesIO(body),
        headers={
            "X-CSRF-Token": token(client),
            "Content-Type": FORM_TYPE,
            "Transfer-Encoding": "chunked",
        },
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert res.status_code == 411 and res.mimetype == "application/json"


def test_a_real_server_refuses_huge_urls_headers_and_bodies_unread(tmp_path):
    """cheroot read a 1 MB request line or header and answered it."""
    import socket

    def first_line(request: bytes) -> bytes:
        with socket.create_connection(("127.0.0.1", live.port), timeout=30) as s:
            s.sendall(request)
            return s.makefile("rb").readline().strip()

    host = b"Host: 127.0.0.1\r\n"
    with live_server(tmp_path / "s") as live:
        long_url = b"GET /?q=" + b"a" * 100_000 + b" HTTP/1.1\r\n" + host + b"\r\n"
        assert first_line(long_url) == b"HTTP/1.1 414 Request-URI Too Long"
        long_header = b"GET / HTTP/1.1\r\n" + host + b"X-A: " + b"a" * 100_000 + b"\r\n\r\n"
        assert first_line(long_header) == b"HTTP/1.1 413 Request Entity Too Large"
        big = b"POST /preview HTTP/1.1\r\n" + host + b"Content-Length: 10000000\r\n\r\nhandout="
        assert first_line(big) == b"HTTP/1.1 413 Request Entity Too Large"
        ok = b"GET /?q=after HTTP/1.1\r\n" + host + b"Connection: close\r\n\r\n"
        assert first_line(ok) == b"HTTP/1.1 200 OK"


ONE = {"handout": "tpi-aftercare"}


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/download", {"handout": "tpi-aftercare", "patient.name": SECRET}),
        ("/preview", {"handout": "tpi-aftercare", "field_patient.name": SECRET}),
        ("/visit/download", {"items": json.dumps([{**ONE, "patient.name": SECRET}])}),
        ("/visit/download", {"items": json.dumps([ONE]), "patient.name": SECRET}),
    ],
    ids=["download", "preview", "visit-item", "visit"],
)  # fmt: skip
def test_a_value_under_a_name_the_page_does_not_send_is_refused(client, url, data):
    """``patient.name`` (not ``field.patient.name``) was ignored: the handout printed with a
    blank line for the patient's name, and nothing said why."""
    res = post(client, url, data)
    assert res.status_code == 400, res.get_data()[:300]
    (problem,) = res.get_json()["problems"]
    name = next(k for k in (*data, *json.loads(data.get("items", "[{}]"))[0]) if "patient" in k)
    assert problem["message"] == (
        f"bad request: '{name}' is not a field the page sends (a field is field.<key>)"
    )
    assert SECRET not in res.get_data(as_text=True)


def test_no_patient_value_in_the_metadata_of_a_download_or_a_visit(client):
    """The document information and XMP of what the desk hands out: the handouts' titles,
    never the patient's name or date (a guard: the hunt found none)."""
    import pikepdf

    values = {"field.patient.name": SECRET, "field.visit.date": "2026-11-27"}
    brochure = {"handout": "trigger-point-injections", "field.patient.name": SECRET}
    items = [{**ONE, **values}, brochure]
    for url, data in (
        ("/download", {**ONE, **values}),
        ("/visit/download", {"items": json.dumps(items)}),
    ):
        res = post(client, url, data)
        assert res.status_code == 200, res.get_data()[:300]
        with pikepdf.open(io.BytesIO(res.data)) as pdf:
            info = " ".join(str(v) for v in pdf.docinfo.values())
            xmp = pdf.Root.Metadata.read_bytes().decode()
        assert "Trigger Point Injections" in info and "Trigger Point Injections" in xmp
        for seen in (info, xmp):
            assert "Zebulon" not in seen and "Quixote" not in seen and "2026-11-27" not in seen
