"""The floor plan of docs/architecture.md, checked on the source: floors, rooms, one write path.

The floors are read from the table in docs/architecture.md, so the page and the code cannot
drift apart: a new folder must be given its floor there before any code in it passes.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "arna"
DOC = ROOT / "docs" / "architecture.md"

HTTP_CLI_ROOMS = {"api", "pages", "deps", "cli"}
WRITE_CALLS = {"bulk_insert", "sync_rows", "record", "record_many"}
OPENERS = {"changing", "Effects"}  # the appeals' write transaction and its effects
SESSION_WRITES = {"add", "add_all", "delete", "merge", "flush", "commit"}
SESSION_READS = {"execute", "scalar", "scalars", "get", "query"}
DML = {"insert", "update", "delete"}
# Outside the slices, the modules that may write: the ground floor's primitives and the floors
# that migrate and seed the whole database.
WRITERS_OUTSIDE_SLICES = {"arna.core.db", "arna.core.audit", "arna.core.sync"}
MAX_LINES = 400


@dataclass
class Module:
    name: str  # arna.appeals.actions.submit
    path: Path
    tree: ast.Module
    imports: list[tuple[str, int]] = field(default_factory=list)  # (module, line)

    @property
    def folder(self) -> str:
        """The first folder under arna/ (`appeals`), or the file for top-level modules
        (`app.py`); the package itself is `arna`."""
        parts = self.name.split(".")
        if len(parts) == 1:
            return "arna"
        if (SRC / parts[1]).is_dir():
            return parts[1]
        return f"{parts[1]}.py"

    @property
    def room(self) -> str:
        """The room of a slice module: `actions` for arna.appeals.actions.submit, `pages` for
        arna.appeals.pages.public, `queries` for arna.appeals.queries."""
        parts = self.name.split(".")
        return parts[2] if len(parts) > 2 else ""


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def modules() -> dict[str, Module]:
    found = {}
    for path in sorted(SRC.rglob("*.py")):
        name = _module_name(path)
        found[name] = Module(name, path, ast.parse(path.read_text(encoding="utf-8")))
    for module in found.values():
        module.imports = list(_imports(module, found))
    return found


def _imports(module: Module, known: dict[str, Module]) -> Iterator[tuple[str, int]]:
    """Every module of Arna this one imports, at the top or inside a function."""
    package = module.name if module.path.name == "__init__.py" else module.name.rpartition(".")[0]
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "arna":
                    yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            if base.split(".")[0] != "arna":
                continue
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                yield (candidate if candidate in known else base), node.lineno


@cache
def floors() -> dict[str, int]:
    """Folder (or top-level file) -> floor, from the table of docs/architecture.md."""
    found: dict[str, int] = {"arna": 0}  # the package itself: its version
    for line in DOC.read_text(encoding="utf-8").splitlines():
        row = re.match(r"^\| (\d+) \| (.+?) \|", line)
        if row:
            for name in re.findall(r"`([a-z_][a-z0-9_]*(?:\.py)?)`", row.group(2)):
                found[name] = int(row.group(1))
    return found


def _folder_of(name: str) -> str:
    return modules()[name].folder


def _where(module: Module, line: int) -> str:
    return f"{module.path.relative_to(ROOT)}:{line}"


def test_the_floors_table_names_every_folder() -> None:
    folders = {m.folder for m in modules().values()}
    missing = sorted(folders - set(floors()))
    assert missing == [], f"give these a floor in docs/architecture.md: {missing}"
    assert floors()["core"] == 0 and floors()["web"] == 1
    assert floors()["app.py"] == floors()["cli.py"] == max(floors().values())


def test_nothing_imports_upward_or_sideways() -> None:
    """A module imports its own folder and lower floors only: core imports no slice, web only
    core, and no import circle can span two folders."""
    wrong = []
    for module in modules().values():
        own = module.folder
        for target, line in module.imports:
            theirs = _folder_of(target)
            if theirs != own and theirs != "arna" and floors()[theirs] >= floors()[own]:
                wrong.append(f"{_where(module, line)}: {own} (floor {floors()[own]}) imports "
                             f"{target} (floor {floors()[theirs]})")  # fmt: skip
    assert wrong == []


def test_core_and_web_import_no_slice() -> None:
    for module in modules().values():
        allowed = {"core": {"core"}, "web": {"core", "web"}}.get(module.folder)
        if allowed is None:
            continue
        bad = [t for t, _ in module.imports if _folder_of(t) not in allowed | {"arna"}]
        assert bad == [], f"{module.name} imports {bad}"


def test_only_migrations_and_maintenance_import_the_table_registry() -> None:
    users = {m.folder for m in modules().values() if any(t == "arna.models" for t, _ in m.imports)}
    assert users <= {"migrations", "maintenance"}


def _slice_modules() -> Iterator[Module]:
    for module in modules().values():
        if 2 <= floors()[module.folder] <= 6 and module.room:
            yield module


def test_http_and_cli_rooms_are_reached_only_from_http_and_cli_rooms() -> None:
    """A model, a query, an action or a pure module never imports a route or a command: so
    statistics never import from pages."""
    wrong = []
    for module in modules().values():
        if module.room in HTTP_CLI_ROOMS or module.folder in ("app.py", "cli.py"):
            continue
        for target, line in module.imports:
            parts = target.split(".")
            if len(parts) > 2 and parts[2] in HTTP_CLI_ROOMS and parts[1] != "core":
                wrong.append(f"{_where(module, line)}: imports {target}")
            if target in ("arna.app", "arna.cli"):
                wrong.append(f"{_where(module, line)}: imports {target}")
    assert wrong == []


def test_reads_do_not_write_and_models_stay_models() -> None:
    wrong = []
    for module in _slice_modules():
        for target, line in module.imports:
            parts = target.split(".")
            room = parts[2] if len(parts) > 2 else ""
            if module.room == "queries" and room == "actions":
                wrong.append(f"{_where(module, line)}: a query imports {target}")
            if module.room == "models" and parts[1] != "core" and room != "models":
                wrong.append(f"{_where(module, line)}: a models module imports {target}")
            other_slice = parts[1] != module.folder and parts[1] != "core"
            if room == "models" and other_slice and module.room not in ("models", "queries"):
                wrong.append(f"{_where(module, line)}: reads another slice's tables; "
                             f"go through its queries")  # fmt: skip
    assert wrong == []


def _calls(tree: ast.AST) -> Iterator[ast.Call]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            yield node


def _sqlalchemy_names(tree: ast.Module) -> tuple[set[str], set[str]]:
    """Names bound to SQLAlchemy's insert/update/delete in this module (any dialect's), and
    names bound to SQLAlchemy's modules (`import sqlalchemy as sa`)."""
    functions, packages = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
            functions |= {a.asname or a.name for a in node.names if a.name in DML}
            packages |= {a.asname or a.name for a in node.names if a.name not in DML}
        elif isinstance(node, ast.Import):
            packages |= {a.asname or a.name for a in node.names if a.name.startswith("sqlalchemy")}
    return functions, packages


def _dml_text(call: ast.Call) -> bool:
    """A statement written as SQL text that changes rows: text("UPDATE …"), execute("…")."""
    first = call.args[0] if call.args else None
    return (
        isinstance(first, ast.Constant)
        and isinstance(first.value, str)
        and first.value.lstrip().split(" ")[0].upper() in ("INSERT", "UPDATE", "DELETE")
    )


def writes(module: Module) -> list[str]:
    """The places where this module writes: opens a write transaction (`db.write()`,
    `changing()`), changes the session, builds a DML statement (by any name, or as SQL text) or
    appends to the audit chain."""
    dml, packages = _sqlalchemy_names(module.tree)
    found = []
    for call in _calls(module.tree):
        func = call.func
        what = None
        if isinstance(func, ast.Name) and (func.id in dml | WRITE_CALLS | OPENERS):
            what = func.id
        elif isinstance(func, ast.Attribute):
            owner = ast.unparse(func.value)
            if func.attr == "write" and not call.args:
                what = f"{owner}.write()"
            elif (
                (func.attr in SESSION_WRITES and owner.endswith("session"))
                or (func.attr in WRITE_CALLS and owner in ("audit", "core.audit"))
                or (func.attr in DML and owner.split(".")[0] in packages)
                or (func.attr in OPENERS)
            ):
                what = f"{owner}.{func.attr}"
            elif func.attr in DML and not call.args and not call.keywords:
                what = f"{owner}.{func.attr}()"  # table.insert(), query.delete()
        if what is None and _dml_text(call):
            what = f"SQL text: {ast.unparse(call)[:60]}"
        if what:
            found.append(f"{_where(module, call.lineno)}: {what}")
    return found


def test_writes_happen_only_in_actions() -> None:
    wrong = []
    for module in modules().values():
        if module.room == "actions" or module.folder in ("maintenance", "migrations"):
            continue
        if module.name in WRITERS_OUTSIDE_SLICES:
            continue
        wrong += writes(module)
    assert wrong == []


def test_the_write_check_sees_writes() -> None:
    """The check above would pass on nothing: it finds the writes that are there."""
    lifecycle = modules()["arna.appeals.actions.submit"]
    assert any("bulk_insert" in w for w in writes(lifecycle))
    assert any("insert" in w for w in writes(lifecycle))
    login = modules()["arna.accounts.actions"]
    assert any(".write()" in w for w in writes(login))
    assert any("session.add" in w for w in writes(login))
    spellings = (
        "import sqlalchemy as sa\nsession.execute(sa.update(Appeal).values(status='closed'))",
        "table_of(Appeal).insert()",
        "session.execute(text('DELETE FROM appeals'))",
        "with changing(db, settings) as effects:\n    pass",
    )
    for source in spellings:
        rogue = Module(
            "arna.appeals.pages.rogue", SRC / "appeals/pages/rogue.py", ast.parse(source)
        )
        assert writes(rogue), source


def _classes(module: Module) -> Iterator[tuple[ast.ClassDef, set[str]]]:
    for node in ast.walk(module.tree):
        if isinstance(node, ast.ClassDef):
            yield node, {ast.unparse(b) for b in node.bases}


@pytest.mark.parametrize(
    ("kind", "room", "elsewhere"),
    [
        ("table", "models", {"arna.core.audit"}),  # the audit chain is the ground floor's own
        ("schema", "schemas", {"arna.core.problems", "arna.core.schemas"}),
        ("router", "api|pages", set()),
        ("typer", "cli", {"arna.cli"}),
    ],
)
def test_each_kind_of_thing_lives_in_its_room(kind: str, room: str, elsewhere: set[str]) -> None:
    rooms = room.split("|")
    wrong = []
    for module in modules().values():
        if module.room in rooms or module.name in elsewhere:
            continue
        if kind == "table":
            found = [c.name for c, bases in _classes(module) if "Base" in bases]
        elif kind == "schema":
            found = [c.name for c, bases in _classes(module) if "BaseModel" in bases]
        else:
            constructor = "APIRouter" if kind == "router" else "Typer"
            found = [
                ast.unparse(c.func)
                for c in _calls(module.tree)
                if ast.unparse(c.func).split(".")[-1] == constructor
            ]
        if found:
            wrong.append(f"{module.name}: {found}")
    assert wrong == [], f"a {kind} outside {room}"


def test_routes_hold_no_sql() -> None:
    """Routes are thin: SQL lives in queries, so no module mixes routes with statistics. The
    modules of the API and the pages import nothing from SQLAlchemy but the Session type, and
    hand their session to queries rather than ask it anything themselves."""
    wrong = []
    for module in modules().values():
        routes = any(ast.unparse(c.func) == "APIRouter" for c in _calls(module.tree))
        if not routes and module.room not in ("api", "pages"):
            continue
        for node in ast.walk(module.tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
                names = [a.name for a in node.names]
                if node.module != "sqlalchemy.orm" or names != ["Session"]:
                    wrong.append(f"{_where(module, node.lineno)}: {node.module} {names}")
            if isinstance(node, ast.Import) and any(
                a.name.startswith("sqlalchemy") for a in node.names
            ):
                wrong.append(f"{_where(module, node.lineno)}: import sqlalchemy")
        for call in _calls(module.tree):
            func = call.func
            if (
                isinstance(func, ast.Attribute)
                and func.attr in SESSION_READS
                and ast.unparse(func.value).endswith("session")
            ):
                wrong.append(f"{_where(module, call.lineno)}: {ast.unparse(func)}")
    assert wrong == []


def test_modules_are_small() -> None:
    long = {
        str(m.path.relative_to(ROOT)): n
        for m in modules().values()
        if (n := len(m.path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_the_runtime_guard_sees_a_write_from_outside_the_actions(databases: object) -> None:
    """tests/write_guard.py, which every test runs under, reports a write whose stack holds no
    action: here one made by code posing as a page module, in a thread of its own."""
    import threading

    from tests import write_guard

    db = databases.ready()  # type: ignore[attr-defined]
    page: dict[str, Any] = {"__name__": "arna.appeals.pages.rogue", "db": db}
    exec(
        "from sqlalchemy import text\n"
        "def rogue():\n"
        "    with db.write() as session:\n"
        '        session.execute(text("UPDATE counters SET value = value + 1"))\n',
        page,
    )
    thread = threading.Thread(target=page["rogue"])
    thread.start()
    thread.join()
    found = list(write_guard.violations)
    write_guard.violations.clear()
    assert found and "UPDATE counters" in found[0] and "arna.appeals.pages.rogue" in found[0]
