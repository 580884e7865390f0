"""Write pytest's rewritten test modules once, before the test processes start.

pytest rewrites the ``assert`` statements of each test module (and conftest.py) as it imports
it, and keeps the result in ``__pycache__`` (a pyc checked against the source's hash) only
where bytecode may be written: with PYTHONDONTWRITEBYTECODE set (as on the team's machines)
each of the two test processes rewrites all ~110 modules itself, ~3 s of CPU each. This writes
those pycs as pytest's own import hook would (the same functions, pytest's default settings:
no assertion-pass hook); a test process then reads them. If pytest's internals change, this
says so and leaves the rewriting to pytest (slower, never wrong: a pyc that does not match
its source's hash is ignored).
"""

from __future__ import annotations

import sys
from pathlib import Path


def main(folder: Path) -> int:
    try:
        from _pytest.assertion.rewrite import PYC_TAIL, _rewrite_test, _write_pyc, get_cache_dir
    except ImportError as exc:
        print(f"rewrite_tests: pytest has changed ({exc}); pytest will rewrite the tests itself")
        return 0

    class Trace:  # what _write_pyc needs of pytest's AssertionState
        def trace(self, message: str) -> None:
            pass

    files = sorted(folder.glob("test_*.py")) + sorted(folder.glob("*_test.py"))
    files += sorted(folder.glob("conftest.py"))
    for fn in (f.resolve() for f in files):
        source_hash, code = _rewrite_test(fn, None)
        cache = get_cache_dir(fn)
        cache.mkdir(parents=True, exist_ok=True)
        _write_pyc(Trace(), code, source_hash, cache / (fn.name[:-3] + PYC_TAIL))
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "tests")))
