"""The front desk on a clinic network (issue 11, item 5): staff logins, TLS, sessions.

``staff add/remove/list`` through the command line; the start-up refusals; the login rules
through Flask's test client with a clock the test moves (idle logout, rate limit); and a real
``serve --tls-cert --tls-key`` on 127.0.0.1 with a self-signed certificate, in Chromium.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from handoutpress.web.app import Settings, create_app
from handoutpress.web.staff import MAX_FAILURES, SESSION_IDLE_SECONDS

from .conftest import run_cli
from .webserver import live_server

STAFF = "Dana Lopez"
PASSWORD = "correct horse 42"


def staff_cli(data: Path, *args: str, input: str | None = None):
    return run_cli("staff", *args, env={"HANDOUTS_DATA_DIR": str(data)}, input=input)


def add_staff(data: Path, name: str = STAFF, password: str = PASSWORD) -> None:
    res = staff_cli(data, "add", name, input=f"{password}\n{password}\n")
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip().endswith(f"staff login '{name}' saved")


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate and its key, made once for the module (tests only read it)."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return cert, key


# --------------------------------------------------------------------------- staff command


def test_staff_add_list_remove(tmp_path):
    data = tmp_path / "data"
    assert staff_cli(data, "list").stdout.strip() == (
        "no staff logins (add one: handouts staff add NAME)"
    )
    add_staff(data)
    add_staff(data, "Ana O'Neil")
    assert staff_cli(data, "list").stdout.splitlines() == ["Ana O'Neil", STAFF]
    store = data / "staff.sqlite3"
    assert store.stat().st_mode & 0o077 == 0  # readable by the owner only
    raw = store.read_bytes()
    assert PASSWORD.encode() not in raw and b"$argon2id$" in raw
    res = staff_cli(data, "remove", "Ana O'Neil")
    assert res.returncode == 0 and staff_cli(data, "list").stdout.splitlines() == [STAFF]


def test_staff_errors_are_one_line(tmp_path):
    data = tmp_path / "data"
    res = staff_cli(data, "remove", "Nobody")
    assert (
        res.returncode == 1 and res.stderr.strip() == "staff remove: no staff login named 'Nobody'"
    )
    res = staff_cli(data, "add", "Dana", input="short\nshort\n")
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert res.stderr.strip().endswith("staff add: password: use at least 8 characters")
    res = staff_cli(data, "add", "../x", input=f"{PASSWORD}\n{PASSWORD}\n")
    assert res.returncode == 1 and "staff add: NAME: use 1-40 letters" in res.stderr
    res = staff_cli(data, "add", "Dana", input=f"{PASSWORD}\nsomething else\n" * 3)
    assert res.returncode != 0 and "Traceback" not in res.stderr
    # an empty NAME is refused before a password is asked for; a password read from a pipe
    # brings no getpass warning (nor the path of getpass.py) to stderr
    res = staff_cli(data, "add", "", input="")
    assert res.returncode == 1 and res.stderr.strip() == (
        "staff add: NAME: use 1-40 letters, digits, spaces, dots, apostrophes or hyphens, "
        "starting with a letter or digit"
    )
    res = staff_cli(data, "add", "Dana", input=f"{PASSWORD}\n{PASSWORD}\n")
    assert res.returncode == 0 and res.stderr == "", res.stderr
    assert staff_cli(data, "remove", "Dana").returncode == 0
    assert staff_cli(data, "list").stdout.strip().startswith("no staff logins")


# --------------------------------------------------------------------------- start-up rules


def test_tls_without_staff_logins_refuses_to_start(tmp_path, certificate):
    cert, key = certificate
    env = {"HANDOUTS_DATA_DIR": str(tmp_path / "data")}
    # (a refusal before anything listens: in this process, as a message test; a serve
    # that listened instead would fail the test after 30 s)
    res = run_cli(
        "serve", "--tls-cert", str(cert), "--tls-key", str(key), env=env, process=False, timeout=30
    )
    assert res.returncode == 1 and res.stdout == ""
    assert res.stderr.strip() == (
        "serve: --tls-cert: TLS is for a clinic network, which needs staff logins "
        "(handouts staff add NAME)"
    )
    res = run_cli("serve", "--tls-cert", str(cert), env=env, process=False, timeout=30)
    assert res.returncode == 1
    assert "serve: --tls-cert and --tls-key: give both" in res.stderr


def test_network_host_with_logins_but_no_tls_refuses(tmp_path):
    data = tmp_path / "data"
    add_staff(data)
    res = run_cli(
        "serve",
        "--host",
        "192.0.2.10",
        env={"HANDOUTS_DATA_DIR": str(data)},
        process=False,
        timeout=30,
    )
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert res.stderr.strip() == (
        "serve: --host 192.0.2.10: other computers would see patient names in clear text; give "
        "--tls-cert and --tls-key (see README, 'Front desk on a clinic network')"
    )


# --------------------------------------------------------------------------- login rules


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def client(tmp_path, clock):
    data = tmp_path / "data"
    add_staff(data)
    app = create_app(Settings(data_dir=data, logins=True, clock=clock))
    return app.test_client()


BASE = "https://localhost"


def csrf_of(client, path: str = "/login") -> str:
    page = client.get(path, base_url=BASE).get_data(as_text=True)
    m = re.search(r'name="csrf" value="([^"]+)"', page) or re.search(r'data-csrf="([^"]+)"', page)
    assert m, page[:400]
    return m.group(1)


def login(client, name: str = STAFF, password: str = PASSWORD):
    csrf = csrf_of(client)
    return client.post(
        "/login", data={"csrf": csrf, "name": name, "password": password}, base_url=BASE
    )


def test_pages_need_a_login_and_the_cookie_is_secure_httponly_strict(client):
    res = client.get("/", base_url=BASE)
    assert res.status_code == 302 and res.headers["Location"].endswith("/login")
    assert client.get("/panel/tpi-aftercare", base_url=BASE).status_code == 401
    res = login(client, password="wrong password")
    assert res.status_code == 401 and "Wrong name or password." in res.get_data(as_text=True)
    res = login(client)
    assert res.status_code == 302
    cookie = res.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    page = client.get("/", base_url=BASE).get_data(as_text=True)
    assert f'data-staff="{STAFF}"' in page and "Logged in as" in page
    assert client.get("/panel/tpi-aftercare", base_url=BASE).status_code == 200


def test_idle_logout_after_15_minutes(client, clock):
    assert login(client).status_code == 302
    clock.now += SESSION_IDLE_SECONDS - 5
    assert client.get("/panel/tpi-aftercare", base_url=BASE).status_code == 200  # activity
    clock.now += SESSION_IDLE_SECONDS - 5
    assert client.get("/panel/tpi-aftercare", base_url=BASE).status_code == 200
    clock.now += SESSION_IDLE_SECONDS + 1
    assert client.get("/panel/tpi-aftercare", base_url=BASE).status_code == 401
    assert client.get("/", base_url=BASE).status_code == 302


def test_login_attempts_are_rate_limited(client, clock):
    for _ in range(MAX_FAILURES):
        assert login(client, password="wrong password").status_code == 401
    res = login(client)  # the right password, too soon
    assert res.status_code == 429
    assert "Too many failed logins" in res.get_data(as_text=True)
    assert client.get("/", base_url=BASE).status_code == 302  # no session was started
    clock.now += 5 * 60 + 1
    assert login(client).status_code == 302


def test_login_needs_the_csrf_token(client):
    res = client.post("/login", data={"name": STAFF, "password": PASSWORD}, base_url=BASE)
    assert res.status_code == 403


def test_logout_ends_the_session(client):
    assert login(client).status_code == 302
    csrf = csrf_of(client, "/")
    assert client.post("/logout", data={"csrf": csrf}, base_url=BASE).status_code == 302
    assert client.get("/panel/tpi-aftercare", base_url=BASE).status_code == 401


# --------------------------------------------------------------------------- in a browser


def test_login_over_tls_in_the_browser_and_staff_on_the_chart_note(tmp_path, certificate):
    from .test_web_browser import CHROMIUM, Guarded, axe_violations, open_aftercare

    sync_api = pytest.importorskip("playwright.sync_api")
    expect = sync_api.expect
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    cert, key = certificate
    folder = tmp_path / "serve"
    add_staff(folder / "data")
    args = ("--tls-cert", str(cert), "--tls-key", str(key))
    import os

    with live_server(folder, *args) as server, sync_api.sync_playwright() as p:
        assert server.url.startswith("https://127.0.0.1:")
        launch_args = ["--no-sandbox"] if os.geteuid() == 0 else []
        browser = p.chromium.launch(executable_path=CHROMIUM, args=launch_args)
        try:
            guarded = Guarded(browser, server, ignore_https_errors=True, bypass_csp=True)
            page = guarded.page
            try:
                page.goto(server.url)
                expect(page.get_by_role("heading", name="Log in")).to_be_visible()
                assert axe_violations(page) == []
                page.get_by_role("textbox", name="Staff name").fill(STAFF)
                page.get_by_label("Password").fill("wrong password")
                page.get_by_role("button", name="Log in").click()
                expect(page.get_by_text("Wrong name or password.")).to_be_visible()
                assert axe_violations(page) == []
                page.get_by_role("textbox", name="Staff name").fill(STAFF)
                page.get_by_label("Password").fill(PASSWORD)
                page.get_by_role("button", name="Log in").click()
                expect(page.get_by_text(f"Logged in as {STAFF}")).to_be_visible()
                (cookie,) = guarded.context.cookies()
                assert (cookie["secure"], cookie["httpOnly"], cookie["sameSite"]) == (
                    True,
                    True,
                    "Strict",
                )
                open_aftercare(page)
                with page.expect_download():
                    page.get_by_role("button", name="Download PDF").click()
                page.get_by_role("textbox", name="Staff initials").fill("DL")
                note = page.get_by_role("textbox", name="Chart note")
                expect(note).to_have_value(re.compile(rf"Staff: {STAFF}, initials DL$"))
                page.get_by_role("button", name="Log out").click()
                expect(page.get_by_role("heading", name="Log in")).to_be_visible()
            finally:
                guarded.close()
        finally:
            browser.close()
    assert PASSWORD not in server.output()
