"""The front desk in a real browser: Debian's Chromium driven by Playwright, by the accessible
names of PRODUCT.md ("Front desk"), under the page's real Content-Security-Policy.

Every test's browser context refuses (and records) any request that is not to the server;
axe-core (tests/vendor/axe-core, a local copy) runs on every state of the page in a context
that bypasses the CSP only so that the script can be injected.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from . import shipped
from .pdfcheck import page_sizes, text
from .test_print import (  # noqa: F401
    IN_CI,
    QUEUE,
    cups,
    job_attributes,
    temp_print_folders,
    wait_for_output,
)
from .webserver import LiveServer, live_server

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect
# a render waits for a core on a loaded 2-core machine: give assertions 15 s, not 5
expect.set_options(timeout=15_000)

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
NAME = "Zebulon Quixote-Marsh"
DATE = "2026-11-27"  # a date field: typed year-month-day, printed in the handout's language


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("frontdesk")) as live:
        yield live


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} is not installed (apt-get install chromium)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    with sync_api.sync_playwright() as p:
        args = ["--no-sandbox"] if os.geteuid() == 0 else []
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
        yield b
        b.close()


class Guarded:
    """A page whose every request is checked: only the server is reached."""

    def __init__(self, browser, server: LiveServer, **options) -> None:
        self.server = server
        self.context = browser.new_context(
            accept_downloads=True, viewport={"width": 1280, "height": 1000}, **options
        )
        self.requests: list[str] = []
        self.outside: list[str] = []
        self.errors: list[str] = []
        #: answers 400, 404 or 415 to the page's own requests (it sent what it should not)
        self.refused: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("response", self._response)
        self.page.set_default_timeout(20_000)

    def _route(self, route) -> None:
        url = route.request.url
        self.requests.append(url)
        if url.startswith(self.server.url):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def _response(self, response) -> None:
        if response.status in (400, 404, 415) and response.url.startswith(self.server.url):
            self.refused.append(f"{response.status} {response.url}")

    def close(self) -> None:
        self.context.close()
        assert self.outside == [], f"requests to anything but the server: {self.outside}"
        assert self.refused == [], f"the page sent requests refused as bad: {self.refused}"
        assert self.errors == [], f"errors in the page: {self.errors}"
        for url in self.requests:
            assert "Zebulon" not in url and "Quixote" not in url, url


@pytest.fixture
def desk(browser, server) -> Iterator[Guarded]:
    guarded = Guarded(browser, server)
    guarded.page.goto(server.url)
    yield guarded
    guarded.close()
    output = server.output()
    assert "Zebulon" not in output and "Quixote" not in output


def axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'])})" for v in found
    ]


def open_aftercare(page) -> None:
    page.get_by_role("searchbox", name="Search handouts").fill("after")
    page.get_by_role("link", name="After Your Trigger Point Injections").click()
    # the new panel, not the one it replaces (which may have a Patient line too)
    title = page.get_by_role("heading", name="After Your Trigger Point Injections", exact=True)
    expect(title).to_be_visible()
    expect(page.get_by_role("textbox", name="Patient")).to_be_visible()
    expect(page.locator("figure.preview")).to_have_attribute("aria-busy", "false")


def settle(page, change) -> None:
    """Do ``change`` and wait until the preview it causes is shown (or refused)."""
    with page.expect_response(lambda r: r.url.endswith("/preview")):
        change()
    expect(page.locator("figure.preview")).to_have_attribute("aria-busy", "false")


def preview(page):
    return page.get_by_role("img", name=re.compile(r"^Preview of page \d+ of \d+"))


# --------------------------------------------------------------------------- flows


def test_search_pick_fill_preview_download(desk, tmp_path):
    page = desk.page
    search = page.get_by_role("searchbox", name="Search handouts")
    search.fill("after")
    expect(page.get_by_role("link", name=re.compile("Trigger Point Injections"))).to_have_count(1)
    search.fill("zzz no such")
    expect(page.get_by_role("link", name=re.compile("Trigger Point"))).to_have_count(0)
    expect(page.get_by_text("No handout matches")).to_be_visible()
    open_aftercare(page)
    expect(preview(page)).to_have_attribute("alt", re.compile(r"^Preview of page 1 of \d+"))
    first = preview(page).get_attribute("src")
    page.get_by_role("textbox", name="Patient").fill(NAME)
    date = page.get_by_role("textbox", name="Date of injection")
    expect(date).to_have_accessible_description(re.compile(r"^Year-month-day, for example"))
    date.fill(DATE)
    expect(preview(page)).not_to_have_attribute("src", first or "")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download PDF").click()
    download = info.value
    assert download.suggested_filename == "tpi-aftercare-sheet.pdf"
    pdf = tmp_path / download.suggested_filename
    download.save_as(pdf)
    words = " ".join(text(pdf).split())
    assert NAME in words and "November 27, 2026" in words
    assert "SAMPLE" in words and "DRAFT" in words
    note = page.get_by_role("textbox", name="Chart note")
    expect(note).to_have_value(re.compile(r"After Your Trigger Point Injections \(form PSP-TPI-02"))
    expect(note).to_have_value(re.compile(r"English, large print: no\. Downloaded \d{4}-"))
    assert NAME not in note.input_value()
    page.get_by_role("textbox", name="Staff initials").fill("JQ")
    expect(note).to_have_value(re.compile(r"Staff: JQ$"))
    page.get_by_role("button", name="Copy chart note").click()
    expect(page.get_by_text("Copied.")).to_be_visible()


def test_spanish_large_print_and_page_switch(desk):
    page = desk.page
    page.get_by_role("link", name=re.compile("^Trigger Point Injections")).click()
    expect(page.get_by_role("combobox", name="Layout")).to_be_visible()
    page.get_by_role("textbox", name="Patient").fill(NAME)
    page.get_by_role("combobox", name="Language").select_option(label="Español")
    name_box = page.get_by_role("textbox", name="Paciente")
    expect(name_box).to_have_value(NAME)  # carried over into the translation's field
    expect(page.get_by_role("heading", name="Inyecciones en puntos gatillo")).to_be_visible()
    expect(preview(page)).to_have_attribute("alt", re.compile(r"^Preview of page 1 of 2"))
    page.get_by_role("button", name="Next page").click()
    expect(preview(page)).to_have_attribute("alt", re.compile(r"^Preview of page 2 of 2"))
    expect(page.get_by_role("button", name="Next page")).to_be_disabled()
    page.get_by_role("button", name="Previous page").click()
    expect(preview(page)).to_have_attribute("alt", re.compile(r"^Preview of page 1 of 2"))
    page.get_by_role("checkbox", name="Large print").check()
    expect(preview(page)).to_have_attribute(
        "alt", re.compile(r"^Preview of page 1 of ([3-9]|\d\d)")
    )
    expect(page.get_by_role("combobox", name="Layout")).to_be_disabled()


def test_a_page_the_handout_no_longer_has_shows_its_last_page(desk):
    """A handout edited to fewer pages while its last page is shown: the page switch asks for
    a page it no longer has (404, it was clamped before) and shows the last page there is,
    with its number. The edit is played by telling the page that the sheet had 3 pages."""
    page = desk.page

    def three_pages(route) -> None:
        real = route.fetch()
        route.fulfill(response=real, headers={**real.headers, "x-pages": "3"})

    page.route("**/preview", three_pages)
    open_aftercare(page)
    expect(preview(page)).to_have_attribute("alt", re.compile(r"^Preview of page 1 of 3"))
    settle(page, page.get_by_role("button", name="Next page").click)
    expect(preview(page)).to_have_attribute("alt", re.compile(r"^Preview of page 2 of 3"))
    page.unroute("**/preview")  # the handout is edited: 2 pages
    with page.expect_response(lambda r: r.url.endswith("/preview") and r.status == 200):
        page.get_by_role("button", name="Next page").click()  # page 3 of the "3"
    expect(preview(page)).to_have_attribute("alt", re.compile(r"^Preview of page 2 of 2"))
    expect(page.get_by_role("button", name="Next page")).to_be_disabled()
    assert [r.split()[0] for r in desk.refused] == ["404"]
    desk.refused.clear()


def test_engine_problem_is_next_to_its_field_and_preview_keeps_last_good_page(desk):
    page = desk.page
    open_aftercare(page)
    sites = page.get_by_role("textbox", name="Patient")
    settle(page, lambda: sites.fill("Pat Lee"))
    good = preview(page).get_attribute("src")
    assert good and good.startswith("blob:")
    long = "Patricia Leonora Montgomery-Castellanos de la Fuente y Villanueva Ortiz"
    settle(page, lambda: sites.fill(long))
    described = page.get_by_text(re.compile(r"too long for its line on the sheet"))
    expect(described).to_be_visible()
    expect(sites).to_have_attribute("aria-invalid", "true")
    # tied to the field: the field's accessible description is the problem
    problem_id = sites.get_attribute("aria-describedby")
    expect(page.locator(f"#{problem_id}")).to_have_text(re.compile("about \\d+ characters fit"))
    assert preview(page).get_attribute("src") == good
    expect(page.get_by_text("(last good preview)")).to_be_visible()
    expect(preview(page)).to_have_attribute(
        "alt", re.compile(r"\(last good preview, not the form\)$")
    )
    # the problem names its field, and nothing that does not match the form can leave the
    # desk: Download PDF, Add to visit and Print are off, and say why
    expect(sites).to_have_accessible_description(re.compile(r"^Patient: too long for its line"))
    buttons = [page.get_by_role("button", name=n) for n in ("Download PDF", "Add to visit")]
    print_button = page.get_by_role("button", name="Print", exact=True)
    if not page.get_by_text(re.compile("^Printing is off")).count():  # (a desk with printers)
        buttons.append(print_button)
    # with or without a printer, the print controls are there by their names
    expect(page.get_by_role("combobox", name="Printer")).to_have_count(1)
    expect(page.get_by_role("spinbutton", name="Copies")).to_have_count(1)
    why = re.compile(r"are off until the problem with Patient is fixed")
    for button in buttons:
        expect(button).to_be_disabled()
        expect(button).to_have_accessible_description(why)
    expect(page.get_by_role("status").filter(has_text=why)).to_be_visible()  # announced
    settle(page, lambda: sites.fill("Pat Lee"))
    expect(described).to_have_count(0)
    for button in buttons:
        expect(button).to_be_enabled()
        expect(button).not_to_have_accessible_description(why)
    assert preview(page).get_attribute("src") != good


def test_date_of_injection_is_checked_and_printed_in_the_sheets_language(desk, tmp_path):
    page = desk.page
    open_aftercare(page)
    date = page.get_by_role("textbox", name="Date of injection")
    settle(page, lambda: date.fill("12/02/2026"))
    expect(date).to_have_attribute("aria-invalid", "true")
    expect(date).to_have_accessible_description(
        re.compile(r"Date of injection: expected a date as YYYY-MM-DD")
    )
    expect(page.get_by_role("button", name="Download PDF")).to_be_disabled()
    settle(page, lambda: date.fill("2026-12-02"))
    expect(page.get_by_role("button", name="Download PDF")).to_be_enabled()
    page.get_by_role("combobox", name="Language").select_option(label="Español")
    expect(page.get_by_role("textbox", name="Fecha de la inyección")).to_have_value("2026-12-02")
    expect(page.locator("figure.preview")).to_have_attribute("aria-busy", "false")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download PDF").click()
    pdf = tmp_path / "es.pdf"
    info.value.save_as(pdf)
    words = " ".join(text(pdf, page=1).split())
    assert "2 de diciembre de 2026" in words and "2026-12-02" not in words


def test_visit_bundle_and_next_patient_clear_everything(desk, tmp_path):
    page = desk.page
    open_aftercare(page)
    page.get_by_role("textbox", name="Patient").fill(NAME)
    page.get_by_role("button", name="Add to visit").click()
    page.get_by_role("searchbox", name="Search handouts").fill("brochure trigger")
    page.get_by_role("searchbox", name="Search handouts").fill("")
    page.get_by_role("link", name=re.compile("^Trigger Point Injections")).click()
    expect(page.get_by_role("heading", name="Trigger Point Injections", exact=True)).to_be_visible()
    page.get_by_role("combobox", name="Language").select_option(label="Español")
    expect(page.get_by_role("heading", name="Inyecciones en puntos gatillo")).to_be_visible()
    page.get_by_role("button", name="Add to visit").click()
    expect(page.get_by_role("list").filter(has_text="Inyecciones")).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("button", name="Download visit").click()
    pdf = tmp_path / "visit.pdf"
    info.value.save_as(pdf)
    sizes = [tuple(round(v) for v in s) for s in page_sizes(pdf)]
    assert sizes == [(612, 792), (612, 792), (792, 612), (792, 612)]  # a blank back, then 2
    assert NAME in " ".join(text(pdf, page=1).split())
    note = page.get_by_role("textbox", name="Chart note")
    expect(note).to_have_value(re.compile("After Your Trigger Point Injections"))
    expect(note).to_have_value(re.compile("Inyecciones en puntos gatillo .*Español"))
    page.get_by_role("button", name="Next patient").click()
    expect(note).to_have_value("")
    expect(page.get_by_role("textbox", name="Patient")).to_have_count(0)
    expect(preview(page)).to_have_count(0)
    expect(page.get_by_role("button", name="Download visit")).to_be_disabled()
    expect(page.get_by_role("searchbox", name="Search handouts")).to_be_focused()
    # coming back to the handout: every field is empty
    open_aftercare(page)
    expect(page.get_by_role("textbox", name="Patient")).to_have_value("")


def test_page_clears_itself_after_ten_minutes_idle(browser, server):
    guarded = Guarded(browser, server)
    try:
        page = guarded.page
        page.clock.install()
        page.goto(server.url)
        open_aftercare(page)
        page.get_by_role("textbox", name="Patient").fill(NAME)
        page.clock.fast_forward("09:00")
        expect(page.get_by_role("textbox", name="Patient")).to_have_value(NAME)
        page.clock.fast_forward("01:30")
        expect(page.get_by_role("textbox", name="Patient")).to_have_count(0)
        expect(page.get_by_text("Cleared after 10 minutes")).to_be_visible()
    finally:
        guarded.close()


def test_keyboard_only_with_visible_focus(desk, tmp_path):
    page = desk.page
    search = page.get_by_role("searchbox", name="Search handouts")
    for _ in range(10):
        page.keyboard.press("Tab")
        if search.evaluate("el => el === document.activeElement"):
            break
    expect(search).to_be_focused()
    assert search.evaluate("el => getComputedStyle(el).outlineStyle") != "none"
    page.keyboard.type("after")
    page.keyboard.press("Tab")  # the Search button
    page.keyboard.press("Tab")  # the first (only) card shown
    card = page.get_by_role("link", name=re.compile("After Your Trigger"))
    expect(card).to_be_focused()
    assert card.evaluate("el => getComputedStyle(el).outlineStyle") != "none"
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="After Your Trigger Point Injections")).to_be_focused()
    patient = page.get_by_role("textbox", name="Patient")
    for _ in range(6):
        page.keyboard.press("Tab")
        if patient.evaluate("el => el === document.activeElement"):
            break
    expect(patient).to_be_focused()
    page.keyboard.type(NAME)
    download = page.get_by_role("button", name="Download PDF")
    for _ in range(80):
        page.keyboard.press("Tab")
        if download.evaluate("el => el === document.activeElement"):
            break
    expect(download).to_be_focused()
    assert download.evaluate("el => getComputedStyle(el).outlineStyle") != "none"
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    assert info.value.suggested_filename == "tpi-aftercare-sheet.pdf"


def test_staff_copy_checkbox_downloads_the_staff_copy(desk, tmp_path):
    page = desk.page
    open_aftercare(page)
    staff = page.get_by_role("checkbox", name="Staff copy (with teach-back prompts)")
    expect(staff).not_to_be_checked()
    patient_preview = preview(page).get_attribute("src")
    settle(page, staff.check)
    assert preview(page).get_attribute("src") != patient_preview
    with page.expect_download() as info:
        page.get_by_role("button", name="Download PDF").click()
    assert info.value.suggested_filename == "tpi-aftercare-sheet-staff.pdf"
    pdf = tmp_path / "staff.pdf"
    info.value.save_as(pdf)
    words = " ".join(text(pdf).split())
    prompt = next(s for s in shipped.sections("tpi-aftercare") if s.get("audience") == "staff")
    assert " ".join(prompt["body"].split()) in words and "STAFF COPY" in words
    # the chart note claims no education given for a staff copy: it says what it was
    note = page.get_by_role("textbox", name="Chart note")
    expect(note).to_have_value(
        re.compile(
            r"^No written handout given to the patient \(staff copy only\)\.\n"
            r"Staff copy with teach-back prompts \(for staff, not given to the patient\):\n"
            r"- After Your Trigger Point Injections \(form PSP-TPI-02, revised [\d-]+\), "
            r"English, large print: no\. Downloaded "
        )
    )
    assert "education given" not in note.input_value()
    # it carries over into the other language's form, which says the copy is in Spanish
    page.get_by_role("combobox", name="Language").select_option(label="Español")
    expect(page.get_by_role("textbox", name="Paciente")).to_be_visible()
    expect(staff).to_be_checked()
    expect(staff).to_have_accessible_description(re.compile(r"^The staff copy is in Español"))
    # the patient's copy given after it: listed as education given, with its language
    settle(page, staff.uncheck)
    with page.expect_download():
        page.get_by_role("button", name="Download PDF").click()
    expect(note).to_have_value(
        re.compile(
            r"^Patient education given \(written handouts\):\n"
            r"- Después de sus inyecciones \(form PSP-TPI-02-ES, revised [\d-]+\), Español, "
            r"large print: no\. Downloaded [^\n]*\n"
            r"Staff copy with teach-back prompts \(for staff, not given to the patient\):\n"
            r"- After Your Trigger Point Injections .*English"
        )
    )


# --------------------------------------------------------------------------- printing


def test_print_to_the_cups_pdf_printer(desk, cups):  # noqa: F811
    page = desk.page
    page.reload()
    open_aftercare(page)
    page.get_by_role("textbox", name="Patient").fill(NAME)
    printer = page.get_by_role("combobox", name="Printer")
    printer.select_option(QUEUE)
    page.get_by_role("spinbutton", name="Copies").fill("2")
    expect(page.get_by_text("Letter, two-sided, flip on long edge")).to_be_visible()
    before = temp_print_folders()
    page.get_by_role("button", name="Print", exact=True).click()
    status = page.get_by_text(re.compile(rf"Sent to {QUEUE} \(job {QUEUE}-\d+"))
    expect(status).to_be_visible()
    job = int(re.search(rf"{QUEUE}-(\d+)", status.inner_text()).group(1))  # type: ignore[union-attr]
    printed = wait_for_output(cups, job)
    try:
        attrs = job_attributes(cups, job)
        assert attrs["job-name"] == "After Your Trigger Point Injections"
        assert (attrs["media"], attrs["sides"], attrs["copies"]) == (
            "Letter",
            "two-sided-long-edge",
            "2",
        )
        assert "Zebulon" in " ".join(text(printed).split())
        assert all("Zebulon" not in v for v in attrs.values())
        assert temp_print_folders() == before  # the private temporary PDF is gone
    finally:
        printed.unlink()
    note = page.get_by_role("textbox", name="Chart note")
    expect(note).to_have_value(re.compile(rf"Printed on {QUEUE}, 2 copies"))


def test_without_cups_print_says_why_and_download_still_works(browser, tmp_path):
    # a scheduler socket where none listens: what the server sees with CUPS stopped
    env = {"CUPS_SERVER": str(tmp_path / "no-cupsd.sock")}
    if shutil.which("lp") is None:
        env = {}
    with live_server(tmp_path / "serve", env=env) as server:
        guarded = Guarded(browser, server)
        try:
            page = guarded.page
            page.goto(server.url)
            open_aftercare(page)
            button = page.get_by_role("button", name="Print", exact=True)
            expect(button).to_be_disabled()
            expect(button).to_have_accessible_description(re.compile("^Printing is off: "))
            expect(page.get_by_role("button", name="Print visit")).to_be_disabled()
            with page.expect_download() as info:
                page.get_by_role("button", name="Download PDF").click()
            assert info.value.suggested_filename == "tpi-aftercare-sheet.pdf"
        finally:
            guarded.close()


# --------------------------------------------------------------------------- axe-core


def test_axe_finds_no_violation_in_any_state(browser, server):
    guarded = Guarded(browser, server, bypass_csp=True)
    page = guarded.page
    states: dict[str, list[str]] = {}
    try:
        page.goto(server.url)
        states["list"] = axe_violations(page)
        page.get_by_role("searchbox", name="Search handouts").fill("zzz")
        states["no match"] = axe_violations(page)
        page.get_by_role("searchbox", name="Search handouts").fill("")
        page.get_by_role("link", name=re.compile("^Trigger Point Injections")).click()
        expect(preview(page)).to_be_visible()
        states["brochure"] = axe_violations(page)
        page.get_by_role("checkbox", name="Large print").check()
        states["large print"] = axe_violations(page)
        page.get_by_role("checkbox", name="Staff copy (with teach-back prompts)").check()
        expect(preview(page)).to_be_visible()
        states["staff copy"] = axe_violations(page)
        open_aftercare(page)
        page.get_by_role("textbox", name="Patient").fill("Pat " * 40)
        expect(page.get_by_text(re.compile("too long for its line"))).to_be_visible()
        states["problem"] = axe_violations(page)
        page.get_by_role("textbox", name="Patient").fill("")
        page.get_by_role("button", name="Add to visit").click()
        with page.expect_download():
            page.get_by_role("button", name="Download PDF").click()
        expect(page.get_by_role("textbox", name="Chart note")).not_to_have_value("")
        states["chart note and visit"] = axe_violations(page)
        page.get_by_role("combobox", name="Language").select_option(label="Español")
        expect(page.get_by_role("textbox", name="Paciente")).to_be_visible()
        states["spanish"] = axe_violations(page)
        page.get_by_role("button", name="Next patient").click()
        states["cleared"] = axe_violations(page)
    finally:
        guarded.close()
    assert states == {name: [] for name in states}, states


def test_print_visit_is_one_job(desk, cups):  # noqa: F811
    page = desk.page
    page.reload()
    open_aftercare(page)
    page.get_by_role("textbox", name="Patient").fill(NAME)
    page.get_by_role("button", name="Add to visit").click()
    page.get_by_role("textbox", name="Patient").fill("")
    page.get_by_role("combobox", name="Language").select_option(label="Español")
    expect(page.get_by_role("textbox", name="Paciente")).to_be_visible()
    page.get_by_role("button", name="Add to visit").click()
    page.get_by_role("searchbox", name="Search handouts").fill("")
    page.get_by_role("link", name=re.compile("^Trigger Point Injections")).click()
    expect(page.get_by_role("heading", name="Trigger Point Injections", exact=True)).to_be_visible()
    page.get_by_role("button", name="Add to visit").click()
    page.get_by_role("combobox", name="Printer").select_option(QUEUE)
    page.get_by_role("spinbutton", name="Copies").fill("2")
    page.get_by_role("button", name="Print visit").click()
    status = page.get_by_text(re.compile(rf"Sent to {QUEUE} as 1 job\(s\)"))
    expect(status).to_be_visible()
    (job,) = [int(n) for n in re.findall(rf"{QUEUE}-(\d+)", status.inner_text())]
    attrs = job_attributes(cups, job)
    # sheets flip on the long edge, the tri-fold on its short edge: one job two-sided on the
    # long edge, the tri-fold's back turned 180 degrees (what flipping on the short edge does)
    assert (attrs["sides"], attrs["media"], attrs["copies"]) == (
        "two-sided-long-edge",
        "Letter",
        "2",
    )
    assert attrs["job-name"] == (
        "After Your Trigger Point Injections; Después de sus inyecciones; Trigger Point Injections"
    )
    printed = wait_for_output(cups, job)
    try:
        sizes = [tuple(round(v) for v in s) for s in page_sizes(printed)]
        assert len(sizes) == 6, sizes  # 2 + 2 + 2: every handout starts on a new sheet
        words = [" ".join(text(printed, page=i).split()) for i in range(1, 7)]
        # (cups-pdf's ps2write loses the accents of the text it extracts)
        assert "Zebulon" in words[0] and "Despu" in words[2] and "Trigger Point" in words[4]
        # on the Letter paper, the sheets' pages are upright and the tri-fold's two pages
        # are turned a quarter each (landscape on portrait paper), the back the other way:
        # cups-pdf's Ghostscript turns each page so that its text reads upright, so the
        # back's /Rotate differs from the front's by 180 (without the turn they are equal)
        turns = page_rotations(printed)
        assert turns[:4] == [0, 0, 0, 0] and turns[4] in (90, 270), turns
        assert (turns[5] - turns[4]) % 360 == 180, turns
    finally:
        printed.unlink()
    note = page.get_by_role("textbox", name="Chart note")
    expect(note).to_have_value(re.compile(r"Trigger Point Injections \(form PSP-TPI-01,"))
    assert note.input_value().count(f"Printed on {QUEUE}, 2 copies") == 3


def page_rotations(pdf: Path) -> list[int]:
    """Each page's /Rotate, as poppler reads it."""
    out = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    return [int(n) for n in re.findall(r"^Page +\d+ rot: +(\d+)", out, re.M)]


def test_choices_and_body_map_are_tick_boxes_named_by_their_label(desk, tmp_path):
    page = desk.page
    open_aftercare(page)
    medicine = page.get_by_role("group", name="Medicine used")
    medicine.get_by_role("checkbox", name="Steroid").check()
    medicine.get_by_role("checkbox", name="Saline").check()
    sites = page.get_by_role("group", name="Injection sites")
    sites.get_by_role("checkbox", name="Upper back, left").check()
    page.get_by_role("textbox", name="Follow-up visit").fill("2026-12-11")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download PDF").click()
    pdf = tmp_path / "ticks.pdf"
    info.value.save_as(pdf)
    words = " ".join(text(pdf).split())
    assert "Upper back, left" in words and "December 11, 2026" in words
    # the ticks carry over into the Spanish form, in its words
    page.get_by_role("combobox", name="Language").select_option(label="Español")
    sites_es = page.get_by_role("group", name=re.compile("^Lugares"))
    expect(sites_es.get_by_role("checkbox", checked=True)).to_have_count(1)
    expect(page.get_by_role("checkbox", checked=True)).to_have_count(3)


def test_a_preview_asked_while_the_language_switches_is_of_one_form(desk):
    """A tick box changed just as the language is switched: the preview the old form asks for
    before the other language's form arrives is of the old form, in its language (its choices
    are in its words); it was sent with the new language and the old form's choices, and
    refused as bad (a 400 under load, in test_choices_and_body_map_...); and the old form's
    preview, answered late, is never shown over the new form's."""
    page = desk.page
    open_aftercare(page)
    page.get_by_role("group", name="Medicine used").get_by_role("checkbox", name="Steroid").check()
    expect(page.locator("figure.preview")).to_have_attribute("aria-busy", "false")
    asked = len([u for u in desk.requests if u.endswith("/preview")])
    with page.expect_response(lambda r: r.url.endswith("/preview")) as first:
        page.evaluate(
            """() => {
            const lang = document.getElementById("choose-lang");
            lang.value = "es";
            lang.dispatchEvent(new Event("change"));
            document.querySelector('#handout-form input[type="checkbox"][data-key]')
              .dispatchEvent(new Event("change"));
        }"""
        )
    assert "lang=en" in (first.value.request.post_data or "")
    assert first.value.status == 200
    expect(page.get_by_role("textbox", name="Paciente")).to_be_visible()
    expect(preview(page)).to_have_accessible_name(re.compile("of Después de sus inyecciones"))
    expect(page.locator("figure.preview")).to_have_attribute("aria-busy", "false")
    previews = [u for u in desk.requests if u.endswith("/preview")]
    assert len(previews) - asked >= 2  # the old form's and the new form's
    assert desk.refused == []
