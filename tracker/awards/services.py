"""The award catalogue and, later, proposals and decisions."""
from sqlalchemy import select

from tracker.audit.services import record
from tracker.awards.catalogue import catalogue
from tracker.awards.models import AwardType, Recipient
from tracker.extensions import db


def load_catalogue(actor) -> int:
    """Add the catalogue's award types that are not stored yet; returns how many were added."""
    existing = set(db.session.execute(select(AwardType.regime, AwardType.code)).all())
    added = 0
    for row in catalogue():
        if (row["regime"], row["code"]) in existing:
            continue
        award = AwardType(**{**row, "recipient": Recipient(row["recipient"])})
        db.session.add(award)
        db.session.flush()
        record(actor, "award_type.created", award, f"{award.regime} {award.name}")
        added += 1
    return added
