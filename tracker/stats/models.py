"""Running figures per plan and unit, for the whole subtree of the unit (see stats.counters)."""
from sqlalchemy import BigInteger, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tracker.extensions import db

NO_PLAN = 0  # plan_id of the figures that belong to no plan (the unit tree itself)


class StatCounter(db.Model):
    """One figure of one unit's subtree under one plan: ("n:*:individual:accepted", 1234).

    plan_id is a plain number, not a foreign key: 0 (NO_PLAN) holds the plan-independent figures.
    The table is derived data: `flask rebuild-stats` recomputes it from the source tables.
    """

    __tablename__ = "stat_counters"
    __table_args__ = (UniqueConstraint("plan_id", "unit_id", "metric"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int]
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))
    metric: Mapped[str] = mapped_column(String(64))
    value: Mapped[int] = mapped_column(BigInteger, default=0)

    def __repr__(self) -> str:
        return f"<StatCounter plan={self.plan_id} unit={self.unit_id} {self.metric}={self.value}>"
