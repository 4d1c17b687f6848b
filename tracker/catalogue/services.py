"""The catalogue's award types per regime, and their rules kept as versioned law: one row per
requirement per version (AwardRule), each with its thresholds, legal basis, confidence and the day
it comes into force. A proposal is judged by the versions in force on its date."""
import json
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select

from tracker import changes as noted
from tracker.audit.services import record
from tracker.catalogue.models import AwardRule, AwardType, Recipient
from tracker.catalogue.regimes import REGIMES, catalogue, regime_for
from tracker.errors import InvalidData
from tracker.extensions import db
from tracker.models_base import check_version, new_version
from tracker.rules.ballot import default_vote_params
from tracker.rules.eligibility import DEFAULT_PARAMS, default_basis, default_confidence
from tracker.rules.requirements import PARAM_BOUNDS, RATINGS, requirements_of

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
    ensure_rules(actor)
    return added


# --- rules as versioned law --------------------------------------------------------------------


def regime_start(regime: str) -> date:
    return next(start for code, start, _end, _basis in REGIMES if code == regime)


def regime_end(regime: str) -> date | None:
    return next(end for code, _start, end, _basis in REGIMES if code == regime)


def ensure_rules(actor) -> int:
    """Give every award type the first version of each requirement it has no row for, in force
    from its regime's first day (thresholds from the award's stored ones, the engine's basis and
    confidence); returns how many rows were added. A requirement the tracker learns later (the
    council's vote) so joins the awards of an older database."""
    have = set(db.session.execute(select(AwardRule.award_type_id, AwardRule.requirement).distinct()).all())
    added = 0
    for award in db.session.scalars(select(AwardType).order_by(AwardType.id)):
        params = {**default_vote_params(award.code, award.regime), **award_params(award)}
        for requirement in requirements_of(award.code):
            if (award.id, requirement.key) in have:
                continue
            db.session.add(AwardRule(
                award_type_id=award.id, requirement=requirement.key,
                params_json=json.dumps({k: params[k] for k in requirement.params if k in params}, ensure_ascii=False),
                legal_basis=default_basis(requirement.key, award.regime, award.code),
                confidence=default_confidence(award.code, requirement.key, award.regime, award.confidence),
                valid_from=regime_start(award.regime), note="", created_by_id=actor.id if actor else None))
            added += 1
    if added:
        db.session.flush()
        noted.shared_changed(db.session)
    return added


def rule_rows(award: AwardType) -> list[AwardRule]:
    return list(db.session.scalars(select(AwardRule).where(AwardRule.award_type_id == award.id)
                                   .order_by(AwardRule.requirement, AwardRule.valid_from, AwardRule.id)))


def in_force(rows: list[AwardRule], day: date) -> dict[str, AwardRule]:
    """Of an award's rows, each requirement's version in force on `day`: the latest from a day on
    or before it (a day before every version takes the first one)."""
    chosen: dict[str, AwardRule] = {}
    for row in sorted(rows, key=lambda r: (r.valid_from, r.id)):
        current = chosen.get(row.requirement)
        if current is None or row.valid_from <= day:
            chosen[row.requirement] = row
    return chosen


def every_rule_in_force(day: date) -> dict[int, dict[str, AwardRule]]:
    """The whole catalogue's requirement versions in force on `day`, by award id (one read)."""
    rows: dict[int, list[AwardRule]] = {}
    for row in db.session.scalars(select(AwardRule)):
        rows.setdefault(row.award_type_id, []).append(row)
    return {award_id: in_force(award_rows, day) for award_id, award_rows in rows.items()}


def rules_in_force(award: AwardType, day: date) -> dict[str, AwardRule]:
    """One read: the award's requirement versions in force on `day`."""
    return in_force(rule_rows(award), day)


def params_of(rules: dict[str, AwardRule], award: AwardType) -> dict:
    """The thresholds the eligibility engine reads from the versions in force (its defaults for any missing)."""
    params = dict(DEFAULT_PARAMS.get(award.code, {}))
    for key, rule in rules.items():
        if key != "council_vote":  # the council's threshold is the ballot's (tracker.councils), not the engine's
            params.update(rule_params(rule))
    return params


def labels_of(rules: dict[str, AwardRule]) -> dict[str, tuple[str, str]]:
    return {key: (rule.legal_basis, rule.confidence) for key, rule in rules.items()}


def rule_params(rule: AwardRule) -> dict:
    try:
        value = json.loads(rule.params_json or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def rule_history(award: AwardType) -> list[tuple[object, list[AwardRule]]]:
    """Each requirement (in the award's order) with its versions, the newest first."""
    rows = rule_rows(award)
    return [(requirement, sorted((r for r in rows if r.requirement == requirement.key),
                                 key=lambda r: (r.valid_from, r.id), reverse=True))
            for requirement in requirements_of(award.code)]


MSG_RULES_CONFLICT = _l(
    "Someone else changed this award's rules after you opened them. Nothing of yours was saved: "
    "open them again to see their changes, then make yours."
)


def add_rule_version(actor, award: AwardType, valid_from: date | None, changes: dict[str, dict], note: str = "",
                     *, expected_version: int | None = None) -> list[AwardRule]:
    """New versions of the award's requirements, in force from `valid_from`: for each requirement
    in `changes` ({key: {"params": {...}, "legal_basis": str, "confidence": "V"|"S"|"U"}}) whose
    values differ from the version in force that day, one new row; the old rows stay. Checked
    first, all together (InvalidData): the day within the regime, each threshold within its
    bounds, a legal basis, a known confidence. Audited; ConflictError for a stale form."""
    check_version(award, expected_version, MSG_RULES_CONFLICT)
    errors: dict[str, list] = {}
    start, end = regime_start(award.regime), regime_end(award.regime)
    if valid_from is None:
        errors.setdefault("valid_from", []).append(_l("Enter the day the new version comes into force."))
    elif valid_from < start or (end is not None and valid_from > end):
        errors.setdefault("valid_from", []).append(
            _l("Choose a day within the regime's dates (%(start)s – %(end)s).", start=start.strftime("%d/%m/%Y"),
               end=end.strftime("%d/%m/%Y") if end else "…"))
    known = {r.key: r for r in requirements_of(award.code)}
    for key, values in changes.items():
        requirement = known.get(key)
        if requirement is None:
            errors.setdefault(key, []).append(_l("This award has no such requirement."))
            continue
        for name, value in (values.get("params") or {}).items():
            field = f"{key}-{name}"
            if name not in requirement.params:
                errors.setdefault(field, []).append(_l("This requirement has no such threshold."))
            elif name == "min_rating":
                if value not in RATINGS:
                    errors.setdefault(field, []).append(_l("Choose a rating."))
            else:
                low, high = PARAM_BOUNDS[name]
                if not isinstance(value, int) or not low <= value <= high:
                    errors.setdefault(field, []).append(
                        _l("Enter a number from %(min)s to %(max)s.", min=low, max=high))
        if not (values.get("legal_basis") or "").strip():
            errors.setdefault(f"{key}-legal_basis", []).append(_l("Give the legal basis, down to the article."))
        if values.get("confidence") not in ("V", "S", "U"):
            errors.setdefault(f"{key}-confidence", []).append(_l("Choose how sure the rule is."))
    vote = (changes.get("council_vote") or {}).get("params") or {}
    if vote.get("approval_percent") == 100 and vote.get("approval_inclusive") == 0:
        errors.setdefault("council_vote-approval_inclusive", []).append(
            _l("No ballot can pass with more than all the members agreeing: choose 1 (that share or more)."))
    if len(note or "") > 2000:
        errors.setdefault("note", []).append(_l("At most %(max)s characters.", max=2000))
    if errors:
        raise InvalidData(errors)
    current = in_force(rule_rows(award), valid_from)
    added = []
    for key, values in changes.items():
        before = current.get(key)
        params = {**(rule_params(before) if before else {}), **(values.get("params") or {})}
        basis, confidence = values["legal_basis"].strip(), values["confidence"]
        if before is not None and (rule_params(before), before.legal_basis, before.confidence) == (params, basis, confidence):
            continue
        row = AwardRule(award_type_id=award.id, requirement=key, params_json=json.dumps(params, ensure_ascii=False),
                        legal_basis=basis, confidence=confidence, valid_from=valid_from, note=(note or "").strip(),
                        created_by_id=actor.id if actor else None)
        db.session.add(row)
        added.append(row)
    if added:
        db.session.flush()
        new_version(award, MSG_RULES_CONFLICT)
        record(actor, "award_rule.created", award, f"{award.regime} {award.name}",
               {row.requirement: [None, {"from": valid_from.isoformat(), "params": rule_params(row),
                                         "confidence": row.confidence}] for row in added})
        noted.shared_changed(db.session)
    return added


def award_params(award: AwardType) -> dict:
    """The thresholds stored with the award type before its rules were versioned (what the first
    version of each requirement starts from): the rule's defaults overridden by what is stored."""
    try:
        stored = json.loads(award.rules_json or "{}")
    except ValueError:
        stored = {}
    defaults = DEFAULT_PARAMS.get(award.code, {})
    if not isinstance(stored, dict):
        stored = {}
    # A threshold the rule no longer has (an older rule's) is left out.
    return {**defaults, **{key: value for key, value in stored.items() if key in defaults}}


def awards_of_regime(regime: str) -> Select:
    return select(AwardType).where(AwardType.regime == regime, AwardType.active.is_(True)).order_by(AwardType.id)


def award_choices(day) -> list[AwardType]:
    """The active awards of the legal regime in force on `day`, in catalogue order."""
    return list(db.session.scalars(awards_of_regime(regime_for(day))))


def every_award() -> list[AwardType]:
    """The whole catalogue, the newest regime first."""
    return list(db.session.scalars(select(AwardType).order_by(AwardType.regime.desc(), AwardType.id)))
