"""The form of an award's thresholds: one labelled, range-checked input per threshold it has."""
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField
from wtforms.validators import InputRequired, NumberRange

from tracker.candidates.labels import RATING_LABELS
from tracker.forms_base import VersionForm, choices

# Every threshold an award may have: its label and its bounds (a streak of zero years is no rule).
THRESHOLDS = {
    "quota_percent": (_l("Share of Lao động tiên tiến who may receive it (%)"), 1, 100),
    "consecutive_years": (_l("Consecutive years required"), 1, 10),
    "times": (_l("Times required"), 1, 10),
    "cycle_years": (_l("Years between two conferrals in a row"), 1, 10),
    "min_ldtt_percent": (_l("Members with Lao động tiên tiến, at least (%)"), 0, 100),
    "min_cstdcs": (_l("Members with Chiến sĩ thi đua cơ sở, at least"), 0, 1000),
    "initiatives": (_l("Initiatives required"), 0, 50),
}


def thresholds_form(params: dict, formdata=None, version: int | None = None) -> VersionForm:
    """A form with one input per threshold in `params` (their current values), plus the version."""

    class ThresholdsForm(VersionForm):
        pass

    for key in params:
        if key == "min_rating":
            field = SelectField(_l("Lowest rating of the year"),
                                choices=choices((r.value, label) for r, label in RATING_LABELS.items()))
        else:
            label, low, high = THRESHOLDS.get(key, (key, 0, 100))
            field = IntegerField(label, validators=[
                InputRequired(_l("Enter a whole number.")),
                NumberRange(low, high, _l("Enter a number from %(min)s to %(max)s.", min=low, max=high))])
        setattr(ThresholdsForm, key, field)
    data = dict(params)
    if version is not None:
        data["version"] = version
    return ThresholdsForm(formdata=formdata, data=data)


def threshold_text(key: str, value) -> str:
    """A threshold as the catalogue lists it: its label and its value in words."""
    if key == "min_rating":
        from tracker.candidates.models import Rating

        try:
            shown = RATING_LABELS[Rating(value)]
        except ValueError:
            shown = value
        label = _l("Lowest rating of the year")
        return f"{label}: {shown}"
    label = THRESHOLDS.get(key, (key,))[0]
    return f"{label}: {value}"
