"""No main page's statement count grows with the data: the same with ten times more rows, and
at most 15 (a count, not a timing: bench/ measures the times)."""
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import event

from tests.factories import make_milestone, make_plan, make_unit, make_user
from tracker.awards.models import Proposal
from tracker.candidates.models import AwardRecord
from tracker.catalogue.services import load_catalogue
from tracker.extensions import db as _db
from tracker.candidates.models import Candidate, CandidateKind
from tracker.nominations.models import Nomination, NominationStatus
from tracker.plans.models import MilestoneScope
from tracker.plans.services import add_movement
from tracker.reports.models import ProgressReport, ReportStatus
from tracker.units.models import UnitKind
from tracker.users.models import Role
from tracker.commit import commit

MAX_STATEMENTS = 15
STATUSES = list(NominationStatus)


@pytest.fixture
def country(db, app, monkeypatch):
    """A country (two provinces: one with a city and its wards, one with communes), a national
    plan with two movements and three milestones, the national committee."""
    monkeypatch.setitem(app.config, "TRACKER_TODAY", "2020-04-10")
    root = make_unit("Việt Nam", UnitKind.OTHER, code="VN")
    p1 = make_unit("Tỉnh Một", UnitKind.PROVINCE, root)
    city = make_unit("Thành phố Một", UnitKind.CITY, p1)
    p2 = make_unit("Tỉnh Hai", UnitKind.PROVINCE, root)
    leaves = [make_unit(f"Phường {i}", UnitKind.WARD, city) for i in range(10)]
    leaves += [make_unit(f"Xã {i}", UnitKind.COMMUNE, p2) for i in range(10)]
    committee = make_user(Role.COMMITTEE, root, "committee_vn")
    officer = make_user(Role.WARD_OFFICER, leaves[0], "officer_vn")
    plan = make_plan(root, number="1/KH-HĐTĐKT")
    movements = [add_movement(None, plan, "Phong trào một"), add_movement(None, plan, "Phong trào hai")]
    milestones = [make_milestone(plan, due=date(2020, 3, 31)), make_milestone(plan, due=date(2020, 5, 31)),
                  make_milestone(plan, scope=MilestoneScope.ISSUING_UNIT, kinds="", due=date(2020, 3, 31))]
    load_catalogue(None)
    commit()
    return {"root": root, "province": p1, "city": city, "leaves": leaves, "committee": committee,
            "officer": officer, "plan": plan, "movements": movements, "milestones": milestones}


def add_data(country, nominations: int, reports: int, awards: int, proposals: int, start: int = 0) -> int:
    """Rows straight through the ORM (the session hook keeps the figures); returns a nomination id."""
    from tracker.catalogue.models import AwardType

    award = _db.session.scalar(_db.select(AwardType).limit(1))
    leaves, plan = country["leaves"], country["plan"]
    first = None
    for i in range(start, start + nominations):
        unit = leaves[i % len(leaves)]
        kind = CandidateKind.INDIVIDUAL if i % 3 else CandidateKind.COLLECTIVE
        candidate = Candidate(kind=kind, full_name=f"Ứng viên {i}", name_key=f"ung vien {i}", unit_id=unit.id)
        status = STATUSES[i % len(STATUSES)]
        nomination = Nomination(plan_id=plan.id, movement_id=country["movements"][i % 2].id, candidate=candidate,
                                unit_id=unit.id, unit_path=unit.path, achievements="Gương mẫu.", status=status,
                                search_key=f"ung vien {i}",
                                submitted_at=None if status is NominationStatus.DRAFT
                                else datetime(2020, 3, 1 + i % 28, tzinfo=timezone.utc))
        _db.session.add(nomination)
        if i - start < awards:
            _db.session.flush()
            _db.session.add(AwardRecord(candidate=candidate, award_type_id=award.id, award_name=award.name,
                                        year=2020, decision_number=f"{i}/QĐ-UBND", nomination_id=nomination.id,
                                        plan_id=plan.id))
        first = first or nomination
    for i in range(start, start + reports):
        milestone = country["milestones"][(i // len(leaves)) % 2]
        _db.session.add(ProgressReport(milestone_id=milestone.id, unit_id=leaves[i % len(leaves)].id,
                                       status=ReportStatus.ACCEPTED if i % 2 else ReportStatus.SUBMITTED,
                                       submitted_at=datetime(2020, 3, 2, tzinfo=timezone.utc)))
    for i in range(start, start + proposals):
        _db.session.add(Proposal(number=f"{i}/TTr-UBND", plan_id=plan.id, proposing_unit_id=country["root"].id,
                                 award_type_id=award.id))
    commit()
    return first.id


def statements(client, url: str) -> int:
    count = 0

    def tick(*_args):
        nonlocal count
        count += 1

    event.listen(_db.engine, "before_cursor_execute", tick)
    try:
        response = client.get(url)
    finally:
        event.remove(_db.engine, "before_cursor_execute", tick)
    assert response.status_code == 200, (url, response.status_code)
    return count


def pages(country, nomination_id: int) -> dict[str, tuple[str, object]]:
    """Every main page, with the user who opens it."""
    plan = country["plan"].id
    committee = country["committee"]
    return {
        "dashboard, national": (f"/dashboard/?plan={plan}", committee),
        "dashboard, province": (f"/dashboard/?plan={plan}&unit={country['province'].id}", committee),
        "dashboard, ward": (f"/dashboard/?plan={plan}&unit={country['leaves'][0].id}", committee),
        "dashboard, a movement": (f"/dashboard/?plan={plan}&movement={country['movements'][0].id}", committee),
        "deadline view": (f"/deadlines/?plan={plan}", committee),
        "proposals": ("/awards/proposals/", committee),
        "honour roll": ("/honour-roll/", None),
        "honour roll of the plan": (f"/honour-roll/{plan}", None),
        "nomination queue": ("/nominations/?status=pending", committee),
        "one nomination": (f"/nominations/{nomination_id}", committee),
        "home": ("/", committee),
        "plan page": (f"/plans/{plan}", committee),
        "an obligation": (f"/deadlines/{country['milestones'][0].id}/units/{country['leaves'][0].id}", committee),
        "reports list": ("/reports/", committee),
        "ward home": ("/", country["officer"]),
        "my obligations": ("/reports/mine", country["officer"]),
    }


def measure(client, login_as, country, nomination_id) -> dict[str, int]:
    """The statements of each page rendered afresh (the data was loaded around the services)."""
    from tracker import pagecache

    pagecache.clear()
    counts = {}
    for name, (url, user) in pages(country, nomination_id).items():
        if user is None:
            with client.session_transaction() as session:
                session.clear()
        else:
            login_as(user)
        counts[name] = statements(client, url)
    return counts


def test_statement_counts_do_not_grow_with_the_data(client, login_as, country):
    nomination_id = add_data(country, nominations=8, reports=2, awards=2, proposals=1)
    small = measure(client, login_as, country, nomination_id)
    add_data(country, nominations=72, reports=18, awards=18, proposals=9, start=8)
    large = measure(client, login_as, country, nomination_id)
    assert large == small, {k: (small[k], large[k]) for k in small if small[k] != large[k]}
    too_many = {k: v for k, v in large.items() if v > MAX_STATEMENTS}
    assert not too_many, too_many
