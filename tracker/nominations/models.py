"""Nominations: a candidate put forward by a unit under a plan and movement."""
import enum
from datetime import date, datetime
from typing import Optional

from sqlalchemy import DDL, Date, DateTime, ForeignKey, Index, Integer, String, Text, column, event, table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.candidates.models import Candidate
from tracker.catalogue.models import AwardType
from tracker.extensions import db
from tracker.models_base import TimestampMixin, Versioned, enum_column
from tracker.plans.models import Movement, Plan
from tracker.units.models import Unit


class NominationStatus(enum.Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    RESUBMITTED = "resubmitted"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    AWARDED = "awarded"


class Nomination(Versioned, TimestampMixin, db.Model):
    __tablename__ = "nominations"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    movement_id: Mapped[Optional[int]] = mapped_column(ForeignKey("movements.id"), index=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    achievements: Mapped[str] = mapped_column(Text, default="")
    # What achievement is proposed for reward, named (Law art. 5: one achievement, one reward);
    # empty: the campaign's work (its plan, movement and period).
    achievement_title: Mapped[str] = mapped_column(String(300), default="", server_default="")
    period_start_year: Mapped[Optional[int]]
    period_end_year: Mapped[Optional[int]]
    meeting_date: Mapped[Optional[date]] = mapped_column(Date)
    members_present: Mapped[Optional[int]]
    votes_for: Mapped[Optional[int]]
    proposed_award_type_id: Mapped[Optional[int]] = mapped_column(ForeignKey("award_types.id"))
    # The honour the ward proposes in its own words when it is not (yet) a catalogue award.
    proposed_honour: Mapped[str] = mapped_column(String(300), default="", server_default="")
    # Candidate name and achievements, lower-case and without diacritics, for text search.
    search_key: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The nominating unit's path (units.path, "/1/5/23/"), rewritten with it when the unit moves
    # (nominations.units.follow_units): a search by words narrows the text index to a subtree
    # with it before any row is read (queries.matching_ids). No default: a row written around
    # the services without it is refused (PostgreSQL); `flask rebuild-stats` repairs paths.
    unit_path: Mapped[str] = mapped_column(Text)
    status: Mapped[NominationStatus] = mapped_column(
        enum_column(NominationStatus), default=NominationStatus.DRAFT, index=True
    )
    review_comment: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    created_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))

    plan: Mapped[Plan] = relationship()
    movement: Mapped[Optional[Movement]] = relationship()
    candidate: Mapped[Candidate] = relationship()
    unit: Mapped[Unit] = relationship()
    proposed_award_type: Mapped[Optional[AwardType]] = relationship()

    # The queue's default order (newest hand-in first, never handed in last) read straight off
    # an index: SQLite walks (submitted_at, id) backwards (its NULLs sort first); PostgreSQL
    # gets the index in that very order (its NULLs sort last ascending).
    __table_args__ = (
        Index("ix_nominations_submitted_at_id", "submitted_at", "id",
              postgresql_ops={"submitted_at": "DESC NULLS LAST", "id": "DESC"}, info={"per_dialect": True}),
        Index("ix_nominations_updated_at_id", "updated_at", "id"),
        # The next nomination a reviewer is offered (queries.next_awaiting_review): each awaiting
        # status in hand-in order, with the unit to filter on, read from the index alone.
        Index("ix_nominations_review_order", "status", "submitted_at", "id", "unit_id"),
        # A search by words ("every word somewhere in the name or the achievements") reads this
        # trigram index on PostgreSQL instead of every search key; on SQLite, NOMINATION_SEARCH.
        # Each write goes into it at once (fastupdate off): no pending list for searches to read.
        Index("ix_nominations_search_key_trgm", "search_key", postgresql_using="gin",
              postgresql_ops={"search_key": "gin_trgm_ops"}, postgresql_with={"fastupdate": "off"},
              info={"per_dialect": True}).ddl_if(dialect="postgresql"),
        # A subtree's nominations by the prefix of their unit's path, which PostgreSQL intersects
        # with the trigram index's matches (a bitmap AND); SQLite's NOMINATION_SEARCH holds it.
        Index("ix_nominations_unit_path", "unit_path", postgresql_ops={"unit_path": "text_pattern_ops"},
              info={"per_dialect": True}).ddl_if(dialect="postgresql"),
    )

    @property
    def vote_share(self) -> float | None:
        """Votes in favour as a percentage of the members present (one decimal), or None."""
        if not self.members_present or self.votes_for is None:
            return None
        return round(100 * self.votes_for / self.members_present, 1)

    @property
    def proposed_honour_label(self) -> str:
        """The proposed honour: the catalogue award's name, or the ward's own words."""
        if self.proposed_award_type is not None:
            return self.proposed_award_type.name
        return self.proposed_honour or ""


# The trigram operators of the index above (a trusted extension: the database's owner may add it).
event.listen(db.metadata, "before_create",
             DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm").execute_if(dialect="postgresql"))

# "Oldest hand-in first, never handed in last" read off an index on either database; each writes
# it its own way (an expression index on SQLite), so the migration and this say it by hand.
OLDEST_FIRST = {
    "sqlite": "CREATE INDEX ix_nominations_oldest_first ON nominations ((submitted_at IS NULL), submitted_at, id)",
    "postgresql": "CREATE INDEX ix_nominations_oldest_first ON nominations (submitted_at ASC NULLS LAST, id)",
}
for _dialect, _statement in OLDEST_FIRST.items():
    event.listen(Nomination.__table__, "after_create", DDL(_statement).execute_if(dialect=_dialect))

# On SQLite, the trigram index of the search keys and of the units' paths: an FTS5 table over
# nominations (external content: it stores only the index), kept by the database itself like any
# index, by the triggers below; tracker.nominations.queries reads it. PostgreSQL has the two
# indexes above instead. The migration writes the same statements.
NOMINATION_SEARCH = table("nominations_search", column("rowid", Integer), column("search_key", Text),
                          column("unit_path", Text))
SEARCH_INDEX_SQLITE = (
    "CREATE VIRTUAL TABLE nominations_search USING fts5(search_key, unit_path, content='nominations', "
    "content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER nominations_search_insert AFTER INSERT ON nominations BEGIN "
    "INSERT INTO nominations_search(rowid, search_key, unit_path) VALUES (new.id, new.search_key, new.unit_path); END",
    "CREATE TRIGGER nominations_search_delete AFTER DELETE ON nominations BEGIN "
    "INSERT INTO nominations_search(nominations_search, rowid, search_key, unit_path) "
    "VALUES ('delete', old.id, old.search_key, old.unit_path); END",
    "CREATE TRIGGER nominations_search_update AFTER UPDATE OF search_key, unit_path ON nominations BEGIN "
    "INSERT INTO nominations_search(nominations_search, rowid, search_key, unit_path) "
    "VALUES ('delete', old.id, old.search_key, old.unit_path); "
    "INSERT INTO nominations_search(rowid, search_key, unit_path) VALUES (new.id, new.search_key, new.unit_path); END",
)
for _statement in SEARCH_INDEX_SQLITE:
    event.listen(Nomination.__table__, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
