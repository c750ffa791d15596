"""Schema migrations, reference data and the demo data set: what `arna db ...` runs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from arna.bodies.actions import sync_bodies
from arna.core import audit
from arna.core.db import Database
from arna.core.settings import Settings
from arna.core.sync import SyncCounts
from arna.geo.actions import sync_geo
from arna.representatives.actions import sync_reference as sync_representatives

SYSTEM_ACTOR = "system:reference-loader"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", "arna:migrations")
    return config


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def migrate(db: Database) -> None:
    config = alembic_config()
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


@dataclass
class UpgradeReport:
    revision: str | None
    tables: list[SyncCounts] = field(default_factory=list)

    @property
    def inserted(self) -> int:
        return sum(t.inserted for t in self.tables)

    @property
    def updated(self) -> int:
        return sum(t.updated for t in self.tables)

    def as_dict(self) -> dict[str, Any]:
        return {
            "revision": self.revision,
            "inserted": self.inserted,
            "updated": self.updated,
            "tables": [t.as_dict() for t in self.tables],
        }


def load_reference(db: Database) -> list[SyncCounts]:
    """Bring the reference tables in line with the bundled data, in one transaction."""
    with db.write() as session:
        counts = sync_geo(session) + sync_bodies(session) + sync_representatives(session)
        if any(c.changed for c in counts):
            audit.record(
                session,
                actor=SYSTEM_ACTOR,
                action="reference.load",
                entity_type="reference",
                entity_id="kz",
                new={c.table: {"inserted": c.inserted, "updated": c.updated} for c in counts},
                reason="bundled reference data loaded",
            )
    return counts


def upgrade(db: Database) -> UpgradeReport:
    migrate(db)
    return UpgradeReport(current_revision(db), load_reference(db))


def seed_demo(
    db: Database, seed: int = 2026, settings: Settings | None = None
) -> dict[str, dict[str, int]]:
    """Reference data, then each slice's demo set (deterministic for a seed and a day). The
    listening season is stored under `settings.data_dir` (left out without `settings`)."""
    from arna.appeals import demo as appeals_demo
    from arna.listening import demo as listening_demo
    from arna.opinion import demo as opinion_demo
    from arna.petitions import demo as petitions_demo
    from arna.representatives import demo as representatives_demo
    from arna.surveys import demo as surveys_demo

    report = upgrade(db)
    result = {
        "reference": {"inserted": report.inserted, "updated": report.updated},
        "appeals": appeals_demo.seed(db, seed),
        "representatives": representatives_demo.seed(db, seed),
        "petitions": petitions_demo.seed(db, seed, settings=settings),
        "opinion": opinion_demo.seed(db, seed),
        "surveys": surveys_demo.seed(db, seed),
    }
    if settings is not None:
        result["listening"] = listening_demo.seed(settings, seed)
    return result
