"""The emulation and commendation council (Hội đồng Thi đua – Khen thưởng) of a unit: its members
over time. A membership is never overwritten: it ends on a day, and a new one begins."""
import enum
from datetime import date, datetime
from typing import Optional

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, UniqueConstraint
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


class RecusalReason(enum.Enum):
    CANDIDATE = "candidate"  # the member is the nominee
    RELATIVE = "relative"  # a relative of the nominee, as the committee records
    COLLECTIVE = "collective"  # a member of the nominated collective


class CouncilMeeting(db.Model):
    """A meeting of a unit's council that deliberates nominations and votes on each by secret
    ballot. The quorum it was held under is kept with it (the setting may change later)."""

    __tablename__ = "council_meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    meeting_date: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(300), default="")
    number: Mapped[str] = mapped_column(String(64), default="")  # the minutes' number, "05/BB-HĐTĐKT"
    quorum_numerator: Mapped[int] = mapped_column(Integer)
    quorum_denominator: Mapped[int] = mapped_column(Integer)
    attendance_recorded: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))

    unit = relationship("Unit")
    items: Mapped[list["MeetingItem"]] = relationship(back_populates="meeting", order_by="MeetingItem.id")
    attendance: Mapped[list["MeetingAttendance"]] = relationship(back_populates="meeting")


class MeetingAttendance(db.Model):
    """Whether a member serving on the meeting's day was present."""

    __tablename__ = "council_meeting_attendance"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("council_meetings.id"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("council_members.id"), primary_key=True)
    present: Mapped[bool] = mapped_column(Boolean)

    meeting: Mapped[CouncilMeeting] = relationship(back_populates="attendance")
    member: Mapped[CouncilMember] = relationship()


class MeetingItem(db.Model):
    """One nomination on the agenda, for one award, with its ballot count once recorded and the
    threshold it was judged by (so a later version of the rule never changes the result)."""

    __tablename__ = "council_meeting_items"
    __table_args__ = (UniqueConstraint("meeting_id", "nomination_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("council_meetings.id"), index=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id"), index=True)
    award_type_id: Mapped[int] = mapped_column(ForeignKey("award_types.id"))
    agree: Mapped[Optional[int]]
    disagree: Mapped[Optional[int]]
    spoiled: Mapped[Optional[int]]
    members: Mapped[Optional[int]]  # the council's members on the day, when the vote was recorded
    threshold_percent: Mapped[Optional[int]]
    threshold_inclusive: Mapped[Optional[bool]]
    passed: Mapped[Optional[bool]]

    meeting: Mapped[CouncilMeeting] = relationship(back_populates="items")
    nomination = relationship("Nomination")
    award_type = relationship("AwardType")
    recusals: Mapped[list["MeetingRecusal"]] = relationship(back_populates="item", cascade="all, delete-orphan")


class MeetingRecusal(db.Model):
    """A member who does not vote on an item (a conflict of interest): excluded from its count."""

    __tablename__ = "council_meeting_recusals"

    item_id: Mapped[int] = mapped_column(ForeignKey("council_meeting_items.id"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("council_members.id"), primary_key=True)
    reason: Mapped[RecusalReason] = mapped_column(enum_column(RecusalReason))

    item: Mapped[MeetingItem] = relationship(back_populates="recusals")
    member: Mapped[CouncilMember] = relationship()
