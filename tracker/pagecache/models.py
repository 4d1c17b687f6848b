"""Page versions: one number per scope that the commits changing that scope move on (see
tracker.pagecache.versions)."""
from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from tracker.extensions import db


class PageVersion(db.Model):
    """A kept page is keyed by the versions of the scopes it shows: a commit that changes one
    ward's nominations moves on that plan's scopes at the ward and its ancestors only."""

    __tablename__ = "page_versions"

    scope: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)
