"""PostgreSQL: officers submitting, the committee accepting in bulk and administrators adding and
moving units at the same moment end with no error (no deadlock) and exact figures."""
import threading

import pytest
from sqlalchemy import select

from tests.conftest import IS_POSTGRES
from tests.stats.figures import assert_exact
from tests.factories import REPORT_VALUES, make_milestone, make_nomination, make_plan
from tracker.commit import commit, rollback
from tracker.errors import DomainError
from tracker.extensions import db
from tracker.nominations import services as nominations
from tracker.nominations.models import Nomination, NominationStatus as S
from tracker.plans.services import add_movement
from tracker.reports import services as reports
from tracker.stats import counters
from tracker.units.models import Unit, UnitKind
from tracker.nominations.units import update_unit
from tracker.units.services import create_unit
from tracker.users.models import User

pytestmark = pytest.mark.skipif(not IS_POSTGRES, reason="concurrent writers need PostgreSQL")
ROUNDS = 12


def test_concurrent_submits_moves_adds_and_bulk_accepts_stay_exact(app, tree, users):
    plan = make_plan(tree["province"])
    add_movement(None, plan, "Phong trào một")
    milestone = make_milestone(plan)
    commit()
    ids = {"plan": plan.id, "milestone": milestone.id, **{k: u.id for k, u in tree.items()},
           **{k: u.id for k, u in users.items()}}
    errors: list = []
    start = threading.Barrier(6)

    def worker(name, body):
        def run():
            with app.app_context():
                start.wait()
                for round_ in range(ROUNDS):
                    try:
                        body(round_)
                        commit()
                    except DomainError:
                        rollback()  # a refusal, as a view answers it (a draft not yet complete, say)
                    except Exception as error:  # noqa: BLE001 - any other error is what this test looks for
                        rollback()
                        errors.append(f"{name}: {type(error).__name__}: {error}")
                db.session.remove()
        return threading.Thread(target=run, name=name)

    def officer_submits(officer_key, ward_key):
        def body(round_):
            officer = db.session.get(User, ids[officer_key])
            plan_ = db.session.get(type(plan), ids["plan"])
            make_nomination(officer, plan_, name=f"{officer_key} {round_}", status="submitted",
                            unit=db.session.get(Unit, ids[ward_key]))
            if round_ == 0:
                report = reports.get_or_start_report(officer, db.session.get(type(milestone), ids["milestone"]),
                                                     officer.unit)
                reports.save_report(officer, report, **{**REPORT_VALUES, "held_date": milestone.start_date})
                reports.submit_report(officer, report, milestone.start_date)
        return body

    def mover(round_):
        ward = db.session.get(Unit, ids["ward_a2"])
        target = ids["city_b"] if ward.parent_id == ids["city_a"] else ids["city_a"]
        kind = UnitKind.COMMUNE if round_ % 3 else UnitKind.WARD
        update_unit(None, ward, ward.name, ward.code, kind, db.session.get(Unit, target))

    def adder(round_):
        city = db.session.get(Unit, ids["city_a"] if round_ % 2 else ids["city_b"])
        create_unit(None, f"Phường thêm {round_}", f"NEW{round_:03d}", UnitKind.WARD, city)

    def bulk_acceptor(round_):
        waiting = list(db.session.scalars(select(Nomination).where(Nomination.status == S.SUBMITTED)
                                          .order_by(Nomination.id)))
        if waiting:
            nominations.accept_nominations(db.session.get(User, ids["committee"]), waiting)

    threads = [
        worker("officer A1", officer_submits("officer", "ward_a1")),
        worker("officer B1", officer_submits("officer_b", "ward_b1")),
        worker("officer A2", officer_submits("officer_a2", "ward_a2")),  # in the ward that moves
        worker("mover", mover),
        worker("adder", adder),
        worker("committee", bulk_acceptor),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a writer is stuck"
    assert not errors, errors

    assert_exact()
    assert_paths_follow_units()
    submitted = db.session.scalar(select(db.func.count()).select_from(Nomination))
    assert submitted == 3 * ROUNDS  # every officer's nomination went in


def assert_paths_follow_units() -> None:
    """Every nomination keeps its unit's path as the tree now has it."""
    db.session.rollback()  # a fresh look at what the threads committed
    stale = db.session.execute(select(Nomination.id, Nomination.unit_path, Unit.path)
                               .join(Unit, Unit.id == Nomination.unit_id)
                               .where(Nomination.unit_path != Unit.path)).all()
    assert not stale, stale


def _in_thread(app, name, body, errors):
    def run():
        with app.app_context():
            try:
                body()
                commit()
            except Exception as error:  # noqa: BLE001 - the error is what the test reports
                rollback()
                errors.append(f"{name}: {type(error).__name__}: {error}")
            finally:
                db.session.remove()
    thread = threading.Thread(target=run, name=name)
    thread.start()
    return thread


def _pause_first_call(monkeypatch, module, name, thread_name):
    """Make the first call of module.name in the thread `thread_name` wait until released."""
    reached, release = threading.Event(), threading.Event()
    real = getattr(module, name)

    def paused(*args, **kwargs):
        if threading.current_thread().name == thread_name and not reached.is_set():
            reached.set()
            release.wait(20)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, paused)
    return reached, release


def _race(app, first_name, first, second_name, second, reached, release) -> list:
    """`first` runs until it reaches its pause; `second` starts and is given a moment (it should
    wait for the first's commit); then the first goes on. Both commit; returns their errors."""
    errors: list = []
    going = _in_thread(app, first_name, first, errors)
    assert reached.wait(20)
    following = _in_thread(app, second_name, second, errors)
    following.join(timeout=1.5)
    release.set()
    going.join(20)
    following.join(20)
    return errors


def test_a_submit_racing_a_move_counts_under_the_new_parent(app, tree, users, monkeypatch):
    """The submit has read the tree and is about to add its difference when an administrator
    moves its ward to the other city: the move waits for it, the nomination counts under the
    city the ward belongs to, and keeps the ward's new path (a search narrowed to city B finds it)."""
    plan = make_plan(tree["province"])
    commit()
    plan_id, ward_id, city_b_id, officer_id = plan.id, tree["ward_a2"].id, tree["city_b"].id, users["officer_a2"].id
    # The submit pauses after reading the units' paths, before it adds its difference.
    reached, release = _pause_first_call(monkeypatch, counters, "ancestor_ids", "submit")

    def submit():
        officer = db.session.get(User, officer_id)
        make_nomination(officer, db.session.get(type(plan), plan_id), status="submitted")

    def move():
        ward = db.session.get(Unit, ward_id)
        update_unit(None, ward, ward.name, ward.code, ward.kind, db.session.get(Unit, city_b_id))

    errors = _race(app, "submit", submit, "move", move, reached, release)  # the move waits for the submit
    assert not errors, errors
    kept = assert_exact()
    assert kept[(plan_id, city_b_id, "n:*:individual:submitted")] == 1
    assert_paths_follow_units()


def test_a_unit_added_while_another_moves_is_no_deadlock(app, tree, users, monkeypatch):
    """One administrator adds a unit (the unit figures are recounted) while another moves one
    (everything is rebuilt): both commit, neither is refused, the figures are exact."""
    ids = {k: u.id for k, u in tree.items()}
    reached, release = _pause_first_call(monkeypatch, counters, "_upsert", "add")

    def add():
        create_unit(None, "Phường thêm", "NEW001", UnitKind.WARD, db.session.get(Unit, ids["city_a"]))

    def move():
        ward = db.session.get(Unit, ids["ward_b2"])
        update_unit(None, ward, ward.name, ward.code, ward.kind, db.session.get(Unit, ids["city_a"]))

    errors = _race(app, "add", add, "move", move, reached, release)
    assert not errors, errors
    kept = assert_exact()
    assert kept[(0, ids["city_a"], "u:ward")] == 3  # ward A1, the new ward and ward B2
