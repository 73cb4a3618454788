"""The layout's invariant: every import points down (plans ← store ← scoring ← reports ← ui ← views;
loaders beside scoring), read from the source with ``ast``, and each package imports alone."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("plans", "store", "scoring", "loaders", "reports", "ui", "views")
# package → project packages it must never import
FORBIDDEN = {
    "plans": {"store", "scoring", "loaders", "ui", "views", "reports", "app"},
    "store": {"scoring", "loaders", "ui", "views", "reports", "app"},
    "scoring": {"loaders", "ui", "views", "reports", "app"},
    "loaders": {"scoring", "ui", "views", "reports", "app"},
    "reports": {"ui", "views", "app"},
    "ui": {"views", "app", "serve"},
}


def project_imports(path: Path) -> set[str]:
    """Top-level names of everything a module imports (``from a.b import c`` → ``a``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_imports_point_down(package):
    wrong = {
        f"{path.relative_to(ROOT)} imports {name}"
        for path in sorted((ROOT / package).rglob("*.py"))
        for name in project_imports(path) & FORBIDDEN[package]
    }
    assert not wrong, sorted(wrong)


def test_the_checker_sees_an_upward_import(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("import os\nfrom scoring.report import x\nimport loaders.ingest as li\nfrom . import y\n")
    assert project_imports(module) == {"os", "scoring", "loaders"}


@pytest.mark.slow  # a fresh interpreter per package
@pytest.mark.parametrize("package", [p for p in PACKAGES if p != "views"])
def test_each_package_imports_alone(package):
    """A fresh interpreter imports every module of the package (no import cycle)."""
    modules = [
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for p in sorted((ROOT / package).rglob("*.py"))
        if p.stem != "__main__"
    ]
    code = "import importlib\n" + "".join(f"importlib.import_module({m!r})\n" for m in modules)
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
