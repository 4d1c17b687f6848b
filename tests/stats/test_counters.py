"""The running figures stay exactly what a full recount gives, whatever path changed the data."""
from datetime import date

import pytest

from tracker.nominations import candidates as nomination_candidates
from tests.factories import make_milestone, make_nomination, make_plan, make_report, make_unit, make_user
from tracker.nominations import services as nominations
from tracker.candidates.models import CandidateKind
from tracker.plans.services import add_movement
from tracker.stats import counters
from tracker.stats.models import StatCounter
from tracker.units.models import UnitKind
from tracker.units.services import update_unit
from tracker.users.models import Role
from tracker.commit import commit, rollback
from tests.stats.figures import assert_exact, kept_figures


@pytest.fixture
def plan(tree, db):
    plan = make_plan(tree["province"])
    add_movement(None, plan, "Phong trào một")
    add_movement(None, plan, "Phong trào hai")
    commit()
    return plan


def test_every_unit_holds_its_subtree(tree, users, plan, db):
    make_nomination(users["officer"], plan, status="submitted")
    kept = assert_exact()
    metric = "n:*:individual:submitted"
    for unit in ("ward_a1", "city_a", "province"):
        assert kept[(plan.id, tree[unit].id, metric)] == 1
    assert (plan.id, tree["city_b"].id, metric) not in kept
    assert kept[(0, tree["province"].id, "u:ward")] == 3 and kept[(0, tree["province"].id, "u:commune")] == 1
    assert kept[(0, tree["province"].id, "c")] == 2 and kept[(0, tree["city_a"].id, "c")] == 2


def test_nomination_lifecycle(tree, users, plan, db):
    officer, committee = users["officer"], users["committee"]
    first, second = plan.movements
    a = make_nomination(officer, plan, first, name="Người A", status="submitted")
    b = make_nomination(officer, plan, second, name="Tập thể B", kind="collective", status="draft")
    assert_exact()
    nominations.return_nomination(committee, a, "Bổ sung minh chứng.")
    assert_exact()
    nominations.submit_nomination(officer, a)
    nominations.accept_nomination(committee, a)
    nominations.withdraw_nomination(officer, b)
    kept = assert_exact()
    assert kept[(plan.id, tree["province"].id, f"n:{first.id}:individual:accepted")] == 1
    assert kept[(plan.id, tree["province"].id, "n:*:collective:withdrawn")] == 1
    assert (plan.id, tree["province"].id, "n:*:collective:draft") not in kept


def test_a_nomination_moved_to_another_movement(tree, users, plan, db):
    first, second = plan.movements
    nomination = make_nomination(users["officer"], plan, first)
    commit()
    nominations.update_nomination(users["officer"], nomination, movement=second)
    kept = assert_exact()
    assert kept[(plan.id, tree["city_a"].id, f"n:{second.id}:individual:draft")] == 1
    assert (plan.id, tree["city_a"].id, f"n:{first.id}:individual:draft") not in kept


def test_a_candidate_changing_kind_moves_its_nominations(tree, users, plan, db):
    nomination = make_nomination(users["officer"], plan, status="submitted")
    commit()
    nomination_candidates.update_candidate(None, nomination.candidate, kind=CandidateKind.COLLECTIVE)
    kept = assert_exact()
    assert kept[(plan.id, tree["province"].id, "n:*:collective:submitted")] == 1


def test_a_write_around_the_services_is_not_guessed_and_rebuild_repairs_it(tree, users, plan, db):
    """No hook guesses what changed: a row deleted by hand stays counted until `rebuild-stats`."""
    nomination = make_nomination(users["officer"], plan)
    commit()
    db.session.delete(nomination)
    commit()
    assert kept_figures()[(plan.id, tree["province"].id, "n:*:individual:draft")] == 1
    counters.rebuild(db.session)
    commit()
    assert not any(m.startswith("n:") for (_p, _u, m) in kept_figures())


def test_reports_by_milestone_and_week(tree, users, plan, db):
    milestone = make_milestone(plan)
    make_report(users["officer"], milestone, status="accepted", reviewer=users["committee"])
    make_report(users["officer_a2"], milestone, status="returned", reviewer=users["committee"])
    kept = assert_exact()
    assert kept[(plan.id, tree["city_a"].id, f"r:{milestone.id}:accepted")] == 1
    assert kept[(plan.id, tree["province"].id, f"r:{milestone.id}:returned")] == 1
    weeks = [m for (_p, u, m) in kept if u == tree["province"].id and m.startswith("rw:")]
    assert len(weeks) == 1 and date.fromisoformat(weeks[0][3:]).weekday() == 0  # a Monday


def test_units_added_rekinded_and_moved(tree, users, plan, db):
    make_nomination(users["officer"], plan, status="submitted")
    ward = make_unit("Phường mới", UnitKind.WARD, tree["city_b"])
    kept = assert_exact()
    assert kept[(0, tree["city_b"].id, "u:ward")] == 3
    update_unit(None, tree["ward_a1"], "Phường A1", tree["ward_a1"].code, UnitKind.WARD, tree["city_b"])
    kept = assert_exact()
    assert kept[(plan.id, tree["city_b"].id, "n:*:individual:submitted")] == 1
    assert (plan.id, tree["city_a"].id, "n:*:individual:submitted") not in kept
    update_unit(None, ward, "Xã mới", ward.code, UnitKind.COMMUNE, tree["city_b"])
    kept = assert_exact()
    assert kept[(0, tree["province"].id, "u:commune")] == 2


def test_a_rollback_leaves_the_counters_alone(tree, users, plan, db):
    make_nomination(users["officer"], plan, status="submitted")
    commit()
    before = kept_figures()
    make_nomination(users["officer"], plan, name="Người khác", status="submitted")
    rollback()
    commit()
    assert kept_figures() == before
    assert_exact()


def test_many_changes_in_one_commit(tree, users, plan, db):
    officer_b2 = make_user(Role.WARD_OFFICER, tree["ward_b2"])
    for index, officer in enumerate([users["officer"], users["officer_a2"], users["officer_b"], officer_b2] * 3):
        make_nomination(officer, plan, plan.movements[index % 2], name=f"Người {index}",
                        status=("draft", "submitted", "withdrawn")[index % 3])
    kept = assert_exact()
    assert sum(v for (p, u, m), v in kept.items() if u == tree["province"].id and m.startswith("n:*:")) == 12


def test_rebuild_command(runner, tree, users, plan, db):
    make_nomination(users["officer"], plan, status="submitted")
    commit()
    kept = kept_figures()
    db.session.execute(StatCounter.__table__.delete())
    commit()
    result = runner.invoke(args=["rebuild-stats"])
    assert result.exit_code == 0 and "figures written" in result.output
    db.session.expire_all()
    assert kept_figures() == kept


def test_rebuild_command_gives_nominations_loaded_around_the_services_their_units_paths(runner, tree, users,
                                                                                       plan, db):
    from sqlalchemy import select, update

    from tracker.nominations.models import Nomination

    made = make_nomination(users["officer"], plan, status="submitted")
    kept = make_nomination(users["officer_a2"], plan, status="submitted")
    commit()
    stamp = kept.updated_at
    db.session.execute(update(Nomination).where(Nomination.id == made.id).values(unit_path=""))  # a bulk load's row
    commit()
    result = runner.invoke(args=["rebuild-stats"])
    assert result.exit_code == 0 and "1 nominations took their unit's path" in result.output, result.output
    db.session.expire_all()
    paths = dict(db.session.execute(select(Nomination.id, Nomination.unit_path)).all())
    assert paths == {made.id: tree["ward_a1"].path, kept.id: tree["ward_a2"].path}
    assert db.session.get(Nomination, kept.id).updated_at == stamp


def test_a_unit_rekinded_moves_its_handed_in_reports_to_its_new_kind(tree, users, plan, db):
    first, second = make_milestone(plan), make_milestone(plan, due=date(2020, 4, 30))
    make_report(users["officer"], first, status="accepted", reviewer=users["committee"])
    make_report(users["officer"], second, status="submitted")
    make_report(users["officer_a2"], first, status="draft")
    kept = assert_exact()
    assert kept[(plan.id, tree["province"].id, f"h:{first.id}:ward")] == 1
    update_unit(None, tree["ward_a1"], "Phường A1", tree["ward_a1"].code, UnitKind.AGENCY, tree["city_a"])
    kept = assert_exact()
    for milestone in (first, second):
        assert kept[(plan.id, tree["province"].id, f"h:{milestone.id}:agency")] == 1
        assert (plan.id, tree["province"].id, f"h:{milestone.id}:ward") not in kept
    # A draft is not handed in, whatever the kind.
    assert not any(m.startswith(f"h:{first.id}:commune") for (_p, _u, m) in kept)
