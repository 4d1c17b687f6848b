"""The JSON shapes of /api/v1, declared once: the OpenAPI document is generated from them, the
request bodies are checked by them, and every answer is dumped through them.

Answers are built as plain dicts by each resource module (`*_json` functions) and dumped by
these schemas, so a field's type in the document is the type on the wire.
"""
from datetime import timezone

from marshmallow import RAISE, Schema, fields, validate

from tracker.candidates.models import CandidateKind, Gender
from tracker.inputs import MAX_ID
from tracker.nominations.fields import TEXT_LIMITS
from tracker.nominations.models import NominationStatus
from tracker.reports.models import ReportStatus

class Moment(fields.DateTime):
    """A moment in ISO 8601 with its offset (stored moments are UTC; SQLite gives them back naive)."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return super()._serialize(value, attr, obj, **kwargs)


class Text(fields.String):
    """A text of the API: one holding a NUL character is refused (no database column keeps it)."""

    default_error_messages = {"nul": "NUL characters are not allowed."}

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in text:
            raise self.make_error("nul")
        return text


Int = fields.Integer
Str = Text
NULL_INT = {"allow_none": True}
MAX_INT = 2**31 - 1  # what an integer column holds


def ident(**kwargs):
    """An id: a positive integer a database column can hold (tracker.inputs.MAX_ID)."""
    return Int(validate=validate.Range(min=1, max=MAX_ID), **kwargs)


def count(**kwargs):
    return Int(allow_none=True, validate=validate.Range(min=0, max=MAX_INT), **kwargs)


class Strict(Schema):
    class Meta:
        unknown = RAISE


class Query(Schema):
    class Meta:
        unknown = RAISE  # a misspelt filter is an error, not a silently wider list


# --- problems and pages ----------------------------------------------------------------------


class Message(Schema):
    vi = Str(required=True)
    en = Str(required=True)


class ProblemSchema(Schema):
    """RFC 9457 problem details; `errors` maps each field to its messages in both languages."""

    type = Str(required=True)
    title = Str(required=True)
    status = Int(required=True)
    detail = Str()
    errors = fields.Dict(keys=Str(), values=fields.List(fields.Nested(Message)))
    candidate_id = Int()


class PageQuery(Query):
    cursor = Int(validate=validate.Range(min=1, max=MAX_ID),
                 metadata={"description": "next_cursor of the previous page: the list goes on after it"})
    limit = Int(load_default=25, validate=validate.Range(min=1, max=100))


def page_of(item_schema, name: str):
    return type(name, (Schema,), {
        "items": fields.List(fields.Nested(item_schema), required=True),
        "next_cursor": Int(allow_none=True, required=True,
                           metadata={"description": "give it as ?cursor= for the next page; null: last page"}),
    })


# --- units and plans -------------------------------------------------------------------------


class UnitSchema(Schema):
    id = Int(required=True)
    name = Str(required=True)
    code = Str(required=True)
    kind = Str(required=True)
    kind_label = Str(required=True)
    parent_id = Int(allow_none=True, required=True)


class UnitTreeSchema(UnitSchema):
    ancestors = fields.List(fields.Nested(UnitSchema), required=True,
                            metadata={"description": "from the caller's own unit down to this unit's parent"})
    children = fields.List(fields.Nested(UnitSchema), required=True)


class UnitQuery(PageQuery):
    q = Str(load_default="", validate=validate.Length(max=200))
    kind = Str(validate=validate.OneOf(["province", "city", "district", "ward", "commune", "special_zone",
                                        "agency", "other"]))


class MovementSchema(Schema):
    id = Int(required=True)
    name = Str(required=True)
    description = Str(required=True)


class MilestoneSchema(Schema):
    id = Int(required=True)
    title = Str(required=True)
    kind = Str(required=True)
    scope = Str(required=True, metadata={"description": "children (every unit of the kinds) or issuing_unit"})
    unit_kinds = fields.List(Str(), required=True)
    start_date = fields.Date(required=True)
    due_date = fields.Date(required=True)
    requires_report = fields.Boolean(required=True)


class PlanSchema(Schema):
    id = Int(required=True)
    number = Str(required=True)
    title = Str(required=True)
    issued_date = fields.Date(required=True)
    issuing_unit = fields.Nested(UnitSchema, required=True)
    period_start_year = Int(required=True)
    period_end_year = Int(required=True)
    status = Str(required=True)
    legal_basis = Str(required=True)
    parent_id = Int(allow_none=True, required=True)


class PlanDetailSchema(PlanSchema):
    summary = Str(required=True)
    movements = fields.List(fields.Nested(MovementSchema), required=True)
    milestones = fields.List(fields.Nested(MilestoneSchema), required=True)


class ObligationSchema(Schema):
    plan_id = Int(required=True)
    plan_number = Str(required=True)
    milestone = fields.Nested(MilestoneSchema, required=True)
    status = Str(required=True, metadata={"description": "not_started, in_progress, returned, late, submitted, accepted"})
    days_left = Int(required=True)
    report_id = Int(allow_none=True, required=True)


class ScopeQuery(Query):
    unit_id = ident(metadata={"description": "the scope (default: the caller's unit)"})
    movement_id = ident()


class LateQuery(Query):
    unit_id = ident()
    milestone_id = ident()
    limit = Int(load_default=100, validate=validate.Range(min=1, max=500))


class MilestoneFiguresSchema(Schema):
    milestone_id = Int(required=True)
    title = Str(required=True)
    due_date = fields.Date(required=True)
    owing = Int(required=True)
    handed_in = Int(required=True)
    accepted = Int(required=True)
    late = Int(required=True)
    pending = Int(required=True)
    days_left = Int(required=True)


class FiguresSchema(Schema):
    plan_id = Int(required=True)
    scope = fields.Nested(UnitSchema, required=True)
    movement_id = Int(allow_none=True, required=True)
    milestones = fields.List(fields.Nested(MilestoneFiguresSchema), required=True)
    nominations = fields.Dict(keys=Str(), values=Int(), required=True,
                              metadata={"description": "by status"})
    nominations_total = Int(required=True)
    individuals_handed_in = Int(required=True)
    collectives_handed_in = Int(required=True)
    proposals = fields.Dict(keys=Str(), values=Int(), required=True, metadata={"description": "by status"})


class LateUnitSchema(Schema):
    milestone_id = Int(required=True)
    milestone_title = Str(required=True)
    due_date = fields.Date(required=True)
    unit = fields.Nested(UnitSchema, required=True)


class LateListSchema(Schema):
    items = fields.List(fields.Nested(LateUnitSchema), required=True)
    late_total = Int(required=True, metadata={"description": "late units in the scope, all milestones"})


# --- reports ---------------------------------------------------------------------------------


class HonourRowSchema(Strict):
    form = Str(required=True, validate=validate.Length(max=200))
    movement_id = Int(allow_none=True, load_default=None, validate=validate.Range(min=1, max=MAX_ID))
    individuals = Int(load_default=0, validate=validate.Range(min=0, max=MAX_INT))
    collectives = Int(load_default=0, validate=validate.Range(min=0, max=MAX_INT))


class ReportSchema(Schema):
    id = Int(required=True)
    milestone = fields.Nested(MilestoneSchema, required=True)
    plan_id = Int(required=True)
    unit = fields.Nested(UnitSchema, required=True)
    status = Str(required=True)
    version = Int(required=True)
    held_date = fields.Date(allow_none=True, required=True)
    outside_window_reason = Str(required=True)
    place = Str(required=True)
    chaired_by = Str(required=True)
    participants = Int(allow_none=True, required=True)
    individuals_honoured = Int(allow_none=True, required=True)
    collectives_honoured = Int(allow_none=True, required=True)
    delegates = Int(allow_none=True, required=True)
    funding_vnd = Int(allow_none=True, required=True)
    narrative = Str(required=True)
    nominations_handed_in = Int(allow_none=True, required=True)
    honours = fields.List(fields.Nested(HonourRowSchema), required=True)
    review_comment = Str(required=True)
    submitted_at = Moment(allow_none=True, required=True)


class ReportQuery(PageQuery):
    plan_id = ident()
    milestone_id = ident()
    unit_id = ident()
    status = Str(validate=validate.OneOf([s.value for s in ReportStatus]))


class ReportWrite(Strict):
    held_date = fields.Date(allow_none=True)
    outside_window_reason = Str(validate=validate.Length(max=4000))
    place = Str(validate=validate.Length(max=300))
    chaired_by = Str(validate=validate.Length(max=200))
    participants = count()
    delegates = count()
    funding_vnd = Int(allow_none=True, validate=validate.Range(min=0, max=2**63 - 1))
    narrative = Str(validate=validate.Length(max=20000))
    honours = fields.List(fields.Nested(HonourRowSchema), validate=validate.Length(max=200))
    submit = fields.Boolean(load_default=False, metadata={"description": "hand the report in after saving"})


# --- nominations -----------------------------------------------------------------------------


def _text(name: str, **kwargs):
    return Str(validate=validate.Length(max=TEXT_LIMITS.get(name, 4000)), **kwargs)


class CandidateWrite(Strict):
    kind = Str(required=True, validate=validate.OneOf([k.value for k in CandidateKind]))
    full_name = _text("full_name", required=True)
    gender = Str(allow_none=True, validate=validate.OneOf([g.value for g in Gender]))
    birth_year = Int(allow_none=True, validate=validate.Range(min=0, max=9999))
    position = _text("position")
    workplace = _text("workplace")
    member_count = count()


class NominationWrite(Strict):
    movement_id = ident(allow_none=True)
    candidate = fields.Nested(CandidateWrite)
    candidate_id = ident(allow_none=True, metadata={
        "description": "the registered candidate to nominate (after a 409 naming it)"})
    achievements = _text("achievements")
    achievement_title = _text("achievement_title", metadata={"description": "the achievement proposed for reward, named"})
    period_start_year = Int(allow_none=True, validate=validate.Range(min=0, max=9999))
    period_end_year = Int(allow_none=True, validate=validate.Range(min=0, max=9999))
    meeting_date = fields.Date(allow_none=True)
    members_present = count()
    votes_for = count()
    proposed_award_type_id = ident(allow_none=True)
    proposed_honour = _text("proposed_honour")
    submit = fields.Boolean(load_default=False, metadata={"description": "hand it in to the committee after saving"})


class NominationCreate(NominationWrite):
    plan_id = ident(required=True)
    movement_id = ident(required=True)
    candidate = fields.Nested(CandidateWrite, required=True)


class CommentBody(Strict):
    comment = Str(required=True, validate=validate.Length(max=4000))


class ReasonBody(Strict):
    reason = Str(required=True, validate=validate.Length(max=4000))


class CandidateSchema(Schema):
    id = Int(required=True)
    kind = Str(required=True)
    full_name = Str(required=True)
    gender = Str(allow_none=True, required=True)
    birth_year = Int(allow_none=True, required=True)
    position = Str(required=True)
    workplace = Str(required=True)
    member_count = Int(allow_none=True, required=True)
    unit = fields.Nested(UnitSchema, required=True)


class NominationSchema(Schema):
    id = Int(required=True)
    version = Int(required=True)
    status = Str(required=True)
    status_label = Str(required=True)
    plan_id = Int(required=True)
    plan_number = Str(required=True)
    movement_id = Int(allow_none=True, required=True)
    unit = fields.Nested(UnitSchema, required=True)
    candidate = fields.Nested(CandidateSchema, required=True)
    achievements = Str(required=True)
    achievement_title = Str(required=True)
    period_start_year = Int(allow_none=True, required=True)
    period_end_year = Int(allow_none=True, required=True)
    meeting_date = fields.Date(allow_none=True, required=True)
    members_present = Int(allow_none=True, required=True)
    votes_for = Int(allow_none=True, required=True)
    proposed_award_type_id = Int(allow_none=True, required=True)
    proposed_honour = Str(required=True)
    review_comment = Str(required=True)
    submitted_at = Moment(allow_none=True, required=True)
    updated_at = Moment(allow_none=True, required=True)


class NominationQuery(PageQuery):
    plan_id = ident()
    movement_id = ident()
    unit_id = ident()
    status = Str(validate=validate.OneOf(["pending"] + [s.value for s in NominationStatus]))
    kind = Str(validate=validate.OneOf([k.value for k in CandidateKind]))
    q = Str(load_default="", validate=validate.Length(max=200))


# --- candidates, awards, proposals -------------------------------------------------------------


class YearSchema(Schema):
    year = Int(required=True)
    rating = Str(allow_none=True, required=True)
    initiative_level = Str(allow_none=True, required=True)
    initiative_title = Str(required=True)
    initiative_count = Int(allow_none=True, required=True)
    research_accepted = fields.Boolean(allow_none=True, required=True)
    discipline = Str(allow_none=True, required=True)
    members_total = Int(allow_none=True, required=True)
    members_completed = Int(allow_none=True, required=True)
    members_ldtt = Int(allow_none=True, required=True)
    members_cstdcs = Int(allow_none=True, required=True)
    members_disciplined = Int(allow_none=True, required=True)
    months_in_service = Int(allow_none=True, required=True)
    leave_working_days = Int(allow_none=True, required=True, metadata={"description": "maternity leave not counted"})


class AwardRecordSchema(Schema):
    id = Int(required=True)
    candidate_id = Int(required=True)
    award_type_id = Int(allow_none=True, required=True)
    award_name = Str(required=True)
    year = Int(required=True)
    decision_number = Str(required=True)
    decision_date = fields.Date(allow_none=True, required=True)
    plan_id = Int(allow_none=True, required=True)
    nomination_id = Int(allow_none=True, required=True)
    revoked = fields.Boolean(required=True, metadata={
        "description": "Revoked by a decision: kept in the history, counted nowhere."})


class CandidateDetailSchema(CandidateSchema):
    years = fields.List(fields.Nested(YearSchema), required=True)
    awards = fields.List(fields.Nested(AwardRecordSchema), required=True)


class CandidateQuery(PageQuery):
    unit_id = ident()
    kind = Str(validate=validate.OneOf([k.value for k in CandidateKind]))
    q = Str(load_default="", validate=validate.Length(max=200))


class AwardTypeSchema(Schema):
    id = Int(required=True)
    regime = Str(required=True)
    code = Str(required=True)
    name = Str(required=True)
    recipient = Str(required=True)
    conferred_by = Str(required=True)
    legal_basis = Str(required=True)
    confidence = Str(required=True)


class AwardTypeQuery(Query):
    regime = Str(validate=validate.Length(max=16))


class EligibilityQuery(Query):
    award_type_id = ident(required=True)
    on = fields.Date(metadata={"description": "the day of the proposal (default: today)"})


class CheckSchema(Schema):
    requirement = Str(required=True)
    result = Str(required=True, metadata={"description": "pass, fail or unknown"})
    message = Str(required=True)
    legal_basis = Str(required=True)
    confidence = Str(required=True, metadata={"description": "V verified, S verified for the older law, U unverified"})
    blocking = fields.Boolean(required=True)


class EligibilitySchema(Schema):
    candidate_id = Int(required=True)
    award_type = fields.Nested(AwardTypeSchema, required=True)
    regime = Str(required=True)
    year = Int(required=True, metadata={"description": "the year whose achievements are judged"})
    result = Str(required=True, metadata={"description": "pass, fail or unknown"})
    checks = fields.List(fields.Nested(CheckSchema), required=True)


class AwardRecordQuery(PageQuery):
    candidate_id = ident()
    plan_id = ident()
    year = Int(validate=validate.Range(min=1900, max=2200))


class DecisionSchema(Schema):
    id = Int(required=True)
    number = Str(required=True)
    decision_date = fields.Date(required=True)
    signer = Str(required=True)


class ProposalItemSchema(Schema):
    nomination_id = Int(required=True)
    candidate_name = Str(required=True)
    unit = fields.Nested(UnitSchema, required=True)
    awarded = fields.Boolean(allow_none=True, required=True)
    reward_vnd = Int(allow_none=True, required=True, metadata={
        "description": "the reward money in đồng (null: none known for this award)"})


class ProposalSchema(Schema):
    id = Int(required=True)
    number = Str(required=True)
    proposal_date = fields.Date(allow_none=True, required=True)
    plan_id = Int(allow_none=True, required=True)
    proposing_unit = fields.Nested(UnitSchema, required=True)
    award_type = fields.Nested(AwardTypeSchema, required=True)
    addressed_authority = Str(required=True)
    status = Str(required=True)
    submitted_at = Moment(allow_none=True, required=True)


class ProposalDetailSchema(ProposalSchema):
    items = fields.List(fields.Nested(ProposalItemSchema), required=True)
    decision = fields.Nested(DecisionSchema, allow_none=True, required=True)
    reward_total_vnd = Int(required=True, metadata={"description": "the items' reward money in đồng"})
    base_salary_vnd = Int(allow_none=True, required=True, metadata={
        "description": "the base salary the money is reckoned on (that of the decision's day, else the proposal's)"})


class ProposalQuery(PageQuery):
    status = Str(validate=validate.OneOf(["draft", "submitted", "approved", "rejected", "decided"]))


# --- the public honour roll ---------------------------------------------------------------------


class HonouredSchema(Schema):
    name = Str(required=True)
    is_collective = fields.Boolean(required=True)
    position = Str(required=True)
    unit = Str(required=True)
    award = Str(required=True)
    year = Int(required=True)
    decision_number = Str(required=True)
    movement = Str(required=True)
    summary = Str(required=True)
    revoked = fields.Boolean(required=True, metadata={
        "description": "The award was revoked (listed, marked, only where the tracker is set to keep revoked awards)."})


class HonourPlanSchema(Schema):
    plan_id = Int(required=True)
    number = Str(required=True)
    title = Str(required=True)
    awarded = Int(required=True)


class HonourQuery(PageQuery):
    q = Str(load_default="", validate=validate.Length(max=200))
    unit_id = ident()
    movement_id = ident()


class MeSchema(Schema):
    id = Int(required=True)
    username = Str(required=True)
    full_name = Str(required=True)
    role = Str(required=True)
    unit = fields.Nested(UnitSchema, required=True)
    token_scope = Str(allow_none=True, required=True, metadata={"description": "read or write; null in a browser"})
