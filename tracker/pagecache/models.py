"""The data version: one number that every commit changing data moves on (see tracker.pagecache)."""
from sqlalchemy import BigInteger
from sqlalchemy.orm import Mapped, mapped_column

from tracker.extensions import db


class DataVersion(db.Model):
    """A single row (id 1). Cached page bodies are keyed by its value, so a commit that changes
    anything makes every cached body stale at once."""

    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    value: Mapped[int] = mapped_column(BigInteger, default=0)
