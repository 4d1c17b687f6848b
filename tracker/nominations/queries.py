"""Reading nominations: the committee's queue (filters, sorts, counts), a nomination's history and
its candidate's record, and the plans a unit may nominate under."""
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import Select, and_, bindparam, func, select, union_all
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from tracker.audit.models import AuditEvent
from tracker.candidates.models import AwardRecord, Candidate, CandidateKind
from tracker.candidates.services import name_key
from tracker.catalogue import services as catalogue
from tracker.catalogue.models import AwardType
from tracker.connections import PREPARED
from tracker.extensions import db
from tracker.nominations.candidates import NOT_PUT_FORWARD
from tracker.nominations.models import NOMINATION_SEARCH, Nomination, NominationStatus as S
from tracker.nominations.services import AWAITING_REVIEW
from tracker.plans.models import Movement, Plan, PlanStatus
from tracker.units.models import Unit

SORTS = ("newest", "oldest", "name", "unit", "updated")


def search_nominations(visible_units: Select, *, plan_id: int | None = None, movement_id: int | None = None,
                       unit: Unit | None = None, status: str | None = None, kind: CandidateKind | None = None,
                       text: str = "", sort: str = "newest", broad: bool = False, common: bool = False) -> Select:
    """Nominations of the visible units, filtered and sorted; candidate and unit are loaded in
    the same query, plan, movement and proposed award by their ids (three tables of a few rows,
    which joined in made PostgreSQL plan the page's statement for 8 ms).

    `broad` says the filters select many rows (thousands): the page is then read by walking
    the sort's index rather than every nomination of every visible unit, which SQLite's planner
    cannot tell on its own (PostgreSQL's can, from its statistics).

    `common` says the words match many rows (a search counted past SEARCH_COUNT_CAP): each row of
    the sort's walk is tested on its key, and the page fills at once, rather than every match
    being found in the text index first (on SQLite, 80 ms for "nguyen van" at 1,000,000).

    `unit` keeps its whole subtree; `status` is a NominationStatus value or "pending" (submitted
    or resubmitted); every word of `text` must appear in the candidate's name or the
    achievements, ignoring case and diacritics.
    """
    query = (
        select(Nomination)
        .join(Nomination.candidate).join(Nomination.unit)
        .options(contains_eager(Nomination.candidate), contains_eager(Nomination.unit),
                 selectinload(Nomination.plan), selectinload(Nomination.movement),
                 selectinload(Nomination.proposed_award_type))
    )
    query = _filtered(query, visible_units, plan_id=plan_id, movement_id=movement_id, unit=unit, status=status,
                      kind=kind, broad=broad)
    words = _words(text)
    if words:
        query = query.where(and_(*(word_matches(word) for word in words)) if common else words_match(words))
    return query.order_by(*_order(sort, _handed_in_only(status)))


def _filtered(query: Select, visible_units: Select, *, plan_id=None, movement_id=None, unit: Unit | None = None,
              status: str | None = None, kind: CandidateKind | None = None, broad: bool = False) -> Select:
    """`query` (of nominations, joined to their units when `unit` is given and to their
    candidates when `kind` is) narrowed to the queue's filters other than words."""
    query = query.where(_unit_column(broad).in_(visible_units))
    if plan_id:
        query = query.where(Nomination.plan_id == plan_id)
    if movement_id:
        query = query.where(Nomination.movement_id == movement_id)
    if unit is not None:
        query = query.where(Unit.path.startswith(unit.path, autoescape=True))
    if status == "pending":
        query = query.where(Nomination.status.in_(AWAITING_REVIEW))
    elif status:
        query = query.where(Nomination.status == S(status))
    if kind is not None:
        query = query.where(Candidate.kind == kind)
    if _handed_in_only(status):  # true of them all; it lets the index walk skip the drafts' NULLs
        query = query.where(Nomination.submitted_at.is_not(None))
    return query


def _words(text: str) -> list[str]:
    """The words of a search (at most ten), without case or diacritics, as the keys hold them."""
    return name_key(text or "").split()[:10]


def _handed_in_only(status: str | None) -> bool:
    return status == "pending" or (status is not None and S(status) not in NOT_PUT_FORWARD)


def words_match(words: list[str]):
    """The search key holds every one of `words` (already without case or diacritics), read off a
    trigram index: PostgreSQL's ix_nominations_search_key_trgm (one LIKE per word), SQLite's FTS5
    table nominations_search (see the model; one lookup for all the longer words). FTS5 cannot use
    a LIKE with an ESCAPE, so on SQLite a word holding % or _ (rare) or shorter than three letters
    is matched on the keys themselves."""
    indexed, on_keys = _split_words(words)
    conditions = [word_matches(word) for word in on_keys]
    if indexed:
        conditions.append(Nomination.id.in_(select(NOMINATION_SEARCH.c.rowid).where(*_fts_likes(indexed))))
    return and_(*conditions)


def _split_words(words: list[str]) -> tuple[list[str], list[str]]:
    """(the words SQLite's FTS5 table looks up, the words matched on the keys): on PostgreSQL
    every word is one LIKE on the key, which its trigram index serves."""
    if db.session.get_bind().dialect.name != "sqlite":
        return [], words
    # Only words of three letters or more go to the trigram index (a shorter one cannot use it),
    # and they go alone: SQLite 3.40's FTS5 crashes the process on a LIKE shorter than a trigram
    # followed by a longer one in the same lookup ("le thi hoa").
    indexed = [word for word in words if len(word) >= 3 and not set(word) & set("%_")]
    return indexed, [word for word in words if word not in indexed]


def _fts_likes(words: list[str]) -> list:
    return [NOMINATION_SEARCH.c.search_key.like(f"%{word}%") for word in words]


def word_matches(word: str):
    """The search key holds `word`, as one LIKE pattern (what PostgreSQL's trigram index serves);
    typed wildcards stay literal."""
    escaped = word.replace("/", "//").replace("%", "/%").replace("_", "/_")
    return Nomination.search_key.like(f"%{escaped}%", escape="/")


def _unit_column(broad: bool):
    if broad and db.session.get_bind().dialect.name == "sqlite":
        return Nomination.unit_id + 0  # "+ 0" keeps SQLite off the unit index
    return Nomination.unit_id


def _order(sort: str, handed_in_only: bool) -> tuple:
    """The ORDER BY of a sort, written so that the indexes on (submitted_at, id) and
    (updated_at, id) serve the date sorts on either database. Nominations never handed in (no
    submitted_at) come last by submission date: SQLite puts NULLs last when descending,
    PostgreSQL's index is built that way; ascending needs that said in so many words, unless
    the status filter leaves no such nomination (`handed_in_only`)."""
    submitted, newest = Nomination.submitted_at, Nomination.submitted_at.desc()
    postgresql = db.session.get_bind().dialect.name == "postgresql"
    if postgresql:
        newest = newest.nulls_last()
    if handed_in_only:  # the index read backwards; the same order, there being no NULLs
        oldest = (submitted.asc().nulls_first() if postgresql else submitted.asc(), Nomination.id.asc())
    elif postgresql:  # ix_nominations_oldest_first: (submitted_at NULLS LAST, id)
        oldest = (submitted.asc().nulls_last(), Nomination.id.asc())
    else:  # ix_nominations_oldest_first: ((submitted_at IS NULL), submitted_at, id), these very terms
        oldest = (submitted.is_(None), submitted.asc(), Nomination.id.asc())
    orders = {
        "newest": (newest, Nomination.id.desc()),
        "oldest": oldest,
        "name": (Candidate.sort_key, Nomination.id),
        "unit": (Unit.sort_key, Candidate.sort_key, Nomination.id),
        "updated": (Nomination.updated_at.desc(), Nomination.id.desc()),
    }
    return orders.get(sort, orders["newest"])


def next_awaiting_review(visible_units: Select, current: Nomination) -> Nomination | None:
    """The nomination a reviewer is offered next: the one handed in longest ago that still awaits
    review in the visible units, other than `current`. One statement: the first of each awaiting
    status read in hand-in order off ix_nominations_review_order (status, submitted_at, id,
    unit_id), which stops at the first one in the visible units, then the older of the two.
    (Read by status in one, the awaiting rows of a whole country would be sorted: seconds.)"""
    firsts = [
        select(Nomination.id)
        .where(Nomination.status == status, Nomination.submitted_at.is_not(None),
               Nomination.unit_id.in_(visible_units), Nomination.id != current.id)
        .order_by(Nomination.submitted_at.asc(), Nomination.id.asc()).limit(1).subquery()
        for status in AWAITING_REVIEW]
    return db.session.scalar(
        select(Nomination).options(joinedload(Nomination.candidate))
        .where(Nomination.id.in_(union_all(*(select(first.c.id) for first in firsts))))
        .order_by(Nomination.submitted_at.asc(), Nomination.id.asc()).limit(1))


SEARCH_COUNT_CAP = 1000  # a text search counts its matches up to here ("more than 1,000")
BROAD = 1000  # more matching nominations than this: search_nominations(broad=True)


def first_matches(ids: Select) -> list[int]:
    """The first SEARCH_COUNT_CAP + 1 ids of `ids` (matching_ids), in no order: a text search
    cannot use the figures, so its matches are counted on these, and a page of few matches is
    read by them (the words are looked up once)."""
    return list(db.session.scalars(ids.limit(SEARCH_COUNT_CAP + 1)))


def matching_ids(visible_units: Select, filters: dict, broad: bool, on_keys: bool = False,
                 within: Unit | None = None) -> Select:
    """The ids of the nominations a search by words selects, unsorted, with only the joins its
    filters need (the unit's for a unit filter, the candidate's for a kind): the first of them
    are counted and read a page of few matches (first_matches). The words are looked up in the
    text index, or with `on_keys` tested on each nomination's key. On SQLite the FTS5 table
    leads the join, so that reading stops at the cap (read as "id IN (the index's matches)",
    every match in the country is gathered first: 35 ms for "nguyen van" at 1,000,000).

    The text index is narrowed to the subtree searched (the unit filter's, else `within`, the
    searcher's unit) by the nominations' unit paths, so that a province's search by common
    words finds its own matches in the index rather than walking the country's ("van": 80,000
    matches, 1,000 of them in the province after 26,000) each checked on its row."""
    words = _words(filters.get("text"))
    indexed, keyed = ([], words) if on_keys else _split_words(words)
    query = select(Nomination.id)
    if indexed:
        query = (query.select_from(NOMINATION_SEARCH).join(Nomination, Nomination.id == NOMINATION_SEARCH.c.rowid)
                 .where(*_fts_likes(indexed)))
    subtree = filters.get("unit") or within
    if not on_keys and subtree is not None and subtree.parent_id is not None:  # (the root's is everything)
        query = query.where(_in_subtree(subtree, on_index=bool(indexed)))
    if filters.get("unit") is not None:
        query = query.join(Nomination.unit)
    if filters.get("kind") is not None:
        query = query.join(Nomination.candidate)
    query = query.where(*(word_matches(word) for word in keyed))
    return _filtered(query, visible_units, broad=broad, **{key: filters.get(key) for key in _FILTERS})


def _in_subtree(unit: Unit, on_index: bool):
    """The nomination's unit lies in `unit`'s subtree, as the text index reads it: on SQLite
    (`on_index`: the FTS5 table leads) the path holds "/<id>/" (ids are unique, so only the
    subtree's paths hold it), read off the table's trigrams with the words'; on PostgreSQL the
    path starts with the unit's, a range of ix_nominations_unit_path that it intersects with the
    trigram index's matches. A path holds digits and slashes only: no wildcard to escape. (On
    SQLite a search whose words are all too short for the index tests the path on each row.)"""
    if on_index:
        return NOMINATION_SEARCH.c.unit_path.like(f"%/{unit.id}/%")
    return Nomination.unit_path.like(f"{unit.path}%")


_FILTERS = ("plan_id", "movement_id", "unit", "status", "kind")


def search_by_words(visible_units: Select, filters: dict, broad: bool, within: Unit) -> tuple[Select, int, bool]:
    """A search with words (filters["text"]): its query, its matches counted up to
    SEARCH_COUNT_CAP, and whether there were more.

    The first SEARCH_COUNT_CAP + 1 matches' ids are read once: filters that select few
    nominations (not `broad`: BROAD or fewer, as a ward's queue) by testing each one's key,
    without the text index, whose matches in the whole country may be many more than the ward's
    rows; broader ones off the text index, narrowed to the subtree searched (the unit filter's,
    else the searcher's unit `within`). Few matches are read by those ids and sorted (the words
    are not looked up again), never by walking the sort's index until enough turn up (rarer
    words' matches lie far apart in that walk; PostgreSQL's planner, guessing how many rows the
    words match, chose it and read a whole country's queue: 3 s for "phuc tam" at 1,000,000
    nominations); many are read in the queue's own order, each key tested
    (search_nominations(common=True)), where common words fill a page at once."""
    found = first_matches(matching_ids(visible_units, filters, broad, on_keys=not broad, within=within))
    if len(found) > SEARCH_COUNT_CAP:
        return search_nominations(visible_units, **filters, broad=broad, common=True), len(found), True
    page = search_nominations(visible_units, **{**filters, "text": ""}, broad=broad)
    return page.where(Nomination.id.in_(found)), len(found), False


def events_of(nomination: Nomination) -> list[AuditEvent]:
    """The nomination's history, oldest first."""
    return list(db.session.scalars(
        select(AuditEvent).where(AuditEvent.entity_type == "Nomination", AuditEvent.entity_id == nomination.id)
        .order_by(AuditEvent.id)))


@dataclass
class CandidateRecord:
    nominations: list[Nomination] = field(default_factory=list)
    awards: list = field(default_factory=list)


def candidate_record(candidate: Candidate, visible_units: Select, exclude_id: int | None = None) -> CandidateRecord:
    """The candidate's other nominations (in the visible units) and the awards it received."""
    query = (select(Nomination).where(Nomination.candidate_id == candidate.id,
                                      Nomination.unit_id.in_(visible_units))
             .options(joinedload(Nomination.plan), joinedload(Nomination.unit), joinedload(Nomination.movement))
             .order_by(Nomination.id.desc()))
    if exclude_id is not None:
        query = query.where(Nomination.id != exclude_id)
    awards = db.session.scalars(
        select(AwardRecord).where(AwardRecord.candidate_id == candidate.id)
        .options(joinedload(AwardRecord.award_type)).order_by(AwardRecord.year.desc(), AwardRecord.id.desc()))
    return CandidateRecord(list(db.session.scalars(query)), list(awards))


def load_for_review(ids: list[int], visible_units: Select) -> list[Nomination]:
    """The visible nominations among `ids`, with their candidates (one query)."""
    if not ids:
        return []
    return list(db.session.scalars(
        select(Nomination).where(Nomination.id.in_(ids), Nomination.unit_id.in_(visible_units))
        .options(joinedload(Nomination.candidate), joinedload(Nomination.unit), joinedload(Nomination.plan))
        .order_by(Nomination.id)).unique())


def plans_for_nominating(unit: Unit) -> list[Plan]:
    """Active plans a unit may nominate under: issued by the unit or a unit above it."""
    return list(db.session.scalars(
        select(Plan).where(Plan.status == PlanStatus.ACTIVE, Plan.issuing_unit_id.in_(unit.ancestor_ids))
        .options(joinedload(Plan.movements)).order_by(Plan.issued_date.desc(), Plan.id.desc())).unique())


def award_choices(plan: Plan) -> list[AwardType]:
    """The active catalogue awards a nomination under `plan` may propose (the plan's regime)."""
    return catalogue.award_choices(plan.issued_date)


def placed(nomination_id: int, tree_now, fresh: bool = False) -> tuple[tuple | None, bool]:
    """((id, path, depth) of the nomination's unit, or None when there is no such nomination;
    whether that came from what this process holds): what its page is permitted on.

    A nomination never changes unit (only its unit's place in the tree changes), so each process
    holds the unit's id of the nominations it has read, up to PLACES_HELD of them, and takes the
    unit's place from `tree_now()` (tracker.pagecache.tree.current: held under the tree's
    version): the gate of a kept page then costs no statement once the unit is in the process's
    tree. A nomination read for the first time, or `fresh` (the caller was about to refuse on
    what is held: a row changed around the services is never refused on the old unit), costs one
    small read of both; one not found is never held (it may be made next). The body behind the
    gate is rendered from the nomination's row permitted again.

    With the page cache off (PAGE_CACHE_MB = 0) nothing is held: every request reads afresh."""
    holding = bool(current_app.config.get("PAGE_CACHE_MB", 32))
    held = current_app.extensions.setdefault(_HELD, {}) if holding else {}
    unit_id = None if fresh else held.get(nomination_id)
    if unit_id is not None:
        unit = tree_now().unit(unit_id)
        return (None if unit is None else (unit.id, unit.path, unit.depth)), True
    row = db.session.connection().execute(_PLACED, {"nomination_id": nomination_id}).first()
    if row is None:
        held.pop(nomination_id, None)
    elif holding:
        if len(held) >= PLACES_HELD:
            held.clear()  # rather than a bookkeeping of the oldest: read again as asked for
        held[nomination_id] = row.id
    return (None if row is None else tuple(row)), False


def forget_units() -> None:
    """Drop the units this process holds (tracker.pagecache.clear calls it)."""
    current_app.extensions.pop(_HELD, None)


PLACES_HELD = 200_000  # nominations (about 20 MB a process at most)
_HELD = "tracker.nominations.units_held"
# The nomination by its key, then its unit by its key (a subquery, so that no planner starts
# from the units).
_PLACED = (select(Unit.__table__.c.id, Unit.__table__.c.path, Unit.__table__.c.depth)
           .where(Unit.__table__.c.id == select(Nomination.__table__.c.unit_id)
                  .where(Nomination.__table__.c.id == bindparam("nomination_id")).scalar_subquery())
           .execution_options(**PREPARED))  # by keys: kept prepared (tracker.connections)


def movements_of(plan_ids) -> list[Movement]:
    """The movements of the given plans, in their plans' order (the queue's movement filter)."""
    if not plan_ids:
        return []
    return list(db.session.scalars(select(Movement).where(Movement.plan_id.in_(plan_ids))
                                   .order_by(Movement.plan_id, Movement.position)))


def of_candidate(candidate: Candidate) -> list[Nomination]:
    """Every nomination of the candidate, newest first, with its plan (the history page)."""
    return list(db.session.scalars(select(Nomination).where(Nomination.candidate_id == candidate.id)
                                   .options(joinedload(Nomination.plan)).order_by(Nomination.id.desc())))
