"""The emulation and commendation council (Hội đồng Thi đua – Khen thưởng) of a unit: its members
over time. A membership is never overwritten: it ends on a day, and a new one begins."""
import enum
from datetime import date, datetime
from typing import Optional

from sqlalchemy import Date, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models_base import enum_column, utcnow


class CouncilRole(enum.Enum):
    CHAIR = "chair"  # Chủ tịch Hội đồng
    VICE_CHAIR = "vice_chair"  # Phó Chủ tịch
    STANDING = "standing"  # Ủy viên thường trực (thư ký)
    MEMBER = "member"  # Ủy viên


class CouncilMember(db.Model):
    __tablename__ = "council_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)  # whose council
    full_name: Mapped[str] = mapped_column(String(200))
    position: Mapped[str] = mapped_column(String(200), default="")  # "Phó Chủ tịch UBND phường"
    role: Mapped[CouncilRole] = mapped_column(enum_column(CouncilRole))
    since: Mapped[date] = mapped_column(Date)
    until: Mapped[Optional[date]] = mapped_column(Date)  # the last day of the membership
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))

    unit = relationship("Unit")

    def serves_on(self, day: date) -> bool:
        return self.since <= day and (self.until is None or day <= self.until)
