"""Migrations: one head, upgrade from empty, models agree with migrations, downgrade to base."""
import os
import uuid

import flask_migrate
import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.engine import make_url

from tests.conftest import DATABASE_URL, IS_POSTGRES
from tracker import create_app

MIGRATIONS = os.path.join(os.path.dirname(os.path.dirname(__file__)), "migrations")


def test_single_head():
    config = Config(os.path.join(MIGRATIONS, "alembic.ini"))
    config.set_main_option("script_location", MIGRATIONS)
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1


def test_migration_file_names_are_dated():
    import re

    names = [n for n in os.listdir(os.path.join(MIGRATIONS, "versions")) if n.endswith(".py")]
    assert names and all(re.match(r"^\d{8}_\d{4}_[0-9a-f]+_\w+\.py$", n) for n in names), names


@pytest.fixture
def empty_database(tmp_path):
    """A fresh, empty database of the kind under test, removed afterwards."""
    if not IS_POSTGRES:
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    url = make_url(DATABASE_URL)
    name = f"{url.database}_mig_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_upgrade_check_and_downgrade(empty_database):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database)
    with app.app_context():
        flask_migrate.upgrade(directory=MIGRATIONS)
        from tracker.extensions import db

        tables = set(inspect(db.engine).get_table_names())
        expected = {
            "units", "users", "plans", "movements", "milestones", "progress_reports", "candidates",
            "nominations", "award_types", "award_records", "proposals", "proposal_items",
            "decisions", "attachments", "audit_events",
        }
        assert expected <= tables
        if IS_POSTGRES:  # the trigram index takes each write at once: no pending list for searches to read
            assert db.session.scalar(text("SELECT reloptions FROM pg_class "
                                          "WHERE relname = 'ix_nominations_search_key_trgm'")) == ["fastupdate=off"]
        # Autogenerate finds no difference between the models and the migrated schema.
        flask_migrate.check(directory=MIGRATIONS)
        flask_migrate.downgrade(directory=MIGRATIONS, revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.session.remove()
        db.engine.dispose()


def _insert(connection, table: str, **values) -> None:
    """A row of `table` with `values`, and a plain value of its type in every other column that
    must have one (no default, not nullable)."""
    from datetime import date, datetime, timezone

    plain = {int: 1, str: "x", bool: False, datetime: datetime(2020, 1, 1, tzinfo=timezone.utc), date: date(2020, 1, 1)}
    for column in inspect(connection).get_columns(table):
        if column["name"] not in values and not column["nullable"] and column.get("default") is None \
                and not column.get("autoincrement") is True and column["name"] != "id":
            values[column["name"]] = plain[column["type"].python_type]
    names = ", ".join(values)
    connection.execute(text(f"INSERT INTO {table} ({names}) VALUES ({', '.join(':' + n for n in values)})"), values)


def test_the_nominations_already_there_take_their_units_paths(empty_database):
    """Upgrading a database that holds nominations gives each one its unit's path, and a search
    narrowed to the unit's subtree finds it (on SQLite, in the text index made again)."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database)
    with app.app_context():
        from tracker.extensions import db

        flask_migrate.upgrade(directory=MIGRATIONS, revision="e2f4a6c8d0b3")
        connection = db.session.connection()
        _insert(connection, "units", id=1, code="VN", kind="other", path="/1/", depth=0)
        _insert(connection, "units", id=2, code="P1", kind="province", path="/1/2/", depth=1, parent_id=1)
        _insert(connection, "plans", id=1, issuing_unit_id=1)
        _insert(connection, "candidates", id=1, unit_id=2, full_name="Nguyễn Văn An")
        _insert(connection, "nominations", id=7, plan_id=1, candidate_id=1, unit_id=2, search_key="nguyen van an")
        db.session.commit()
        flask_migrate.upgrade(directory=MIGRATIONS)
        from tracker.nominations.models import NOMINATION_SEARCH, Nomination
        from tracker.nominations.queries import _in_subtree
        from tracker.units.models import Unit

        unit = db.session.get(Unit, 2)
        assert db.session.scalar(text("SELECT unit_path FROM nominations WHERE id = 7")) == "/1/2/"
        if IS_POSTGRES:
            found = select(Nomination.id).where(Nomination.search_key.like("%van%"), _in_subtree(unit, on_index=False))
        else:
            found = select(NOMINATION_SEARCH.c.rowid).where(NOMINATION_SEARCH.c.search_key.like("%van%"),
                                                            _in_subtree(unit, on_index=True))
        assert db.session.scalars(found).all() == [7]
        db.session.rollback()  # (what it read stays locked until then on PostgreSQL)
        flask_migrate.downgrade(directory=MIGRATIONS, revision="e2f4a6c8d0b3")
        if not IS_POSTGRES:  # the table of before, filled again
            found = text("SELECT rowid FROM nominations_search WHERE search_key LIKE '%van%'")
            assert db.session.scalars(found).all() == [7]
        # nothing else of the table is lost on the way down (its indexes, the expression index too)
        assert "unit_path" not in {column["name"] for column in inspect(db.engine).get_columns("nominations")}
        indexes = db.session.execute(text(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'nominations'" if IS_POSTGRES else
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'nominations'")).scalars().all()
        assert "ix_nominations_oldest_first" in indexes and "ix_nominations_unit_path" not in indexes, indexes
        db.session.remove()
        db.engine.dispose()
