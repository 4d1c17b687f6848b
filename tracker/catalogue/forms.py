"""The form of a new version of an award's rules: per requirement, its thresholds (labelled and
range-checked), its legal basis and its confidence; the day it comes into force."""
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from tracker.candidates.labels import RATING_LABELS
from tracker.forms_base import DayField, VersionForm, choices
from tracker.rules.requirements import PARAM_BOUNDS, requirements_of

# Every threshold's label (its bounds are the rules' own: tracker.rules.requirements.PARAM_BOUNDS).
THRESHOLD_LABELS = {
    "quota_percent": _l("Share of Lao động tiên tiến who may receive it (%)"),
    "consecutive_years": _l("Consecutive years required"),
    "times": _l("Times required"),
    "cycle_years": _l("Years between two conferrals in a row"),
    "min_ldtt_percent": _l("Members with Lao động tiên tiến, at least (%)"),
    "min_cstdcs": _l("Members with Chiến sĩ thi đua cơ sở, at least"),
    "initiatives": _l("Initiatives required"),
    "min_rating": _l("Lowest rating of the year"),
    "approval_percent": _l("Agreeing votes needed, in per cent of the council's members less the recused"),
    "approval_inclusive": _l("1 = that share or more passes; 0 = more than that share"),
    "ballot_required": _l("1 = the dossier needs the council's secret ballot; 0 = it does not"),
}
CONFIDENCE_LABELS = {"V": _l("V – read in the legal text"), "S": _l("S – from an official summary"),
                     "U": _l("U – unverified (only warns)")}


def rules_form(code: str, current: dict, params_of, formdata=None, version: int | None = None,
               today=None) -> VersionForm:
    """The form of a new version of an award's rules: the day it comes into force, a note, and for
    each requirement its thresholds, legal basis and confidence (filled with the version in force,
    `current`: {requirement: AwardRule}, whose thresholds `params_of(rule)` reads)."""
    class RulesForm(VersionForm):
        valid_from = DayField(_l("In force from"), validators=[Optional()])
        note = TextAreaField(_l("Why (the instrument that changed the rule)"), validators=[Optional(), Length(max=2000)])

    data = {"valid_from": today, "note": ""}
    for requirement in requirements_of(code):
        row = current.get(requirement.key)
        params = params_of(row) if row is not None else {}
        for name in requirement.params:
            field_name = f"{requirement.key}-{name}"
            if name == "min_rating":
                field = SelectField(THRESHOLD_LABELS[name], choices=choices(
                    (r.value, label) for r, label in RATING_LABELS.items()))
            else:
                low, high = PARAM_BOUNDS[name]
                field = IntegerField(THRESHOLD_LABELS.get(name, name), validators=[
                    InputRequired(_l("Enter a whole number.")),
                    NumberRange(low, high, _l("Enter a number from %(min)s to %(max)s.", min=low, max=high))])
            setattr(RulesForm, field_name, field)
            data[field_name] = params.get(name)
        setattr(RulesForm, f"{requirement.key}-legal_basis", TextAreaField(
            _l("Legal basis (down to the article)"), validators=[Optional(), Length(max=2000)]))
        setattr(RulesForm, f"{requirement.key}-confidence", SelectField(
            _l("Confidence"), choices=choices(CONFIDENCE_LABELS.items())))
        data[f"{requirement.key}-legal_basis"] = row.legal_basis if row is not None else ""
        data[f"{requirement.key}-confidence"] = row.confidence if row is not None else "U"
    if version is not None:
        data["version"] = version
    return RulesForm(formdata=formdata, data=data)


def changes_of(code: str, form) -> dict:
    """What the form says of each requirement, for tracker.catalogue.services.add_rule_version."""
    return {requirement.key: {
        "params": {name: form[f"{requirement.key}-{name}"].data for name in requirement.params},
        "legal_basis": form[f"{requirement.key}-legal_basis"].data or "",
        "confidence": form[f"{requirement.key}-confidence"].data,
    } for requirement in requirements_of(code)}


def threshold_text(key: str, value) -> str:
    """A threshold as the catalogue lists it: its label and its value in words."""
    if key == "min_rating":
        from tracker.candidates.models import Rating

        try:
            shown = RATING_LABELS[Rating(value)]
        except ValueError:
            shown = value
        return f"{THRESHOLD_LABELS[key]}: {shown}"
    return f"{THRESHOLD_LABELS.get(key, key)}: {value}"
