"""A piece of heavy work someone started: its progress, and its result or what went wrong."""
import enum
from datetime import datetime
from typing import Optional

from sqlalchemy import JSON, BigInteger, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models_base import enum_column, utcnow


class JobStatus(str, enum.Enum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


FINISHED = (JobStatus.DONE, JobStatus.FAILED)


class Job(db.Model):
    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_owner_created", "owner_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))  # tracker.tasks.KINDS
    title: Mapped[str] = mapped_column(String(300))  # what the owner sees, in their language
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)  # the owner's unit then
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[JobStatus] = mapped_column(enum_column(JobStatus, 10), default=JobStatus.QUEUED)
    phase: Mapped[str] = mapped_column(String(40), default="")  # tracker.jobs.services.PHASES
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[Optional[int]] = mapped_column(Integer)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Where the finished file is (tracker.storage), and how it downloads.
    result_key: Mapped[Optional[str]] = mapped_column(String(200))
    result_name: Mapped[Optional[str]] = mapped_column(String(255))
    result_type: Mapped[Optional[str]] = mapped_column(String(100))
    result_size: Mapped[Optional[int]] = mapped_column(BigInteger)
    # What the job produced besides a file: an import's errors by row and column, a count.
    outcome: Mapped[Optional[dict]] = mapped_column(JSON)
    error: Mapped[Optional[str]] = mapped_column(Text)  # why it failed, for the owner
    worker: Mapped[Optional[str]] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    # Real time (never the demo's pinned day): a running job whose worker stopped beating is stale.
    heartbeat_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))

    owner = relationship("User", lazy="joined")
    unit = relationship("Unit", lazy="joined")

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        if not self.total:
            return 0
        return max(0, min(100, self.done * 100 // self.total))
