"""The stream of real writes of `make bench`'s mixed mode: officers of different wards saving and
submitting nominations and progress reports through the services, committed as a request
commits (tracker.commit), at a steady rate of commits, until stopped (SIGTERM). Prints one JSON line: the
commits done, the rate achieved, the refusals (a report already handed in, say: what a user would
be told) and the errors (anything else: the bench wants zero).

    python bench/writer.py --rate 10 --wards 1,2,3   (DATABASE_URL names the database)
"""
import argparse
import json
import random
import signal
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tracker import create_app  # noqa: E402

stop = False


def _stop(*_args):
    global stop
    stop = True


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=float, default=10)
    parser.add_argument("--wards", required=True, help="comma-separated unit ids of wards to write in")
    parser.add_argument("--plan", type=int, required=True)
    parser.add_argument("--today", default="2026-03-15")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)

    from sqlalchemy import select

    from tracker.candidates import services as candidates
    from tracker.candidates.models import CandidateKind, Gender
    from tracker.commit import commit, rollback
    from tracker.errors import DomainError
    from tracker.extensions import db
    from tracker.nominations import services as nominations
    from tracker.plans.models import Milestone, Movement, Plan
    from tracker.reports import services as reports
    from tracker.units.models import Unit
    from tracker.users.models import User

    app = create_app()
    rng = random.Random(args.seed)
    wards = [int(w) for w in args.wards.split(",") if w]
    today = date.fromisoformat(args.today)
    done = refused = 0
    errors: list[str] = []
    started = time.perf_counter()
    with app.app_context():
        plan = db.session.get(Plan, args.plan)
        movement_ids = list(db.session.scalars(select(Movement.id).where(Movement.plan_id == plan.id)))
        milestone_ids = list(db.session.scalars(select(Milestone.id).where(Milestone.plan_id == plan.id)))
        db.session.remove()
        n = 0
        while not stop:
            # Commits, not attempts: a refusal is tried again at once; an error waits its turn
            # (a failing database is not hammered).
            due = started + (done + len(errors)) / args.rate
            pause = due - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            if stop:
                break
            n += 1
            ward_id = wards[n % len(wards)]
            try:
                unit = db.session.get(Unit, ward_id)
                officer = db.session.scalar(select(User).where(User.username == f"officer_{ward_id}"))
                plan = db.session.get(Plan, args.plan)
                if n % 4:  # three in four: a nomination saved, then handed in
                    candidate = candidates.create_candidate(
                        officer, CandidateKind.INDIVIDUAL, f"Người viết thử {n}", unit, gender=Gender.FEMALE,
                        birth_year=1970 + n % 30, position="Tổ trưởng", workplace="Tổ dân phố")
                    nomination = nominations.create_nomination(
                        officer, plan, db.session.get(Movement, rng.choice(movement_ids)), candidate, unit,
                        achievements="Gương mẫu, tích cực.", period_start_year=2021, period_end_year=2025,
                        meeting_date=today, members_present=25, votes_for=23)
                    nominations.submit_nomination(officer, nomination, today=today)
                else:  # one in four: the ward's report of a milestone saved
                    milestone = db.session.get(Milestone, rng.choice(milestone_ids))
                    report = reports.get_or_start_report(officer, milestone, unit)
                    reports.save_report(officer, report, place="Hội trường", chaired_by="Chủ tịch UBND",
                                        participants=80 + n % 20)
                commit()
                done += 1
            except DomainError:
                rollback()
                refused += 1
            except Exception as error:  # noqa: BLE001 - counted and shown: the bench wants none
                rollback()
                errors.append(f"{type(error).__name__}: {error}"[:300])
            finally:
                db.session.remove()
    seconds = time.perf_counter() - started
    print(json.dumps({"commits": done, "refused": refused, "errors": len(errors), "error_samples": errors[:3],
                      "seconds": round(seconds, 1), "rate": round(done / seconds, 2) if seconds else 0}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
