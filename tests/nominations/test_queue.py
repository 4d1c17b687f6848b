"""The committee's queue at any scale: totals from the running figures, a text search counted up
to a cap, a unit filter that drills down the tree, and date orders that put the never handed in
last on both databases."""
import re
from datetime import datetime, timedelta, timezone

import pytest

from tracker.nominations import queries
from tracker.stats import figures
from tests.factories import make_nomination, make_user
from tracker import pagecache
from tracker.candidates.models import CandidateKind
from tracker.permissions import visible_unit_ids
from tracker.users.models import Role
from tracker.commit import commit


def _rows(html: str) -> list[str]:
    return re.findall(r'data-testid="nomination-link">([^<]+)<', html)


def _unit_options(html: str) -> list[str]:
    select = re.search(r'<select[^>]*name="unit"[^>]*>(.*?)</select>', html, re.S).group(1)
    return [label.replace("— ", "").strip() for label in re.findall(r"<option[^>]*>([^<]*)</option>", select)]


@pytest.fixture
def mix(users, plan, db):
    """Eleven nominations of city A: both wards, both movements, both kinds, six statuses."""
    made = []
    specs = [("officer", 0, "individual", "submitted"), ("officer", 1, "individual", "resubmitted"),
             ("officer", 0, "collective", "accepted"), ("officer", 1, "individual", "draft"),
             ("officer", 0, "individual", "returned"), ("officer", 0, "collective", "submitted"),
             ("officer_a2", 1, "individual", "submitted"), ("officer_a2", 0, "individual", "rejected"),
             ("officer_a2", 1, "collective", "withdrawn"), ("officer_a2", 0, "individual", "draft"),
             ("officer_a2", 0, "individual", "accepted")]
    for i, (officer, movement, kind, status) in enumerate(specs):
        made.append(make_nomination(users[officer], plan, plan.movements[movement], name=f"Người số {i}",
                                    kind=kind, status=status, reviewer=users["committee"], birth_year=1970 + i))
    commit()
    return made


def test_totals_from_the_figures_match_the_rows_for_every_filter(users, plan, mix, tree, db):
    committee = users["committee"]
    visible = visible_unit_ids(committee)
    for status in (None, "pending", "submitted", "draft", "accepted"):
        for kind in (None, CandidateKind.INDIVIDUAL, CandidateKind.COLLECTIVE):
            for movement_id in (None, plan.movements[1].id):
                for unit in (None, tree["ward_a2"]):
                    filters = {"plan_id": plan.id, "movement_id": movement_id, "unit": unit, "status": status,
                               "kind": kind}
                    rows = db.session.scalars(queries.search_nominations(visible, **filters)).all()
                    assert figures.count_nominations(committee.unit, **filters) == len(rows), filters
    assert figures.count_nominations(committee.unit, status="pending") == 4


def test_the_page_shows_the_total_and_pages_through_it(client, login_as, users, mix, app, monkeypatch):
    monkeypatch.setitem(app.config, "PER_PAGE", 3)
    login_as(users["committee"])
    first = client.get("/nominations/?status=pending").get_data(as_text=True)
    second = client.get("/nominations/?status=pending&page=2").get_data(as_text=True)
    assert "4 bản ghi" in first and len(_rows(first)) == 3 and len(_rows(second)) == 1
    assert not set(_rows(first)) & set(_rows(second))


def test_a_text_search_counts_up_to_the_cap(client, login_as, users, mix, monkeypatch):
    login_as(users["committee"])
    html = client.get("/nominations/?q=nguoi+so").get_data(as_text=True)
    assert "11 bản ghi" in html and 'data-testid="total-capped"' not in html
    monkeypatch.setattr(queries, "SEARCH_COUNT_CAP", 5)
    pagecache.clear()  # a setting changed, not the data
    html = client.get("/nominations/?q=nguoi+so").get_data(as_text=True)
    assert 'data-testid="total-capped"' in html and "Hơn 5 bản ghi" in html
    html = client.get("/nominations/?q=nguoi+so&status=pending").get_data(as_text=True)
    assert "4 bản ghi" in html and 'data-testid="total-capped"' not in html


def test_a_search_reads_the_same_page_whichever_way_it_finds_its_matches(client, login_as, users, mix, db, app,
                                                                          monkeypatch):
    """The same rows in the same order whichever way the matches are found: filters selecting
    few nominations (a ward's queue) have each key tested, the text index never read; with many
    (BROAD lowered here), the first matches' ids are read off the index, and few matches are read by those ids
    while more than the cap are read in the queue's own order, each row's key tested."""
    from tests.conftest import IS_POSTGRES
    from tests.sql import statements

    monkeypatch.setitem(app.config, "PER_PAGE", 3)
    login_as(users["committee"])
    shown = {"/nominations/?q=nguoi+so": 3, "/nominations/?q=nguoi+so&sort=name&page=2": 3,
             "/nominations/?q=so+nguoi&sort=oldest": 3, "/nominations/?q=nguoi+so+10&sort=name": 1}
    for url, count in shown.items():
        # (BROAD, SEARCH_COUNT_CAP) -> the statements naming SQLite's text index: none, then the
        # one that reads the first matches' ids (the page is read by those ids, or in the
        # queue's order when there are more than the cap)
        ways = {(1000, 1000): 0, (5, 1000): 1, (5, 5): 1}
        pages = []
        for (broad, cap), index_reads in ways.items():
            monkeypatch.setattr(queries, "BROAD", broad)
            monkeypatch.setattr(queries, "SEARCH_COUNT_CAP", cap)
            pagecache.clear()  # a setting changed, not the data
            with statements(db) as seen:
                pages.append(_rows(client.get(url).get_data(as_text=True)))
            assert sum("nominations_search" in s for s in seen) == (0 if IS_POSTGRES else index_reads), (url, seen)
        assert pages[0] == pages[1] == pages[2] and len(pages[0]) == count, (url, pages)


def test_a_search_finds_what_a_moved_unit_nominated_in_its_new_place(client, login_as, users, mix, tree, db, app,
                                                                     monkeypatch):
    """The text index narrows a search to the searcher's subtree by the nominations' unit
    paths, and a unit's move carries its nominations' paths with it: city B's committee finds
    the nominations of the ward moved into city B (and city A's no longer does), whichever way
    the matches are found, and the move changes nothing else of theirs (their last change)."""
    from sqlalchemy import select

    from tests.sql import statements
    from tracker.nominations.models import Nomination
    from tracker.nominations.units import update_unit

    moved = tree["ward_a2"]
    stamps = select(Nomination.id, Nomination.updated_at).where(Nomination.unit_id == moved.id)
    before = dict(db.session.execute(stamps).all())
    update_unit(users["admin_root"], moved, moved.name, moved.code, moved.kind, tree["city_b"])
    commit()
    assert dict(db.session.execute(stamps).all()) == before and len(before) == 5
    assert set(db.session.scalars(select(Nomination.unit_path).where(Nomination.unit_id == moved.id))) == {moved.path}
    assert moved.path.startswith(tree["city_b"].path)

    monkeypatch.setattr(queries, "BROAD", 3)  # both committees' queues are "broad": the text index counts
    for user, count in ((users["committee_b"], 5), (users["committee"], 6)):
        login_as(user)
        for broad in (3, 1000):  # the index narrowed to the subtree, then each key tested
            monkeypatch.setattr(queries, "BROAD", broad)
            pagecache.clear()  # a setting changed, not the data
            with statements(db) as seen:
                html = client.get("/nominations/?q=nguoi+so").get_data(as_text=True)
            assert f"{count} bản ghi" in html and len(_rows(html)) == count, (user.username, broad)
            narrowed = [s for s in seen if "unit_path LIKE" in s]
            assert len(narrowed) == (1 if broad == 3 else 0), seen  # the matches' ids (the page is read by them)


def test_a_subtree_is_read_off_an_index_with_the_words(db, tree):
    """The condition that narrows a search to a subtree is one an index serves: PostgreSQL reads
    ix_nominations_unit_path (with sequential scans ruled out), which it may intersect with the
    trigram index's matches (the bench's plans do); SQLite's FTS5 table takes it as one more
    LIKE of the words' lookup."""
    from sqlalchemy import select, text

    from tests.conftest import IS_POSTGRES
    from tracker.nominations.models import NOMINATION_SEARCH, Nomination
    from tracker.nominations.queries import _in_subtree

    if IS_POSTGRES:
        db.session.execute(text("SET LOCAL enable_seqscan = off"))
        query = select(Nomination.id).where(_in_subtree(tree["city_a"], on_index=False))
    else:
        query = select(NOMINATION_SEARCH.c.rowid).where(NOMINATION_SEARCH.c.search_key.like("%nguyen%"),
                                                        _in_subtree(tree["city_a"], on_index=True))
    compiled = query.compile(db.engine)
    params = compiled.params if IS_POSTGRES else tuple(compiled.params.values())
    plan = "\n".join(str(row[-1] if not IS_POSTGRES else row[0]) for row in db.session.connection().exec_driver_sql(
        f"EXPLAIN {'' if IS_POSTGRES else 'QUERY PLAN '}{compiled}", params))
    if IS_POSTGRES:
        assert "ix_nominations_unit_path" in plan, plan
    else:
        index = re.search(r"nominations_search VIRTUAL TABLE INDEX 0:(\S+)", plan).group(1)
        assert sorted(re.findall(r"L\d", index)) == ["L0", "L1"], plan  # the key's LIKE and the path's, one lookup


def test_the_unit_filter_drills_down_the_tree(client, login_as, tree, users, mix, db):
    province_committee = make_user(Role.COMMITTEE, tree["province"], "committee_province")
    commit()
    login_as(province_committee)
    html = client.get("/nominations/").get_data(as_text=True)
    assert _unit_options(html) == ["Tất cả đơn vị", "Tỉnh Thử Nghiệm", "Thành phố A", "Thành phố B"]
    html = client.get(f"/nominations/?unit={tree['city_a'].id}").get_data(as_text=True)
    assert _unit_options(html) == ["Tất cả đơn vị", "Tỉnh Thử Nghiệm", "Thành phố A", "Phường A1", "Xã A2",
                                   "Thành phố B"]
    assert len(_rows(html)) == 11
    html = client.get(f"/nominations/?unit={tree['ward_a2'].id}").get_data(as_text=True)
    assert "Xã A2" in _unit_options(html) and len(_rows(html)) == 5


def test_date_orders_put_the_never_handed_in_last(client, login_as, users, mix, db):
    start = datetime(2020, 3, 1, tzinfo=timezone.utc)
    handed_in = [n for n in mix if n.submitted_at is not None]
    for days, nomination in enumerate(handed_in):
        nomination.submitted_at = start + timedelta(days=days)
    commit()
    names = [n.candidate.full_name for n in handed_in]
    drafts = sorted((n for n in mix if n.submitted_at is None), key=lambda n: n.id)
    login_as(users["committee"])
    newest = _rows(client.get("/nominations/?sort=newest").get_data(as_text=True))
    assert newest == names[::-1] + [n.candidate.full_name for n in drafts[::-1]]
    oldest = _rows(client.get("/nominations/?sort=oldest").get_data(as_text=True))
    assert oldest == names + [n.candidate.full_name for n in drafts]
    pending = [n.candidate.full_name for n in handed_in if n.status.value in ("submitted", "resubmitted")]
    assert _rows(client.get("/nominations/?sort=oldest&status=pending").get_data(as_text=True)) == pending
    assert _rows(client.get("/nominations/?status=pending").get_data(as_text=True)) == pending[::-1]


def test_a_search_by_words_can_read_the_trigram_index(users, db):
    """PostgreSQL: the word condition the queue writes is one the trigram index serves (with
    sequential scans ruled out, the plan reads the index; a condition it cannot serve would
    still scan the table). Typed wildcards stay literal."""
    from sqlalchemy import select, text

    from tests.conftest import IS_POSTGRES
    from tracker.nominations.models import Nomination
    from tracker.nominations.queries import word_matches

    if not IS_POSTGRES:
        pytest.skip("the trigram index is PostgreSQL's")
    db.session.execute(text("SET LOCAL enable_seqscan = off"))
    query = select(Nomination.id).where(word_matches("nguyen"), word_matches("50%_x"))
    compiled = query.compile(db.engine)
    plan = "\n".join(row[0] for row in db.session.connection().exec_driver_sql(f"EXPLAIN {compiled}",
                                                                                compiled.params))
    assert "ix_nominations_search_key_trgm" in plan, plan
    assert compiled.params["search_key_2"] == "%50/%/_x%"


def test_a_search_run_many_times_is_planned_for_its_words_on_postgresql(users, db):
    """psycopg prepares a statement run often, and PostgreSQL may then plan it once for any
    words: that plan walks the queue's order instead of the index (seconds at national scale).
    Nothing is prepared here but the lookups by keys marked so (tracker.connections): the
    queue's search, run ten times on one connection, is never prepared (each run is planned for
    its words), while the signed-in user's statement, run as often, is."""
    from flask import current_app
    from sqlalchemy import select

    from tests.conftest import IS_POSTGRES
    from tracker.nominations.models import Nomination
    from tracker.nominations.queries import word_matches
    from tracker.users import sessions

    if not IS_POSTGRES:
        pytest.skip("prepared statements are PostgreSQL's")
    token = sessions.start_session(users["committee"])
    lifetimes = sessions.Lifetimes.from_config(current_app.config)
    search = (select(Nomination.id).where(word_matches("khongaico"))
              .order_by(Nomination.submitted_at.desc(), Nomination.id.desc()).limit(25))  # the queue's shape
    connection = db.session.connection()
    for _ in range(10):
        connection.execute(search).all()
        assert sessions.user_of(token, str(users["committee"].id), lifetimes).user == users["committee"]
    prepared = connection.exec_driver_sql("SELECT statement FROM pg_prepared_statements").scalars().all()
    assert not any("search_key" in statement for statement in prepared), prepared
    assert any("user_sessions" in statement for statement in prepared), prepared


def test_a_search_by_words_reads_the_fts5_index_on_sqlite(users, db):
    """SQLite: the words are looked up in the FTS5 trigram table (the plan reads it by its LIKE
    constraints, "L0"), and the table follows every insert, change and deletion of a search key;
    a word holding a wildcard is matched literally."""
    from sqlalchemy import select

    from tests.conftest import IS_POSTGRES
    from tests.factories import make_nomination, make_plan
    from tracker.commit import commit
    from tracker.nominations.models import Nomination
    from tracker.nominations.queries import words_match

    if IS_POSTGRES:
        pytest.skip("the FTS5 table is SQLite's")
    compiled = select(Nomination.id).where(words_match(["nguyen", "van"])).compile(db.engine)
    plan = " ".join(str(row[-1]) for row in db.session.connection().exec_driver_sql(
        f"EXPLAIN QUERY PLAN {compiled}", tuple(compiled.params.values())))
    assert "nominations_search VIRTUAL TABLE INDEX 0:L0L0" in plan, plan  # both words, one lookup

    plan_ = make_plan(users["officer"].unit.parent)
    hoa = make_nomination(users["officer"], plan_, name="Nguyễn Thị Hòa")
    lan = make_nomination(users["officer"], plan_, name="Trần Thị Lan")
    commit()

    def found(*words: str) -> set[int]:
        return set(db.session.scalars(select(Nomination.id).where(words_match(list(words)))))

    assert found("nguyen") == {hoa.id} and found("thi") == {hoa.id, lan.id} and found("thi", "lan") == {lan.id}
    # Words shorter than a trigram beside longer ones (a search for "Lê Thị Hòa"): SQLite 3.40's
    # FTS5 crashed the whole process on such a lookup; they are matched on the keys instead.
    assert found("tr", "lan") == {lan.id} and found("h", "nguyen") == {hoa.id} and found("x", "thi") == set()
    assert found("50%") == set() and found("thi", "a_b") == set()
    hoa.search_key = "pham van binh"  # a changed key moves in the index
    commit()
    assert found("nguyen") == set() and found("binh") == {hoa.id}
    db.session.delete(lan)
    commit()
    assert found("thi") == set()


def test_the_oldest_first_order_can_read_its_index(db):
    """"Oldest hand-in first, never handed in last" is written in the very terms of
    ix_nominations_oldest_first, so either database reads the page off the index instead of
    sorting every nomination (PostgreSQL: with sorting ruled out, the plan still answers)."""
    from sqlalchemy import select, text

    from tests.conftest import IS_POSTGRES
    from tracker.nominations.models import Nomination
    from tracker.nominations.queries import _order

    query = select(Nomination.id).order_by(*_order("oldest", handed_in_only=False)).limit(25)
    compiled = query.compile(db.engine)
    if IS_POSTGRES:
        db.session.execute(text("SET LOCAL enable_sort = off"))
        db.session.execute(text("SET LOCAL enable_seqscan = off"))
        rows = db.session.connection().exec_driver_sql(f"EXPLAIN {compiled}", compiled.params)
        plan = "\n".join(row[0] for row in rows)
        assert "ix_nominations_oldest_first" in plan and "Sort" not in plan, plan
    else:
        rows = db.session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}",
                                                       tuple(compiled.params.values()))
        plan = "\n".join(str(row[-1]) for row in rows)
        assert "ix_nominations_oldest_first" in plan and "TEMP B-TREE" not in plan, plan
