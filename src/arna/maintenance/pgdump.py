"""PostgreSQL backups: `pg_dump --format=custom` of Arna's schema, `pg_restore` of one.

The tools get the database URL in libpq's form (the password in PGPASSWORD, never on a command
line). Arna's schema is the first of the `search_path` the URL's `options` set
(`?options=-csearch_path=arna`), else the server's current schema: only that schema is dumped,
and a backup restores only into a database whose search path names the same schema (pg_restore
keeps a schema's name). The restore runs in one transaction: when it fails, nothing changed.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

from sqlalchemy import text
from sqlalchemy.engine import make_url

from arna.core.db import Database
from arna.maintenance.errors import BackupError

Progress = Callable[[str, int, int], None]

TABLE = re.compile(r"^\d+; \d+ \d+ TABLE (?!DATA )(?P<schema>\S+) (?P<name>\S+) ")
TABLE_DATA = re.compile(r"^\d+; \d+ \d+ TABLE DATA (?P<schema>\S+) (?P<name>\S+) ")
DUMPING = re.compile(r'dumping contents of table "')
RESTORING = re.compile(r'processing data for table "')
PROBLEM = re.compile(r"error|warning|FATAL|ERROR|DETAIL|HINT|TOC|Command was")


@dataclass(frozen=True)
class Archive:
    """What a custom-format archive holds: Arna's schema, its tables, the schema revision."""

    schema: str
    tables: int
    revision: str | None


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not installed or not on PATH: install the PostgreSQL client tools "
            "(Debian: postgresql-client), of the server's major version or newer"
        )
    return found


def conninfo(url: str) -> tuple[str, dict[str, str]]:
    """The URL as a libpq connection URI (no password) and the environment to run a tool in."""
    parsed = make_url(url)
    user = quote(parsed.username, safe="") + "@" if parsed.username else ""
    host = parsed.host or ""
    if ":" in host:
        host = f"[{host}]"
    port = f":{parsed.port}" if parsed.port else ""
    database = quote(parsed.database or "", safe="")
    query = {k: v if isinstance(v, str) else v[-1] for k, v in parsed.query.items()}
    uri = f"postgresql://{user}{host}{port}/{database}"
    if query:
        uri += "?" + urlencode(query)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    return uri, env


def search_path(url: str) -> list[str]:
    """The schemas of the `search_path` set in the URL's `options` (libpq's -c or --)."""
    options = make_url(url).query.get("options")
    if not options:
        return []
    value = options if isinstance(options, str) else options[-1]
    try:
        words = shlex.split(value)
    except ValueError:
        words = value.split()
    settings: list[str] = []
    for i, word in enumerate(words):
        if word == "-c" and i + 1 < len(words):
            settings.append(words[i + 1])
        elif word.startswith(("-c", "--")):
            settings.append(word[2:])
    for setting in reversed(settings):  # the last one wins, as in PostgreSQL
        name, _, path = setting.partition("=")
        if name.strip().replace("-", "_") == "search_path":
            schemas = [s.strip().strip('"') for s in path.split(",")]
            return [s for s in schemas if s and s != "$user"]
    return []


def target_schema(url: str) -> str:
    """The schema Arna's tables live in at `url`."""
    named = search_path(url)
    if named:
        return named[0]
    db = Database(url)
    try:
        with db.read() as session:
            current = session.scalar(text("SELECT current_schema()"))
    except Exception as exc:  # the driver's own errors: say what they are
        raise BackupError(f"cannot connect to the database: {exc}") from None
    finally:
        db.dispose()
    return str(current or "public")


def _pattern(schema: str) -> str:
    """A pg_dump pattern that matches exactly this schema name."""
    return f'"{schema}"' if '"' not in schema else schema


def _run(command: list[str], env: dict[str, str], title: str, total: int,
         step: re.Pattern[str], progress: Progress) -> list[str]:  # fmt: skip
    """Run a pg tool with --verbose, counting the tables it reports for the progress bar;
    the problems it printed (empty when it succeeded)."""
    name = Path(command[0]).name
    try:
        process = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
    except OSError as exc:
        raise BackupError(f"cannot run {command[0]}: {exc.strerror or exc}") from None
    done, problems = 0, []
    progress(title, 0, total)
    with process:  # closes the pipe and waits
        assert process.stderr is not None
        for line in process.stderr:
            if step.search(line):
                done += 1
                progress(title, min(done, total), total)
            elif not line.startswith(f"{name}: ") or PROBLEM.search(line):
                problems.append(line.rstrip())
    if process.returncode == 0:
        return []
    return problems[-12:] or [f"{name} exited with status {process.returncode}"]


def dump(url: str, partial: Path, progress: Progress) -> Archive:
    """pg_dump Arna's schema at `url` into `partial`; what the written archive holds."""
    pg_dump = tool("pg_dump")
    schema = target_schema(url)
    db = Database(url)
    try:
        with db.read() as session:
            tables = session.scalar(
                text("SELECT count(*) FROM pg_tables WHERE schemaname = :schema"),
                {"schema": schema},
            )
    except Exception as exc:  # the driver's own errors: say what they are
        raise BackupError(f"cannot connect to the database: {exc}") from None
    finally:
        db.dispose()
    if not tables:
        raise BackupError(f"the schema {schema!r} holds no tables (run arna db upgrade first)")
    uri, env = conninfo(url)
    partial.unlink(missing_ok=True)
    command = [
        pg_dump, "--format=custom", "--verbose", f"--schema={_pattern(schema)}",
        f"--file={partial}", f"--dbname={uri}",
    ]  # fmt: skip
    problems = _run(command, env, "Dumping tables", int(tables), DUMPING, progress)
    if problems:
        raise BackupError("pg_dump failed:\n" + "\n".join(problems))
    return read_archive(partial)


def read_archive(file: Path) -> Archive:
    """Read an archive's table of contents and its schema revision, or say what is wrong."""
    pg_restore = tool("pg_restore")
    listing = subprocess.run(
        [pg_restore, "--list", str(file)], capture_output=True, text=True, check=False
    )
    if listing.returncode != 0:
        said = " ".join(listing.stderr.split())
        raise BackupError(f"{file} is damaged or truncated ({said})")
    lines = listing.stdout.splitlines()
    schemas = sorted({m["schema"] for line in lines if (m := TABLE.match(line))})
    data = sum(1 for line in lines if TABLE_DATA.match(line))
    if len(schemas) != 1:
        what = f"tables in several schemas ({', '.join(schemas)})" if schemas else "no tables"
        raise BackupError(f"{file} holds {what}: not a backup made by arna backup")
    version = subprocess.run(
        [pg_restore, "--data-only", "--table=alembic_version", "--file=-", str(file)],
        capture_output=True,
        text=True,
        check=False,
    )
    if version.returncode != 0:
        said = " ".join(version.stderr.split())
        raise BackupError(f"{file} is damaged or truncated ({said})")
    return Archive(schemas[0], data, _copied_value(version.stdout))


def _copied_value(script: str) -> str | None:
    """The first value of the first COPY block of a plain SQL script."""
    lines = iter(script.splitlines())
    for line in lines:
        if line.startswith("COPY "):
            value = next(lines, "\\.")
            return None if value == "\\." else value.split("\t")[0]
    return None


def restore(url: str, file: Path, archive: Archive, progress: Progress) -> None:
    """pg_restore the archive into `url` in one transaction (dropping what it replaces)."""
    pg_restore = tool("pg_restore")
    uri, env = conninfo(url)
    command = [
        pg_restore, "--clean", "--if-exists", "--no-owner", "--single-transaction",
        "--verbose", f"--dbname={uri}", str(file),
    ]  # fmt: skip
    problems = _run(command, env, "Restoring tables", archive.tables, RESTORING, progress)
    if not problems:
        return
    said = "\n".join(problems)
    damaged = "input file" in said or "unexpected end" in said
    raise BackupError(
        (f"{file} is damaged or truncated; " if damaged else "")
        + "pg_restore failed and the database is unchanged (the restore runs in one "
        + "transaction):\n"
        + said
    )
