"""The front desk's server side without a browser: the security rules of issue 11 item 4
through Flask's test client and a real ``serve``, the engine calls, the tally and ``usage``.

The browser tests are in ``test_web_browser.py``; login mode in ``test_web_staff.py``.
"""

from __future__ import annotations

import io
import json
import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from handoutpress.web.app import Settings, create_app

from . import shipped
from .conftest import run_cli
from .pdfcheck import text
from .webserver import live_server

SECRET = "Zebulon Quixote-Marsh"


def token(client) -> str:
    page = client.get("/").get_data(as_text=True)
    m = re.search(r'data-csrf="([^"]+)"', page)
    assert m, page[:500]
    return m.group(1)


def post(client, url: str, data: dict[str, str], **headers: str):
    headers.setdefault("X-CSRF-Token", token(client))
    return client.post(url, data=data, headers=headers)


FORM = {"handout": "tpi-aftercare", "field.patient.name": SECRET, "page": "1"}


# --------------------------------------------------------------------------- the engine calls


def test_preview_is_the_page_as_png(client):
    res = post(client, "/preview", FORM)
    assert res.status_code == 200, res.get_data(as_text=True)
    assert res.mimetype == "image/png"
    assert res.data[:8] == b"\x89PNG\r\n\x1a\n"
    from io import BytesIO

    from PIL import Image

    assert Image.open(BytesIO(res.data)).size == (850, 1100)  # Letter at 100 dpi
    assert (res.headers["X-Page"], res.headers["X-Pages"]) == ("1", "2")
    assert res.headers["X-Paper"] == "Letter, two-sided, flip on long edge"


def test_preview_is_a_256_colour_png_of_the_page_that_prints(client, tmp_path):
    """The live preview: the page of the PDF that prints, in 256 colours (a third of the
    encoding time and size), each pixel within 14 levels of the full-colour page."""
    import pypdfium2 as pdfium
    from PIL import Image, ImageChops, ImageStat

    res = post(client, "/preview", FORM)
    shown = Image.open(io.BytesIO(res.data))
    assert shown.mode == "P" and len(shown.getcolors(256) or []) <= 256
    doc = pdfium.PdfDocument(post(client, "/download", FORM).data)  # the same values
    try:
        full = doc[0].render(scale=100 / 72).to_pil().convert("RGB").crop((0, 0, *shown.size))
    finally:
        doc.close()
    diff = ImageChops.difference(full, shown.convert("RGB"))
    assert max(high for _, high in diff.getextrema()) <= 16
    assert max(ImageStat.Stat(diff).mean) < 2


def test_preview_pages_of_the_trifold_and_large_print(client):
    form = {"handout": "trigger-point-injections", "layout": "trifold", "page": "2"}
    res = post(client, "/preview", form)
    assert res.status_code == 200
    assert (res.headers["X-Page"], res.headers["X-Pages"]) == ("2", "2")
    assert res.headers["X-Paper"] == "Letter, two-sided, flip on short edge"
    res = post(client, "/preview", {**form, "large_print": "1", "page": "1"})
    assert res.status_code == 200 and int(res.headers["X-Pages"]) > 2


def test_download_is_the_pdf_named_by_the_handout(client, tmp_path):
    res = post(client, "/download", {**FORM, "lang": "es"})
    assert res.status_code == 200
    disposition = res.headers["Content-Disposition"]
    assert disposition == 'attachment; filename="tpi-aftercare.es-sheet.pdf"'
    assert SECRET not in disposition
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(res.data)
    words = " ".join(text(pdf).split())
    assert "Zebulon Quixote-Marsh" in words and "Después de sus inyecciones" in words


def test_a_value_too_long_for_its_line_is_tied_to_its_field(client):
    res = post(client, "/preview", {**FORM, "field.patient.name": "A" * 150})
    assert res.status_code == 422
    (problem,) = res.get_json()["problems"]
    assert problem["field"] == "patient.name"
    assert re.fullmatch(
        r"too long for its line on the sheet \(about \d+ characters fit\); shorten it",
        problem["message"],
    )


def test_a_form_with_a_problem_is_refused_for_download_and_visit_too(client, tmp_path):
    """What the preview refuses leaves the desk by no other way: the download and the visit
    answer the same problem, tied to the field (the page also turns its buttons off). The
    date of injection is a date field, written out in the sheet's language."""
    bad = {**FORM, "lang": "es", "field.visit.date": "12/02/2026"}
    for url, data in (
        ("/preview", bad),
        ("/download", bad),
        ("/visit/download", {"items": json.dumps([bad])}),
    ):
        res = post(client, url, data)
        assert res.status_code == 422, url
        (problem,) = res.get_json()["problems"]
        assert problem["field"] == "visit.date", url
        assert problem["message"].startswith("expected a date as YYYY-MM-DD"), url
    res = post(client, "/download", {**bad, "field.visit.date": "2026-12-02"})
    assert res.status_code == 200
    pdf = tmp_path / "es.pdf"
    pdf.write_bytes(res.data)
    assert "2 de diciembre de 2026" in " ".join(text(pdf, page=1).split())


def test_search_finds_titles_headings_and_spanish_without_accents(app):
    from handoutpress.web.app import FrontDesk

    desk: FrontDesk = app.extensions["handouts"]
    ids = lambda q: [e.id for e in desk.catalog.search(q)]  # noqa: E731
    # the follow-up letter ("How are you feeling after your injections?") comes up too
    assert ids("after") == ["tpi-aftercare", "tpi-follow-up"]
    both = shipped.heading("tpi-aftercare", "warning")  # a heading both have
    assert both == shipped.heading("trigger-point-injections", "warning")
    assert ids(both.lower()) == sorted(ids(both.lower()))
    assert both == shipped.heading("tpi-follow-up", "warning")  # the letter's too
    assert set(ids(both.lower())) == {"tpi-aftercare", "tpi-follow-up", "trigger-point-injections"}
    assert ids("inyeccion") and "tpi-aftercare" in ids("despues")
    assert ids("no such words here") == []
    # by the names staff know a handout by: its file name and its form number
    assert ids("aftercare") == ["tpi-aftercare"]
    form = shipped.content("tpi-aftercare")["form"]
    assert ids(form.lower()) == ["tpi-aftercare"] and ids(form) == ["tpi-aftercare"]


def test_page_lists_every_handout_with_languages_and_status(client):
    page = client.get("/").get_data(as_text=True)
    assert "After Your Trigger Point Injections" in page
    assert "Trigger Point Injections" in page
    # the brochure, the aftercare sheet and the follow-up letter, each in both languages
    assert page.count('lang="es">Español<') == 3 and page.count('lang="en">English<') == 3
    assert "Draft: not yet approved" in page
    assert "SAMPLE brand:" in page  # the shipped brand is a sample


def test_panel_offers_language_layout_large_print_and_fields(client):
    page = client.get("/panel/trigger-point-injections?lang=es").get_data(as_text=True)
    assert re.search(r'<option value="es" lang="es" selected>Español</option>', page)
    assert 'id="choose-layout"' in page  # trifold and sheet
    assert 'id="large-print"' in page
    assert re.search(r'<label for="field-1">Paciente</label>', page)
    single = client.get("/panel/tpi-aftercare").get_data(as_text=True)
    assert 'id="choose-layout"' not in single  # one layout: no Layout list
    labels = re.findall(r'<label for="field-\d+">([^<]+)</label>', single)
    fields = shipped.content("tpi-aftercare")["fields"]
    boxed = [f for f in fields if f.get("choices") or f.get("kind") == "body-map"]
    assert labels == [f["label"] for f in fields if f not in boxed]
    # the tick-box fields: a fieldset each, one checkbox per choice or body-map region
    legends = re.findall(r"<legend>([^<]+)</legend>", single)
    assert legends == [f["label"] for f in boxed] == ["Medicine used", "Injection sites"]
    ticks, body_map = (fields.index(f) + 1 for f in boxed)
    choices = len(boxed[0]["choices"])
    assert len(re.findall(rf'<input type="checkbox" id="field-{ticks}-\d+"', single)) == choices
    assert len(re.findall(rf'<input type="checkbox" id="field-{body_map}-\d+"', single)) == 30


def test_staff_copy_checkbox_gives_the_engines_staff_copy(client, tmp_path):
    page = client.get("/panel/tpi-aftercare").get_data(as_text=True)
    assert re.search(
        r'<input type="checkbox" id="staff-copy" name="staff_copy" value="1">\s*'
        r'<label for="staff-copy">Staff copy \(with teach-back prompts\)</label>',
        page,
    )
    assert 'id="staff-copy" name="staff_copy" value="1" checked' in client.get(
        "/panel/tpi-aftercare?staff_copy=1"
    ).get_data(as_text=True)
    patient = post(client, "/download", FORM)
    staff = post(client, "/download", {**FORM, "staff_copy": "1"})
    assert staff.status_code == 200, staff.get_data(as_text=True)
    assert 'filename="tpi-aftercare-sheet-staff.pdf"' in staff.headers["Content-Disposition"]
    assert 'filename="tpi-aftercare-sheet.pdf"' in patient.headers["Content-Disposition"]
    (tmp_path / "staff.pdf").write_bytes(staff.data)
    (tmp_path / "patient.pdf").write_bytes(patient.data)
    staff_words = " ".join(text(tmp_path / "staff.pdf").split())
    patient_words = " ".join(text(tmp_path / "patient.pdf").split())
    # the staff-only section (a teach-back prompt) and the mark: only on the staff copy
    prompt = next(s for s in shipped.sections("tpi-aftercare") if s.get("audience") == "staff")
    words = " ".join(prompt["body"].split())
    assert words in staff_words and "STAFF COPY" in staff_words
    assert words not in patient_words and prompt["heading"] not in patient_words
    assert "STAFF COPY" not in patient_words
    # the preview is the staff copy's page too
    preview_staff = post(client, "/preview", {**FORM, "staff_copy": "1"})
    assert preview_staff.data != post(client, "/preview", FORM).data


def test_thumbnail_holds_no_personal_data_and_may_be_cached(client):
    res = client.get("/thumb/trigger-point-injections.png")
    assert res.status_code == 200 and res.mimetype == "image/png"
    assert "no-store" not in res.headers.get("Cache-Control", "")


# --------------------------------------------------------------------------- security (item 4)


def test_foreign_host_header_is_refused(client):
    assert client.get("/", headers={"Host": "evil.example.com"}).status_code == 400
    assert client.get("/", headers={"Host": "evil.example.com:8765"}).status_code == 400
    assert client.get("/", headers={"Host": "127.0.0.1:8765"}).status_code == 200


def test_post_without_or_with_a_wrong_csrf_token_is_refused(client):
    res = client.post("/preview", data=FORM)
    assert res.status_code == 403 and "CSRF" in res.get_data(as_text=True)
    res = client.post("/download", data=FORM, headers={"X-CSRF-Token": "wrong"})
    assert res.status_code == 403
    res = client.post("/download", data={**FORM, "csrf": token(client)})  # form field works
    assert res.status_code == 200


def test_cross_site_origin_or_fetch_site_is_refused_even_with_the_token(client):
    res = post(client, "/download", FORM, Origin="https://evil.example.com")
    assert res.status_code == 403
    res = post(client, "/download", FORM, **{"Sec-Fetch-Site": "cross-site"})
    assert res.status_code == 403
    res = post(client, "/download", FORM, **{"Sec-Fetch-Site": "same-site"})
    assert res.status_code == 403
    res = post(client, "/download", FORM, Origin="http://localhost")
    assert res.status_code == 200  # the page's own origin


@pytest.mark.parametrize(
    "handout", ["../handouts/tpi-aftercare", "/etc/passwd", "handouts/tpi-aftercare.yaml", "nope"]
)
def test_only_handout_ids_are_accepted(client, handout):
    res = post(client, "/preview", {**FORM, "handout": handout})
    assert res.status_code == 400
    assert client.get(f"/panel/{handout}").status_code in (400, 404)


def test_unknown_fields_languages_layouts_are_refused(client):
    assert post(client, "/preview", {**FORM, "field.patient.ssn": "1"}).status_code == 400
    assert post(client, "/preview", {**FORM, "lang": "xx"}).status_code == 400
    assert post(client, "/preview", {**FORM, "layout": "../letter"}).status_code == 400


def test_a_value_longer_than_any_text_is_refused_as_set_is_tied_to_its_field(client):
    """The limit of a ``--set`` value, through the same code: refused before any layout,
    the field named, the value never echoed."""
    value = "Quixote-" * 1_500  # 12,000 characters
    for url, data in (
        ("/preview", {**FORM, "field.patient.name": value}),
        ("/download", {**FORM, "field.patient.name": value}),
        ("/visit/download", {"items": json.dumps([{**FORM, "field.patient.name": value}])}),
    ):
        res = post(client, url, data)
        assert res.status_code == 422, url
        (problem,) = res.get_json()["problems"]
        assert problem == {
            "field": "patient.name",
            "message": "too long: 12,000 characters (at most 10,000); a field is one line: "
            "shorten it",
        }, url
        assert "Quixote" not in res.get_data(as_text=True)


def test_a_visit_nested_deeper_than_json_parses_is_a_bad_request(client, caplog):
    """``[`` 10,000 times (20 kB, under the request limit): a RecursionError in the JSON
    parser, answered as an internal error (500) and logged as one."""
    res = post(client, "/visit/download", {"items": "[" * 10_000})
    assert res.status_code == 400
    assert res.get_json()["problems"] == [
        {"field": "", "message": "bad request: items is not JSON"}
    ]
    assert "internal error" not in caplog.text


def test_request_size_is_limited(client):
    res = post(client, "/preview", {**FORM, "padding": "x" * 100_000})
    assert res.status_code == 413


def test_every_response_that_can_hold_patient_data_is_no_store_with_a_strict_csp(client):
    responses = [
        client.get("/"),
        client.get("/panel/tpi-aftercare"),
        post(client, "/preview", FORM),
        post(client, "/download", FORM),
        post(client, "/preview", {**FORM, "field.patient.name": "A" * 150}),
        client.post("/preview", data=FORM),
    ]
    for res in responses:
        assert res.headers["Cache-Control"] == "no-store", res
        csp = res.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "default-src 'none'" in csp
        assert res.headers["Referrer-Policy"] == "same-origin"


def test_page_has_no_inline_script_and_no_outside_asset(client):
    page = client.get("/").get_data(as_text=True)
    page += client.get("/panel/trigger-point-injections").get_data(as_text=True)
    for m in re.finditer(r"<script\b([^>]*)>(.*?)</script>", page, re.S):
        assert 'src="/static/' in m.group(1) and not m.group(2).strip()
    assert not re.search(r"<[^>]+\son[a-z]+=", page)  # no inline event handlers
    assert not re.search(r'(src|href)="(https?:)?//', page)  # nothing from elsewhere


def test_nothing_personal_is_logged_or_written_by_a_real_server(tmp_path):
    """A real ``serve``: preview, download and an error with a patient value; the value is in
    none of its output and in no file it wrote."""
    import json

    folder = tmp_path / "serve"
    with live_server(folder) as server:
        page = urllib.request.urlopen(server.url, timeout=30).read().decode()
        csrf = re.search(r'data-csrf="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        for url, form in [
            ("preview", FORM),
            ("download", FORM),
            ("preview", {**FORM, "field.visit.sites": SECRET * 6}),
            ("preview", {**FORM, "handout": "/etc/passwd"}),
            ("visit/download", {"items": json.dumps([FORM, FORM])}),
        ]:
            body = urllib.parse.urlencode(form).encode()
            req = urllib.request.Request(
                server.url + url, data=body, headers={"X-CSRF-Token": csrf}
            )
            try:
                with urllib.request.urlopen(req, timeout=60) as res:
                    assert res.status == 200
                    assert res.headers["Cache-Control"] == "no-store"
            except urllib.error.HTTPError as exc:
                assert exc.code in (400, 422)
    output = server.output()
    assert output.startswith("Serving on http://127.0.0.1:")
    for part in ("Zebulon", "Quixote", SECRET):
        assert part not in output
    for path in folder.rglob("*"):
        if path.is_file():
            assert b"Zebulon" not in path.read_bytes(), path
    # the tally counted the downloads, with no value in it
    tally = server.data_dir / "usage.sqlite3"
    assert tally.is_file() and b"Zebulon" not in tally.read_bytes()


# --------------------------------------------------------------------------- tally and usage


def test_download_and_visit_are_counted_and_usage_prints_them(client, app, tmp_path):
    import json

    post(client, "/download", FORM)
    post(client, "/download", {**FORM, "lang": "es"})
    items = [FORM, {"handout": "trigger-point-injections", "layout": "trifold", "large_print": "1"}]
    res = post(client, "/visit/download", {"items": json.dumps(items)})
    assert res.status_code == 200
    data = tmp_path / "data"
    res = run_cli("usage", "--csv", env={"HANDOUTS_DATA_DIR": str(data)})
    assert res.returncode == 0, res.stderr
    import datetime as dt

    today = dt.date.today().isoformat()
    assert res.stdout.splitlines() == [
        "day,handout,language,layout,large_print,action,count",
        f"{today},tpi-aftercare,en,sheet,no,downloaded,2",
        f"{today},tpi-aftercare,es,sheet,no,downloaded,1",
        f"{today},trigger-point-injections,en,large-print,yes,downloaded,1",
    ]
    res = run_cli("usage", "--since", "2999-01-01", env={"HANDOUTS_DATA_DIR": str(data)})
    assert res.stdout.strip() == "No handouts printed or downloaded from the front desk yet."
    res = run_cli("usage", env={"HANDOUTS_DATA_DIR": str(data)})
    assert res.stdout.strip().endswith("4 handout(s) in all")
    res = run_cli("usage", "--since", "yesterday", env={"HANDOUTS_DATA_DIR": str(data)})
    assert res.returncode == 2 and "Traceback" not in res.stderr


def test_visit_is_one_pdf_each_handout_on_a_new_sheet(client, tmp_path):
    import json

    items = [
        {"handout": "tpi-aftercare", "field.patient.name": SECRET},  # 2 pages: no padding
        {"handout": "tpi-aftercare", "lang": "es"},
        {"handout": "trigger-point-injections", "layout": "trifold"},
    ]
    res = post(client, "/visit/download", {"items": json.dumps(items)})
    assert res.status_code == 200, res.get_data(as_text=True)
    assert res.headers["Content-Disposition"] == 'attachment; filename="visit-handouts.pdf"'
    pdf = tmp_path / "visit.pdf"
    pdf.write_bytes(res.data)
    from .pdfcheck import page_sizes

    sizes = [tuple(round(v) for v in s) for s in page_sizes(pdf)]
    assert sizes == [(612, 792)] * 4 + [(792, 612)] * 2
    pages = [" ".join(text(pdf, page=i).split()) for i in range(1, 7)]
    assert "Zebulon" in pages[0] and "Caring for yourself" in pages[1]  # its own back
    assert "Después" in pages[2] and "Cómo cuidarse" in pages[3]
    assert "Trigger Point" in pages[4]
    # one tagged file: each handout's tree a Part (in its own language) of one Document
    from .tagcheck import poppler_tree, readers_disagree, run_checker

    ua = run_checker("ua_check.py", pdf)
    assert ua.returncode == 0, ua.stdout[-2000:]
    assert readers_disagree(pdf) == []
    tree = poppler_tree(pdf)
    assert [kid.role for kid in tree.kids] == ["Part", "Part", "Part"]
    assert [part.find("H1")[0].text() for part in tree.kids] == [
        "After Your Trigger Point Injections",
        "Después de sus inyecciones",
        "Trigger Point Injections",
    ]
    import pikepdf

    with pikepdf.open(pdf) as doc:
        document = doc.Root.StructTreeRoot.K
        assert [str(part.get("/Lang")) for part in document.K] == ["en", "es", "en"]
        assert str(doc.Root.Lang) == "en" and doc.Root.MarkInfo.Marked
        assert doc.Root.ViewerPreferences.DisplayDocTitle
        title = "; ".join(part.find("H1")[0].text() for part in tree.kids)
        assert str(doc.docinfo.Title) == title
        assert title in doc.open_metadata().get("dc:title", "")
        assert [int(page.obj.get("/Rotate", 0)) for page in doc.pages] == [0] * 6  # upright


def test_visit_print_file_turns_short_edge_backs_and_gives_one_sided_pages_a_back(
    shipped_root: Path, monkeypatch: pytest.MonkeyPatch
):
    import dataclasses

    import pikepdf

    from handoutpress.frontdesk import SingleRequest, render_single
    from handoutpress.project import Project
    from handoutpress.web.rendering import join_visit

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795737600")
    project = Project(shipped_root)
    sheet = render_single(project, SingleRequest("tpi-aftercare"))
    brochure = render_single(project, SingleRequest("trigger-point-injections", layout="trifold"))

    def rotations(pdf: bytes) -> list[int]:
        with pikepdf.open(io.BytesIO(pdf)) as doc:
            return [int(page.obj.get("/Rotate", 0)) for page in doc.pages]

    mixed = join_visit([sheet, brochure], "visit", for_printer=True)
    assert mixed.sides == "two-sided-long-edge"
    assert rotations(mixed.pdf) == [0, 0, 0, 180]  # the tri-fold's back turned
    assert rotations(join_visit([sheet, brochure], "visit").pdf) == [0, 0, 0, 0]  # download
    alone = join_visit([brochure], "visit", for_printer=True)
    assert (alone.sides, rotations(alone.pdf)) == ("two-sided-short-edge", [0, 0])
    # a one-sided layout in a two-sided job: a blank back after each of its pages
    simplex = dataclasses.replace(
        sheet, layout=sheet.layout.model_copy(update={"duplex": "Simplex"})
    )
    job = join_visit([simplex, brochure], "visit", for_printer=True)
    assert (job.sides, job.pages) == ("two-sided-short-edge", 6)
    with pikepdf.open(io.BytesIO(job.pdf)) as doc:
        empty = [not page.obj.Contents.read_bytes().strip() for page in doc.pages]
    assert empty == [False, True, False, True, False, False]
    only = join_visit([simplex], "visit", for_printer=True, pad_last=True)
    assert (only.sides, only.pages) == ("one-sided", 2)


def test_visit_refuses_bad_items(client):
    assert post(client, "/visit/download", {"items": "[]"}).status_code == 400
    assert post(client, "/visit/download", {"items": "nope"}).status_code == 400
    bad = '[{"handout": "/etc/passwd"}]'
    assert post(client, "/visit/download", {"items": bad}).status_code == 400


# --------------------------------------------------------------------------- serve start-up


def test_serve_refuses_a_network_host_without_logins_and_tls(tmp_path):
    # (a refusal before anything listens: in this process, as a message test; a serve
    # that listened instead would fail the test after 30 s)
    res = run_cli(
        "serve",
        "--host",
        "0.0.0.0",
        env={"HANDOUTS_DATA_DIR": str(tmp_path)},
        process=False,
        timeout=30,
    )
    assert res.returncode == 1 and "Traceback" not in res.stderr
    lines = res.stderr.strip().splitlines()
    assert lines == [
        "serve: --host 0.0.0.0: other computers would see patient names in clear text; give "
        "--tls-cert and --tls-key (see README, 'Front desk on a clinic network')",
        "serve: --host 0.0.0.0: add staff logins first (handouts staff add NAME)",
    ]
    assert res.stdout == ""


def test_serve_unknown_brand_is_one_line(tmp_path):
    res = run_cli(
        "serve",
        "--brand",
        "nosuch",
        env={"HANDOUTS_DATA_DIR": str(tmp_path)},
        process=False,
        timeout=30,
    )
    assert res.returncode == 1 and "unknown brand 'nosuch'" in res.stderr
    assert "Traceback" not in res.stderr


def test_serve_on_a_port_in_use_is_one_line(tmp_path):
    with live_server(tmp_path / "a") as one:
        res = run_cli(
            "serve",
            "--port",
            str(one.port),
            env={"HANDOUTS_DATA_DIR": str(tmp_path)},
            process=False,
            timeout=30,
        )
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert res.stderr.strip() == (
        f"serve: --port {one.port}: cannot listen on 127.0.0.1:{one.port}; is another front desk "
        "already running there? (--port 0 picks a free port)"
    )


def test_ctrl_c_stops_the_server(tmp_path):
    import signal

    with live_server(tmp_path / "a") as one:
        one.process.send_signal(signal.SIGINT)
        assert one.process.wait(timeout=30) == 0
    assert "Traceback" not in one.output() and "Aborted" not in one.output()


def test_serve_first_line_and_port_zero(tmp_path):
    with live_server(tmp_path / "a") as one, live_server(tmp_path / "b") as two:
        assert one.port != two.port and one.port > 0
        assert one.stdout.read_text().splitlines()[0] == (
            f"Serving on http://127.0.0.1:{one.port}/ (Ctrl-C to stop)"
        )
        with urllib.request.urlopen(two.url, timeout=30) as res:
            assert res.status == 200


def test_a_handout_added_while_serving_appears(project, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795737600")
    app = create_app(Settings(project_root=project, data_dir=tmp_path / "data"))
    client = app.test_client()
    assert "Knee Care" not in client.get("/").get_data(as_text=True)
    source = (project / "handouts" / "tpi-aftercare.yaml").read_text()
    changed = source.replace("title: After Your Trigger Point Injections", "title: Knee Care")
    assert changed != source
    (project / "handouts" / "knee-care.yaml").write_text(changed)
    page = client.get("/").get_data(as_text=True)
    assert "Knee Care" in page
    assert post(client, "/preview", {**FORM, "handout": "knee-care"}).status_code == 200
    (project / "handouts" / "knee-care.yaml").unlink()
    assert "Knee Care" not in client.get("/").get_data(as_text=True)
    assert post(client, "/preview", {**FORM, "handout": "knee-care"}).status_code == 400


def test_open_starts_the_browser_on_the_page(tmp_path):
    """``--open`` hands the address to the system's browser (Python's webbrowser, which
    honours $BROWSER: here a script that writes down what it was given)."""
    import time

    opened = tmp_path / "opened.txt"
    script = tmp_path / "browser.sh"
    script.write_text(f'#!/bin/sh\necho "$1" > "{opened}"\n')
    script.chmod(0o755)
    with live_server(tmp_path / "serve", "--open", env={"BROWSER": str(script)}) as server:
        for _ in range(100):
            if opened.exists() and opened.read_text().strip():
                break
            time.sleep(0.1)
        assert opened.read_text().strip() == server.url


def test_four_desks_render_at_once_and_get_their_own_pages(client, monkeypatch):
    """Four desks at once: renders run side by side in the server's threads (the engine's
    shared drawings are drawn under their own lock), every request succeeds, and each desk's
    preview is exactly the one it gets alone."""
    import threading
    import time

    from handoutpress.web import rendering

    csrf = token(client)

    def form(k: int, i: int) -> dict[str, str]:
        return {**FORM, "field.patient.name": f"Desk {k} {i}"}

    alone = {
        (k, i): client.post("/preview", data=form(k, i), headers={"X-CSRF-Token": csrf}).data
        for k in range(4)
        for i in range(2)
    }
    inside, most = 0, 0
    guard = threading.Lock()
    real = rendering.render_single

    def watched(*args, **kwargs):
        nonlocal inside, most
        with guard:
            inside += 1
            most = max(most, inside)
        try:
            time.sleep(0.02)  # so that the renders overlap
            return real(*args, **kwargs)
        finally:
            with guard:
                inside -= 1

    monkeypatch.setattr(rendering, "render_single", watched)
    answers: dict[tuple[int, int], tuple[int, bytes]] = {}

    def desk(k: int) -> None:
        for i in range(2):
            res = client.post("/preview", data=form(k, i), headers={"X-CSRF-Token": csrf})
            answers[(k, i)] = (res.status_code, res.data)

    threads = [threading.Thread(target=desk, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sorted(code for code, _ in answers.values()) == [200] * 8
    assert most > 1  # they did run at once
    assert [key for key, (_, png) in answers.items() if png != alone[key]] == []


def test_printer_list_comes_from_cups_with_the_default_selected(client, tmp_path, monkeypatch):
    """``lpstat`` stands in for CUPS here (the real scheduler: test_web_browser.py)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, script in {
        "lp": "exit 0",
        "lpstat": (
            'case "$1" in -r) echo "scheduler is running";; -e) printf "Front\\nBack\\n";; '
            '-d) echo "system default destination: Back";; esac'
        ),
    }.items():
        (bin_dir / name).write_text(f"#!/bin/sh\n{script}\n")
        (bin_dir / name).chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.delenv("LPDEST", raising=False)
    monkeypatch.delenv("PRINTER", raising=False)
    page = client.get("/panel/tpi-aftercare").get_data(as_text=True)
    assert "<option>Front</option><option selected>Back</option>" in page
    assert 'id="print" disabled' not in page
    res = post(client, "/print", {**FORM, "printer": "Elsewhere", "copies": "1"})
    assert res.status_code == 400  # only a printer CUPS lists


def test_no_printer_says_why(client, tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "lp").write_text("#!/bin/sh\nexit 0\n")
    (bin_dir / "lpstat").write_text('#!/bin/sh\n[ "$1" = -r ] && echo "scheduler is running"\n')
    for f in bin_dir.iterdir():
        f.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    page = client.get("/panel/tpi-aftercare").get_data(as_text=True)
    assert re.search(
        r'<button type="button" id="print" disabled aria-describedby="print-off output-off">',
        page,
    )
    assert "Printing is off: no printer is set up in CUPS. Download PDF still works." in page
    # the Printer and Copies controls PRODUCT.md names are there, off, and say why
    assert re.search(
        r'<select id="printer" name="printer" disabled aria-describedby="print-off">', page
    )
    assert re.search(
        r'<input type="number" id="copies" [^>]* disabled aria-describedby="print-off">', page
    )
    res = post(client, "/print", {**FORM, "printer": "", "copies": "1"})
    assert res.status_code == 409
    assert post(client, "/download", FORM).status_code == 200


def test_a_real_brand_shows_no_sample_banner(tmp_path, monkeypatch):
    from .conftest import ROOT

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795737600")
    brand = str(ROOT / "bench" / "riverside.yaml")
    client = create_app(Settings(brand=brand, data_dir=tmp_path)).test_client()
    page = client.get("/").get_data(as_text=True)
    assert "SAMPLE brand" not in page and "Riverside" in page
    res = post(client, "/download", FORM)
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(res.data)
    assert "SAMPLE" not in text(pdf) and "DRAFT" in text(pdf)
