"""Shared fixtures: the real catalog and a real, prepared DuckDB file per test."""
from __future__ import annotations

from pathlib import Path

import pytest

from loaders.catalog import Catalog, load_catalog
from store.db import prepare


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The five plans as the software reads them from data/."""
    return load_catalog()


@pytest.fixture()
def db(tmp_path: Path, catalog: Catalog, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh DuckDB file with the schema and the catalog loaded; ``DMST_DB`` points at it."""
    path = tmp_path / "dmst.duckdb"
    prepare(path, catalog)
    monkeypatch.setenv("DMST_DB", str(path))
    return path
