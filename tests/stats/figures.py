"""The running figures as kept, and the check that they equal a full recount."""
from sqlalchemy import select

from tracker.commit import commit
from tracker.extensions import db
from tracker.stats import counters
from tracker.stats.models import StatCounter


def kept_figures() -> dict:
    """{(plan, unit, metric): value} of every non-zero counter."""
    return {(c.plan_id, c.unit_id, c.metric): c.value
            for c in db.session.scalars(select(StatCounter)) if c.value}


def assert_exact() -> dict:
    """Commit, then check that the counters as kept through the services' notes equal a rebuild
    from the source tables; returns them."""
    commit()
    db.session.expire_all()
    kept = kept_figures()
    counters.rebuild(db.session)
    commit()
    assert kept == kept_figures()
    return kept
