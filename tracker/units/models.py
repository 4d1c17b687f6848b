"""The organizational tree: province > city/district > ward/commune, plus agencies."""
import enum
from typing import Optional

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from tracker.collation import sort_key
from tracker.extensions import db
from tracker.models_base import SORT_KEY_TYPE, TimestampMixin, Versioned, enum_column



class UnitKind(enum.Enum):
    PROVINCE = "province"
    CITY = "city"
    DISTRICT = "district"
    WARD = "ward"
    COMMUNE = "commune"
    SPECIAL_ZONE = "special_zone"
    AGENCY = "agency"
    OTHER = "other"


GRASSROOTS_KINDS = (UnitKind.WARD, UnitKind.COMMUNE, UnitKind.SPECIAL_ZONE)


def ancestor_ids(path: str) -> list[int]:
    """"/1/5/23/" -> [1, 5, 23]: the unit itself and every unit above it."""
    return [int(part) for part in path.strip("/").split("/") if part]


class Unit(Versioned, TimestampMixin, db.Model):
    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # The name's key in Vietnamese alphabetical order (tracker.collation), kept with the name by
    # _keep_sort_key below; lists order units by it ("Đông Ba" after "Dương Nỗ", not after "Z").
    sort_key: Mapped[str] = mapped_column(SORT_KEY_TYPE, default="", server_default="", index=True)
    kind: Mapped[UnitKind] = mapped_column(enum_column(UnitKind))
    parent_id: Mapped[Optional[int]] = mapped_column(ForeignKey("units.id"), index=True)
    # Materialized path of ids, "/1/5/23/": the subtree of X is every path starting with X's.
    path: Mapped[str] = mapped_column(String(255), index=True, default="")
    depth: Mapped[int] = mapped_column(default=0)

    parent: Mapped[Optional["Unit"]] = relationship(remote_side=[id])

    @property
    def ancestor_ids(self) -> list[int]:
        """The unit itself and every unit above it, root first."""
        return ancestor_ids(self.path)

    def is_within(self, other: "Unit") -> bool:
        """True when this unit is `other` or lies below it."""
        return self.path.startswith(other.path)

    @validates("name")
    def _keep_sort_key(self, _key: str, name: str) -> str:
        self.sort_key = sort_key(name)
        return name

    def __repr__(self) -> str:
        return f"<Unit {self.code} {self.name}>"
