"""Declarative base with a constraint naming convention, shared mixins and enums."""
import enum
from datetime import datetime

from sqlalchemy import DateTime, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, object_session
from sqlalchemy.orm.exc import StaleDataError

from tracker import clock
from tracker.errors import ConflictError

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    """The tracker's now, aware UTC (tracker.clock.now: a pinned TRACKER_TODAY is honoured); used
    as a column default (a callable, evaluated per row)."""
    return clock.now()


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class Versioned:
    """A record people change through forms, guarded against lost updates (optimistic locking).

    Each form carries the version it was built from; the service refuses a save from another
    version (check_version) and moves the version on when it changes the record (new_version).
    Every UPDATE of the row also says "WHERE version = <the version read>", so two requests
    racing past the check cannot both win: the loser's flush matches no row and new_version
    turns that into the same ConflictError.
    """

    version: Mapped[int] = mapped_column(default=1)

    @declared_attr.directive
    def __mapper_args__(cls):
        return {"version_id_col": cls.__table__.c.version, "version_id_generator": False}


def check_version(record: Versioned, expected_version: int | None, message) -> None:
    """Refuse with ConflictError(`message`) a change made from a form built at another version of
    `record`. None means the caller holds no form version (imports, the shell): nothing to check."""
    if expected_version is not None and expected_version != record.version:
        raise ConflictError(message)


def new_version(record: Versioned, message) -> None:
    """Move `record`'s version on and write the pending changes now. When another request saved
    the row since it was read (the guarded UPDATE matches nothing), ConflictError(`message`);
    the caller rolls back as after any DomainError."""
    record.version += 1
    try:
        object_session(record).flush()
    except StaleDataError:
        raise ConflictError(message) from None


def enum_column(enum_cls: type[enum.Enum], length: int = 20):
    """Store an enum by its readable value, without a database-level enum type."""
    from sqlalchemy import Enum

    return Enum(
        enum_cls,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


# A name's key in Vietnamese alphabetical order (tracker.collation) compares character by
# character: PostgreSQL's "C" collation (its default one would re-order it by the server's
# locale); SQLite's default BINARY already does.
SORT_KEY_TYPE = String(400).with_variant(String(400, collation="C"), "postgresql")
