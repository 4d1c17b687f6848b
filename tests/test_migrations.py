"""Migrations: one head, upgrade from empty, models agree with migrations, downgrade to base."""
import os
import uuid

import flask_migrate
import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text
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
