"""The catalogue's award types: loading them per regime and the thresholds an admin may change."""
import json

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select

from tracker import changes as noted
from tracker.audit.services import record
from tracker.catalogue.models import AwardType, Recipient
from tracker.catalogue.regimes import catalogue, regime_for
from tracker.errors import DomainError
from tracker.extensions import db
from tracker.models_base import check_version, new_version
from tracker.rules.eligibility import DEFAULT_PARAMS

MSG_AWARD_CONFLICT = _l(
    "Someone else changed this award's thresholds after you opened them. Nothing of yours was saved: "
    "open them again to see their changes, then make yours."
)


def load_catalogue(actor) -> int:
    """Add the catalogue's award types that are not stored yet, with their default thresholds;
    returns how many were added. Thresholds an admin changed are left alone."""
    existing = set(db.session.execute(select(AwardType.regime, AwardType.code)).all())
    added = 0
    for row in catalogue():
        if (row["regime"], row["code"]) in existing:
            continue
        params = DEFAULT_PARAMS.get(row["code"], {})
        award = AwardType(**{**row, "recipient": Recipient(row["recipient"])},
                          rules_json=json.dumps(params, ensure_ascii=False))
        db.session.add(award)
        db.session.flush()
        record(actor, "award_type.created", award, f"{award.regime} {award.name}")
        noted.shared_changed(db.session)  # award names show on every page
        added += 1
    return added


def award_params(award: AwardType) -> dict:
    """The award's thresholds: the rule's defaults overridden by what is stored."""
    try:
        stored = json.loads(award.rules_json or "{}")
    except ValueError:
        stored = {}
    defaults = DEFAULT_PARAMS.get(award.code, {})
    if not isinstance(stored, dict):
        stored = {}
    # A threshold the rule no longer has (an older rule's) is left out.
    return {**defaults, **{key: value for key, value in stored.items() if key in defaults}}


def update_award_params(actor, award: AwardType, params: dict, *, expected_version: int | None = None) -> AwardType:
    """Change an award type's thresholds (only the keys it already has: DomainError otherwise);
    audited. ConflictError when they changed since the form was built (`expected_version`)."""
    check_version(award, expected_version, MSG_AWARD_CONFLICT)
    current = award_params(award)
    unknown = set(params) - set(current)
    if unknown:
        raise DomainError(_l("Unknown threshold: %(names)s.", names=", ".join(sorted(unknown))))
    new = {**current, **params}
    if new != current:
        award.rules_json = json.dumps(new, ensure_ascii=False)
        new_version(award, MSG_AWARD_CONFLICT)
        record(actor, "award_type.updated", award, f"{award.regime} {award.name}",
               {k: [current.get(k), v] for k, v in params.items() if current.get(k) != v})
        noted.shared_changed(db.session)  # award names show on every page
    return award


def awards_of_regime(regime: str) -> Select:
    return select(AwardType).where(AwardType.regime == regime, AwardType.active.is_(True)).order_by(AwardType.id)


def award_choices(day) -> list[AwardType]:
    """The active awards of the legal regime in force on `day`, in catalogue order."""
    return list(db.session.scalars(awards_of_regime(regime_for(day))))


def every_award() -> list[AwardType]:
    """The whole catalogue, the newest regime first."""
    return list(db.session.scalars(select(AwardType).order_by(AwardType.regime.desc(), AwardType.id)))
