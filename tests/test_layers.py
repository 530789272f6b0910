"""The layers hold: which package may import which, read from the source (ast), not trusted.

    contract/   what the database holds; imports none of ours
    etl/        writes the database; imports contract only
    store/      reads it; imports contract only
    dashboard/  pages; imports store and contract, never api
    api/        open data; imports store and contract, never dashboard
    spi/        the command and the app that composes dashboard and api: anything
"""
from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OURS = ("contract", "etl", "store", "dashboard", "api", "spi")
ALLOWED = {
    "contract": {"contract"},
    "etl": {"etl", "contract"},
    "store": {"store", "contract"},
    "dashboard": {"dashboard", "store", "contract"},
    "api": {"api", "store", "contract"},
    "spi": set(OURS),
}


def imports(path: Path, package: str) -> list[tuple[int, str]]:
    """(line, top-level package of ours) for every import in a module, at any depth."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [package] if node.level else [node.module or ""]  # relative: the same package
        else:
            continue
        found += [(node.lineno, name.split(".")[0]) for name in names if name.split(".")[0] in OURS]
    return found


def crossings(root: Path) -> list[str]:
    """Every import that crosses a boundary under `root`, as 'file:line: a imports b'."""
    out = []
    for package, allowed in ALLOWED.items():
        for path in sorted((root / package).rglob("*.py")):
            for line, target in imports(path, package):
                if target not in allowed:
                    out.append(f"{path.relative_to(root)}:{line}: {package} imports {target}")
    return out


def test_no_package_imports_across_its_layer():
    assert crossings(REPO) == []


def test_every_package_is_where_the_layers_say():
    for package in OURS:
        assert (REPO / package / "__init__.py").is_file(), package


def test_the_check_finds_a_crossing(tmp_path):
    """The check itself can fail: a dashboard module importing api, a store module importing
    the dashboard in a function, an etl module importing the read layer."""
    for package in OURS:
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "dashboard" / "page.py").write_text("from store import queries\nimport api.routes\n")
    (tmp_path / "store" / "late.py").write_text("def f():\n    from dashboard import app\n")
    (tmp_path / "etl" / "load.py").write_text("from contract.schema import TABLES\nfrom store.database import db\n")
    (tmp_path / "api" / "ok.py").write_text("from . import http\nfrom store.view import Rows\n")
    assert sorted(crossings(tmp_path)) == ["dashboard/page.py:2: dashboard imports api",
                                   "etl/load.py:2: etl imports store",
                                   "store/late.py:2: store imports dashboard"]
