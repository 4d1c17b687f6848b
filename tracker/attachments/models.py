"""Evidence files attached to progress reports, nominations and proposals' dossiers."""
from datetime import datetime
from typing import Optional

from sqlalchemy import BigInteger, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from tracker.extensions import db
from tracker.models_base import utcnow


class Attachment(db.Model):
    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)  # random, no extension
    content_type: Mapped[str] = mapped_column(String(100))  # sniffed from the content
    # What the file is: plan, minutes, decision, photo, achievements, other.
    category: Mapped[str] = mapped_column(String(20), default="other", server_default="other")
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    report_id: Mapped[Optional[int]] = mapped_column(ForeignKey("progress_reports.id"), index=True)
    nomination_id: Mapped[Optional[int]] = mapped_column(ForeignKey("nominations.id"), index=True)
    proposal_id: Mapped[Optional[int]] = mapped_column(ForeignKey("proposals.id"), index=True)  # its dossier
