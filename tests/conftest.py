"""Shared fixtures, one home: the real catalog, prepared stores (copied, not rebuilt, per test), a
database with known values for the page tests, a second process holding the lock, and a headless
Chromium for the browser tests.

Stores on both backends: a test module marked ``pytest.mark.both_backends`` runs each of its tests
that uses a store (``db``, ``empty_db``, ``known_db``, ``known_store``, ``new_store`` or ``backend``)
twice, on a DuckDB file and on a database of a real PostgreSQL server started for the test session
(``bench/postgres_server.py``: Debian's ``postgresql``, which scripts/test.sh installs); a test marked
``pytest.mark.duckdb_only`` runs on DuckDB alone (it is about the file: its lock, its bytes, its older
formats). Every test on PostgreSQL is marked ``postgres`` (the edit loop leaves them to the full run).
"""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import streamlit as st
from holders import DUCKDB_OPEN, holding
from page_fixtures import JUNE, build_known_db

from bench.postgres_server import LocalPostgres, server_bin
from plans.catalog import load_catalog
from plans.model import Catalog
from store import db as store_db
from store import postgres, sign_in, throttle
from store.db import Target, prepare

BACKENDS = ("duckdb", "postgres")
_DATABASES = itertools.count(1)
ROOT = Path(__file__).resolve().parent.parent
_UNTRACKED_BEFORE = pytest.StashKey[set[str]]()


_OWN_OUTPUT = ("test-output/", ".pytest_cache/", "data/.cache/")
"""Where the tests may write under the repository: the browser tests' screenshots, pytest's cache, and the
parsed catalog of the plan files that the app keeps beside them too (``plans.catalog.cache_file``)."""


def _untracked() -> set[str]:
    """The files under the repository that git does not track, ignored ones too (Python's caches and
    :data:`_OWN_OUTPUT` aside); empty outside a git checkout."""
    out = subprocess.run(
        ["git", "status", "--porcelain", "--ignored", "--untracked-files=all"], cwd=ROOT, capture_output=True, text=True
    )
    return {
        line[3:]
        for line in out.stdout.splitlines()
        if line[:2] in ("??", "!!") and "__pycache__/" not in line and not line[3:].startswith(_OWN_OUTPUT)
    }


def pytest_sessionstart(session: pytest.Session) -> None:
    session.config.stash[_UNTRACKED_BEFORE] = _untracked()


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Tests write in temporary folders only: a file that appeared under the repository during the run
    (a store, a lock file beside a misread PostgreSQL address…) fails the run."""
    new = sorted(_untracked() - session.config.stash.get(_UNTRACKED_BEFORE, set()))
    if new:
        sys.stderr.write("\nFiles written under the repository by the tests: " + ", ".join(new) + "\n")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run the tests of a ``both_backends`` module on both backends (see the module): all of them on DuckDB,
    then all on PostgreSQL, so that a module-scoped fixture may build one store per backend."""
    both = metafunc.definition.get_closest_marker("both_backends")
    alone = metafunc.definition.get_closest_marker("duckdb_only")
    if "backend" in metafunc.fixturenames and both and not alone:
        metafunc.parametrize("backend", BACKENDS, indirect=True, scope="module")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark ``postgres`` every test that runs on PostgreSQL: the PostgreSQL instances of ``both_backends``
    modules here, the modules on PostgreSQL alone by their own mark."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and callspec.params.get("backend") == "postgres":
            item.add_marker(pytest.mark.postgres)


@pytest.fixture(scope="module")
def backend(request: pytest.FixtureRequest) -> str:
    """``duckdb`` (the default) or ``postgres``: the backend of this test's stores (of the module's, in a
    ``both_backends`` module)."""
    return getattr(request, "param", "duckdb")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[LocalPostgres]:
    """A PostgreSQL server for the test session (a new cluster in a temporary folder, on a free port)."""
    if server_bin() is None:
        pytest.fail("PostgreSQL is not installed: bash scripts/test.sh installs Debian's postgresql")
    server = LocalPostgres(durable=False).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_prepared(pg_server: LocalPostgres, catalog: Catalog) -> str:
    """The name of a PostgreSQL database with the schema and the catalog, made once; tests get copies."""
    url = pg_server.create_database("dmst_prepared")
    prepare(url, catalog)
    postgres.close_pool(url)  # a template may have no connection when it is copied
    return "dmst_prepared"


Source = tuple[str, str]
"""The fixtures whose stores a fresh one copies: (DuckDB file, PostgreSQL template database)."""
PREPARED: Source = ("prepared_store", "pg_prepared")
KNOWN: Source = ("known_duckdb", "pg_known")


def _fresh(
    request: pytest.FixtureRequest, backend: str, folder: Path, name: str, made: list[str], source: Source = PREPARED
) -> Target:
    """A copy of the store of ``source`` (by default the schema and the catalog alone): the DuckDB file as
    ``folder/<name>.duckdb``, or a new PostgreSQL database made from the template (its address, also added
    to ``made``)."""
    if backend == "duckdb":
        path = folder / f"{name}.duckdb"
        shutil.copyfile(request.getfixturevalue(source[0]), path)
        return path
    server = request.getfixturevalue("pg_server")
    database = f"t{next(_DATABASES)}_{name}"[:60]
    made.append(server.create_database(database, template=request.getfixturevalue(source[1])))
    return made[-1]


def _close(urls: list[str]) -> None:
    """Close this process's connections to the PostgreSQL databases."""
    for url in urls:
        postgres.close_pool(url)


def _drop(request: pytest.FixtureRequest, urls: list[str]) -> None:
    """Close and drop a test's PostgreSQL databases."""
    _close(urls)
    for url in urls:
        request.getfixturevalue("pg_server").drop_database(url.rsplit("/", 1)[1])


@pytest.fixture(scope="session")
def make_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[[str, str], Target]]:
    """``make_store(backend, name)``: a fresh store (see ``new_store``) for fixtures of any scope, in a
    temporary folder of its own (the databases go with ``pg_server`` at the end of the session)."""
    made: list[str] = []
    yield lambda backend, name: _fresh(request, backend, tmp_path_factory.mktemp(name), name, made)
    _close(made)


@pytest.fixture()
def new_store(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Callable[[str], Target]]:
    """Make fresh stores with the schema and the catalog on this test's backend: ``new_store(name)`` is a
    copy of the prepared DuckDB file ``tmp_path/<name>.duckdb``, or a new PostgreSQL database (its address),
    dropped when the test ends."""
    made: list[str] = []
    yield lambda name: _fresh(request, backend, tmp_path, name, made)
    _drop(request, made)


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The five plans as the software reads them from data/."""
    return load_catalog()


@pytest.fixture(scope="session")
def prepared_store(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Path:
    """A database with the schema and the catalog, made once; tests get copies of it."""
    return prepare(tmp_path_factory.mktemp("prepared") / "dmst.duckdb", catalog)


@pytest.fixture()
def db(new_store: Callable[[str], Target], monkeypatch: pytest.MonkeyPatch) -> Target:
    """A fresh store with the schema and the catalog loaded (a copy of ``prepared_store``, or of
    ``pg_prepared`` on PostgreSQL); ``DMST_DB`` points at it."""
    target = new_store("dmst")
    monkeypatch.setenv("DMST_DB", str(target))
    return target


@pytest.fixture()
def held(db, monkeypatch: pytest.MonkeyPatch):
    """Another process holds the database read-write (as the DuckDB CLI or DBeaver would); yields its PID."""
    monkeypatch.setattr(store_db, "LOCK_WAIT_SECONDS", 0.5)
    with holding(DUCKDB_OPEN, db) as holder:
        yield holder.pid


@pytest.fixture(scope="session")
def known_duckdb(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Path:
    """The known database (tests/page_fixtures.py) as a DuckDB file, built once per session."""
    return build_known_db(tmp_path_factory.mktemp("known") / "known.duckdb", catalog)


@pytest.fixture(scope="session")
def pg_known(pg_server: LocalPostgres, pg_prepared: str, catalog: Catalog) -> str:
    """The name of a PostgreSQL database holding the known data, built once per session; tests get copies."""
    url = pg_server.create_database("dmst_known", template=pg_prepared)
    build_known_db(url, catalog)
    postgres.close_pool(url)  # a template may have no connection when it is copied
    return "dmst_known"


@pytest.fixture(scope="module")
def known_store(
    backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Target]:
    """The known database on the module's backend, for tests that read it: the session's DuckDB file, or a
    PostgreSQL copy of it for the module."""
    if backend == "duckdb":
        yield request.getfixturevalue("known_duckdb")
        return
    made: list[str] = []
    yield _fresh(request, backend, tmp_path_factory.mktemp("known"), "known", made, KNOWN)
    _drop(request, made)


@pytest.fixture(scope="session")
def known_summary(known_duckdb: Path) -> dict:
    """``python -m scoring summary --json`` of the known DuckDB database for June 2026, by locality id: what
    the reports' tables must equal, on either backend."""
    out = subprocess.run(
        [sys.executable, "-m", "scoring", "summary", "--period", str(JUNE), "--json", "--db", str(known_duckdb)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {loc["id"]: loc for loc in json.loads(out)["localities"]}


@pytest.fixture()
def known_db(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Target]:
    """A private copy of the known database on this test's backend; ``DMST_DB`` points at it, Streamlit's
    data caches empty."""
    made: list[str] = []
    target = _fresh(request, backend, tmp_path, "dmst", made, KNOWN)
    monkeypatch.setenv("DMST_DB", str(target))
    st.cache_data.clear()
    yield target
    _drop(request, made)


@pytest.fixture()
def empty_db(db: Target) -> Target:
    """A fresh database without any upload (the ``db`` fixture), data caches empty."""
    st.cache_data.clear()
    return db


@pytest.fixture(autouse=True)
def store_outside_the_repository(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """A test that names no store (no ``db`` fixture, no ``DMST_DB`` of its own) gets one in a temporary folder:
    never the checkout's ``data/dmst.duckdb`` and its lock files (``pytest_sessionfinish`` checks that)."""
    monkeypatch.setenv("DMST_DB", str(tmp_path_factory.mktemp("unnamed_store") / "dmst.duckdb"))


@pytest.fixture(autouse=True)
def fresh_sign_in_state(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with no address this process remembers as waiting, and without the second a
    refused sign-in waits before answering (``store.sign_in.FAILURE_PAUSE``: tests that try many wrong
    passwords need not wait; ``tests/test_trust.py`` checks the pause itself)."""
    monkeypatch.setattr(sign_in, "FAILURE_PAUSE", 0.0)
    for remembered in (throttle.MEMORY, throttle.WAITING_UNTIL, sign_in.JOURNALED_BLOCKS):
        remembered.clear()


@pytest.fixture(autouse=True)
def no_daily_backup(monkeypatch: pytest.MonkeyPatch) -> None:
    """The app's daily backup thread copies the store and journals it; only the backup tests want that
    (they set ``DMST_BACKUP_KEEP`` themselves)."""
    monkeypatch.setenv("DMST_BACKUP_KEEP", "0")


@pytest.fixture(autouse=True)
def months_stay_open(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fixtures load months of 2026 long after their deadline: no automatic close unless a test
    sets ``DMST_AUTO_CLOSE_DAYS`` itself (tests/test_trust.py)."""
    monkeypatch.setenv("DMST_AUTO_CLOSE_DAYS", "0")


@pytest.fixture()
def browser():
    """Headless Chromium (Debian's chromium; Playwright cannot download its own here)."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (scripts/test.sh installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        launched = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture()
def browser_page(browser):
    """A page as tall as a whole overview, so one screenshot shows everything."""
    return browser.new_page(viewport={"width": 1440, "height": 2400}, locale="vi-VN")
