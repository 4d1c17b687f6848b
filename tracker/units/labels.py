"""What users read for each kind of unit."""
from flask_babel import lazy_gettext as _l

from tracker.units.models import UnitKind

UNIT_KIND_LABELS = {
    UnitKind.PROVINCE: _l("Province"),
    UnitKind.CITY: _l("City"),
    UnitKind.DISTRICT: _l("District"),
    UnitKind.WARD: _l("Ward"),
    UnitKind.COMMUNE: _l("Commune"),
    UnitKind.SPECIAL_ZONE: _l("Special zone"),
    UnitKind.AGENCY: _l("Agency"),
    UnitKind.OTHER: _l("Other"),
}


def unit_kind_label(value) -> str:
    """The label of a UnitKind given as the enum or its stored value ("ward")."""
    kind = value if isinstance(value, UnitKind) else UnitKind(value)
    return str(UNIT_KIND_LABELS[kind])
