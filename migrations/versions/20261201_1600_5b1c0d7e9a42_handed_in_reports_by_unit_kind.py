"""Handed-in progress reports counted by the reporting unit's kind (h:<milestone>:<kind>), so a
unit re-kinded after it handed in still counts as having handed in (plans.services.owes).

The counters are derived data: this rewrites the h: rows from the reports, for every unit's
subtree, as `flask rebuild-stats` would.

Revision ID: 5b1c0d7e9a42
Revises: 38aef4b02a23
Create Date: 2026-12-03 10:00:00

"""
from collections import Counter

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b1c0d7e9a42'
down_revision = '38aef4b02a23'
branch_labels = None
depends_on = None

HANDED_IN = ("submitted", "resubmitted", "accepted")
counters = sa.table("stat_counters", sa.column("plan_id", sa.Integer), sa.column("unit_id", sa.Integer),
                    sa.column("metric", sa.String), sa.column("value", sa.BigInteger))


def _rewrite(by_kind: bool) -> None:
    """Replace every h: row with the handed-in reports of each unit's subtree, per milestone
    (and per the reporting unit's kind when `by_kind`)."""
    bind = op.get_bind()
    bind.execute(sa.text("DELETE FROM stat_counters WHERE metric LIKE 'h:%'"))
    paths = dict(bind.execute(sa.text("SELECT id, path FROM units")).all())
    rows = bind.execute(sa.text(
        "SELECT m.plan_id, r.unit_id, r.milestone_id, u.kind, COUNT(*) FROM progress_reports r "
        "JOIN milestones m ON m.id = r.milestone_id JOIN units u ON u.id = r.unit_id "
        "WHERE r.status IN ('submitted', 'resubmitted', 'accepted') "
        "GROUP BY m.plan_id, r.unit_id, r.milestone_id, u.kind")).all()
    values: Counter = Counter()
    for plan_id, unit_id, milestone_id, kind, n in rows:
        metric = f"h:{milestone_id}:{kind}" if by_kind else f"h:{milestone_id}"
        for ancestor in (int(part) for part in paths[unit_id].strip("/").split("/") if part):
            values[(plan_id, ancestor, metric)] += n
    batch = [{"plan_id": p, "unit_id": u, "metric": m, "value": v} for (p, u, m), v in sorted(values.items())]
    for start in range(0, len(batch), 5000):
        op.bulk_insert(counters, batch[start:start + 5000])


def upgrade():
    _rewrite(by_kind=True)


def downgrade():
    _rewrite(by_kind=False)
