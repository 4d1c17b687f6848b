"""Property: after any sequence of real service calls, every stored figure equals a full recount.

Hypothesis draws sequences of what officers, the committee and administrators do (nominate,
submit, return, accept, reject, withdraw, accept in bulk, change a candidate's kind, report,
return and reopen reports, add, re-kind and move units, import a workbook), each step committed
as a request would commit it (tracker.commit), a refused step rolled back. After every step the
kept figures are compared with a rebuild from the source tables.
"""
from datetime import date
from io import BytesIO

from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import select

from tests.conftest import _wipe
from tests.stats.figures import assert_exact
from tests.nominations.test_import import COLLECTIVE, row, workbook
from tests.factories import make_city_tree, make_milestone, make_nomination, make_plan, make_unit, role_users
from tracker.attachments.services import Upload
from tracker.candidates.models import CandidateKind
from tracker.commit import commit, rollback
from tracker.errors import DomainError
from tracker.extensions import db
from tracker.nominations import candidates as nomination_candidates, imports, services as nominations
from tracker.nominations.models import Nomination
from tracker.plans.services import add_movement
from tracker.reports import services as reports
from tracker.reports.models import ProgressReport
from tracker.units.models import Unit, UnitKind
from tracker.units.services import update_unit

WARDS = ("ward_a1", "ward_a2", "ward_b1", "ward_b2")
OFFICERS = {"ward_a1": "officer", "ward_a2": "officer_a2", "ward_b1": "officer_b"}
STEPS = ("nominate", "submit", "return", "accept", "reject", "withdraw", "accept_all", "rekind_candidate",
         "report", "submit_report", "accept_report", "return_report", "reopen_report",
         "add_unit", "rekind_unit", "move_unit", "import")


def _world():
    _wipe()
    tree = make_city_tree()
    users = role_users(tree)
    plan = make_plan(tree["province"])
    add_movement(None, plan, "Phong trào một")
    add_movement(None, plan, "Phong trào hai")
    milestone = make_milestone(plan)
    commit()
    return tree, users, plan, milestone


def _pick(rows, index):
    return rows[index % len(rows)] if rows else None


def _import_workbook(plan, unit, officer, index) -> None:
    """Two rows through the real import (an individual and a collective) under the plan's first movement."""
    rows = [row(full_name=f"Người nhập {index}", movement_id=plan.movements[0].name),
            row(**{**COLLECTIVE, "full_name": f"Chi hội {index}"}, movement_id=plan.movements[0].name)]
    imports.import_nominations(officer, plan, unit, Upload("danh-sach.xlsx", BytesIO(workbook(rows))),
                               today=date(2020, 3, 20), max_rows=50, max_bytes=5 * 1024 * 1024)


def _step(name, index, tree, users, plan, milestone) -> None:
    committee = users["committee"] if index % 2 else users["committee_b"]
    ward = WARDS[index % len(WARDS)]
    officer = users.get(OFFICERS.get(ward, "officer"))
    mine = list(db.session.scalars(select(Nomination).order_by(Nomination.id)))
    their_reports = list(db.session.scalars(select(ProgressReport).order_by(ProgressReport.id)))
    nomination, report = _pick(mine, index), _pick(their_reports, index)
    if name == "nominate":
        make_nomination(officer, plan, plan.movements[index % 2], name=f"Người {index}",
                        kind=("individual", "collective")[index % 2], unit=tree[ward])
    elif name == "submit" and nomination:
        nominations.submit_nomination(officer, nomination)
    elif name == "return" and nomination:
        nominations.return_nomination(committee, nomination, "Bổ sung minh chứng.")
    elif name == "accept" and nomination:
        nominations.accept_nomination(committee, nomination)
    elif name == "reject" and nomination:
        nominations.reject_nomination(committee, nomination, "Chưa tiêu biểu.")
    elif name == "withdraw" and nomination:
        nominations.withdraw_nomination(officer, nomination)
    elif name == "accept_all" and mine:
        nominations.accept_nominations(committee, [n for n in mine if n.status.value in ("submitted", "resubmitted")])
    elif name == "rekind_candidate" and nomination:
        kind = CandidateKind.COLLECTIVE if nomination.candidate.kind is CandidateKind.INDIVIDUAL else CandidateKind.INDIVIDUAL
        nomination_candidates.update_candidate(None, nomination.candidate, kind=kind)
    elif name == "report":
        unit = db.session.get(Unit, tree[ward].id)
        reports.get_or_start_report(officer, milestone, unit)
    elif name == "submit_report" and report:
        from tests.factories import REPORT_VALUES

        reports.save_report(officer, report, **{**REPORT_VALUES, "held_date": milestone.start_date})
        reports.submit_report(officer, report, milestone.start_date)
    elif name == "accept_report" and report:
        reports.accept_report(committee, report)
    elif name == "return_report" and report:
        reports.return_report(committee, report, "Bổ sung biên bản.")
    elif name == "reopen_report" and report:
        reports.reopen_report(committee, report, "Sửa số liệu.")
    elif name == "add_unit":
        make_unit(f"Phường mới {index}", (UnitKind.WARD, UnitKind.COMMUNE)[index % 2],
                  tree[("city_a", "city_b")[index % 2]])
    elif name in ("rekind_unit", "move_unit"):
        unit = db.session.get(Unit, tree[ward].id)
        kind = unit.kind
        parent = db.session.get(Unit, unit.parent_id)
        if name == "rekind_unit":
            kind = UnitKind.COMMUNE if kind is UnitKind.WARD else UnitKind.WARD
        else:
            parent = tree["city_b"] if parent.id == tree["city_a"].id else tree["city_a"]
        update_unit(None, unit, unit.name, unit.code, kind, parent)
    elif name == "import" and ward in OFFICERS:
        _import_workbook(plan, tree[ward], officer, index)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(STEPS), st.integers(0, 11)), min_size=1, max_size=14))
def test_every_figure_equals_a_recount_after_every_step(app_ctx, steps):
    tree, users, plan, milestone = _world()
    for name, index in steps:
        try:
            _step(name, index, tree, users, plan, milestone)
        except DomainError:
            rollback()  # a refusal, as a view answers it
            continue
        assert_exact()  # commits as the request would, then recounts
