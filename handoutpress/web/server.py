"""Serving the front desk with cheroot: a production WSGI server (CherryPy's, pure Python,
runs on Windows) with a built-in TLS adapter. Never Werkzeug's development server, which
logs every request line. cheroot writes no access log.

Start-up rules (issue 11, item 5): a host other than loopback needs TLS and staff logins,
since patient names must not cross a network in clear text; with TLS, logins are required.
"""

from __future__ import annotations

import ssl
import threading
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cheroot import wsgi

from ..errors import HandoutError
from .app import Settings, create_app
from .security import MAX_REQUEST_BYTES, is_loopback
from .staff import StaffStore

#: The request line and headers together: the page's are under 2 kB.
MAX_HEADER_BYTES = 32 * 1024
#: Worker threads: four desks previewing at once, and a spare (the work is CPU-bound).
THREADS = 6


@dataclass(frozen=True)
class ServeRequest:
    host: str
    port: int
    brand: str | None
    tls_cert: Path | None
    tls_key: Path | None
    data_dir: Path
    open_browser: bool = False


def start_problems(req: ServeRequest) -> list[str]:
    """Why the server must not start, one line each (empty: it may)."""
    problems = []
    if (req.tls_cert is None) != (req.tls_key is None):
        problems.append("--tls-cert and --tls-key: give both (the certificate and its key)")
    tls = req.tls_cert is not None and req.tls_key is not None
    staff = StaffStore(req.data_dir / "staff.sqlite3").names()
    if not is_loopback(req.host):
        if not tls:
            problems.append(
                f"--host {req.host}: other computers would see patient names in clear text; "
                "give --tls-cert and --tls-key (see README, 'Front desk on a clinic network')"
            )
        if not staff:
            problems.append(f"--host {req.host}: add staff logins first (handouts staff add NAME)")
    elif tls and not staff:
        problems.append(
            "--tls-cert: TLS is for a clinic network, which needs staff logins "
            "(handouts staff add NAME)"
        )
    for option, path in (("--tls-cert", req.tls_cert), ("--tls-key", req.tls_key)):
        if path is not None and not path.is_file():
            problems.append(f"{option} {path}: file not found")
    return problems


def _tls_adapter(cert: Path, key: Path) -> object:
    from cheroot.ssl.builtin import BuiltinSSLAdapter

    try:
        adapter = BuiltinSSLAdapter(str(cert), str(key))
    except (ssl.SSLError, OSError, ValueError) as exc:
        raise HandoutError(f"--tls-cert/--tls-key: cannot use them: {exc}") from None
    adapter.context.minimum_version = ssl.TLSVersion.TLSv1_2
    return adapter


def make_server(req: ServeRequest) -> wsgi.Server:
    problems = start_problems(req)
    if problems:
        raise HandoutError("\n".join(f"serve: {p}" for p in problems))
    tls = req.tls_cert is not None and req.tls_key is not None
    settings = Settings(brand=req.brand, host=req.host, data_dir=req.data_dir, logins=tls)
    app = create_app(settings)
    server = wsgi.Server((req.host, req.port), app, numthreads=THREADS, server_name="handouts")
    # cheroot reads a request line and headers of any size (a 1 MB URL was read and
    # answered): the page needs a few kB; a body over the app's limit is refused unread
    server.max_request_header_size = MAX_HEADER_BYTES
    server.max_request_body_size = MAX_REQUEST_BYTES
    if tls:
        assert req.tls_cert is not None and req.tls_key is not None
        server.ssl_adapter = _tls_adapter(req.tls_cert, req.tls_key)
    return server


def url_of(server: wsgi.Server, req: ServeRequest) -> str:
    port = server.bind_addr[1]
    scheme = "https" if server.ssl_adapter is not None else "http"
    host = f"[{req.host}]" if ":" in req.host else req.host
    return f"{scheme}://{host}:{port}/"


def serve(req: ServeRequest, say: Callable[[str], None]) -> None:
    """Bind, say where (the first line), serve until Ctrl-C."""
    server = make_server(req)
    try:
        server.prepare()  # binds: with port 0 the system picks a free port
    except OSError:
        raise HandoutError(
            f"serve: --port {req.port}: cannot listen on {req.host}:{req.port}; is another front "
            "desk already running there? (--port 0 picks a free port)"
        ) from None
    url = url_of(server, req)
    say(f"Serving on {url} (Ctrl-C to stop)")
    brand = server.wsgi_app.extensions["handouts"].brand_info()
    say(
        f"Brand: {brand.name} ({brand.file}), read now: restart after editing it "
        "(handouts are read again when they change)"
    )
    if req.open_browser:
        threading.Timer(0.3, webbrowser.open, (url,)).start()
    try:
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
