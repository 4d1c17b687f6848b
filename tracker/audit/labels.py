"""The audit log in words: what each action and kind of record is called, and the names of the
fields whose changes it keeps (the pages show "Trả lại đề cử – Nguyễn Văn Hòa", "Năm sinh:
1970 → 1972", never `nomination.returned` or "Nomination #9")."""
import json

from flask_babel import lazy_gettext as _l

ACTION_LABELS = {
    "attachment.added": _l("Attached a file"),
    "attachment.removed": _l("Removed a file"),
    "auth.login": _l("Signed in to the tracker"),
    "auth.login_failed": _l("Failed to sign in"),
    "auth.logout": _l("Signed out"),
    "auth.session_ended": _l("Ended a session"),
    "auth.sessions_ended": _l("Ended the other sessions"),
    "award_record.created": _l("Recorded an award received"),
    "award_type.created": _l("Added an award to the catalogue"),
    "award_type.updated": _l("Changed an award of the catalogue"),
    "award_rule.created": _l("Made a new version of an award's rules"),
    "calendar_day.created": _l("Recorded a day on the working-day calendar"),
    "calendar_day.removed": _l("Removed a day from the working-day calendar"),
    "council_member.added": _l("Added a member to the council"),
    "council_member.ended": _l("Ended a council membership"),
    "council_meeting.scheduled": _l("Scheduled a council meeting"),
    "council_meeting.attendance": _l("Recorded who attended a council meeting"),
    "council_meeting.agenda": _l("Put nominations on a council meeting's agenda"),
    "council_meeting.agenda_removed": _l("Took a nomination off a council meeting's agenda"),
    "council_meeting.vote": _l("Recorded the secret ballot on an item"),
    "proposal.posted": _l("Posted a proposal's list publicly"),
    "proposal.posting_restarted": _l("A nominee added: the list is to be posted again"),
    "objection.received": _l("Received an objection to a posted list"),
    "objection.upheld": _l("Upheld an objection: withdrew the nominee"),
    "objection.dismissed": _l("Dismissed an objection"),
    "revocation.proposed": _l("Proposed the revocation of an award"),
    "revocation.decided": _l("Decided the revocation of an award"),
    "revocation.dismissed": _l("Dismissed the revocation of an award"),
    "award_record.revoked": _l("Revoked an award received"),
    "candidate.created": _l("Registered a person or collective"),
    "candidate.updated": _l("Changed the details of a person or collective"),
    "candidate_year.created": _l("Recorded a year of history"),
    "candidate_year.updated": _l("Changed a year of history"),
    "job.started": _l("Started a background job"),
    "milestone.created": _l("Added a milestone"),
    "milestone.deleted": _l("Deleted a milestone"),
    "milestone.updated": _l("Changed a milestone"),
    "movement.created": _l("Added a movement"),
    "movement.deleted": _l("Deleted a movement"),
    "movement.updated": _l("Changed a movement"),
    "nomination.created": _l("Drew up the nomination of %(what)s"),
    "nomination.updated": _l("Changed the nomination of %(what)s"),
    "nomination.imported": _l("Imported nominations"),
    "nomination.submitted": _l("Submitted the nomination of %(what)s"),
    "nomination.resubmitted": _l("Submitted again the nomination of %(what)s"),
    "nomination.returned": _l("Returned the nomination of %(what)s"),
    "nomination.accepted": _l("Accepted the nomination of %(what)s"),
    "nomination.rejected": _l("Rejected the nomination of %(what)s"),
    "nomination.withdrawn": _l("Withdrew the nomination of %(what)s"),
    "nomination.awarded": _l("Awarded the nomination of %(what)s"),
    "nomination.draft": _l("Reopened the nomination of %(what)s"),
    "plan.created": _l("Created the plan"),
    "plan.updated": _l("Changed the plan"),
    "plan.active": _l("Activated the plan"),
    "plan.closed": _l("Closed the plan"),
    "plan.draft": _l("Put the plan back to draft"),
    "proposal.created": _l("Drew up the proposal"),
    "proposal.items_added": _l("Added nominations to the proposal"),
    "proposal.item_removed": _l("Removed a nomination from the proposal"),
    "proposal.submitted": _l("Submitted the proposal to the leaders"),
    "proposal.approved": _l("Approved the proposal"),
    "proposal.rejected": _l("Did not approve the proposal"),
    "proposal.decided": _l("Recorded the decision on the proposal"),
    "reminder.sent": _l("Sent a reminder"),
    "report.created": _l("Started the progress report"),
    "report.updated": _l("Changed the progress report"),
    "report.submitted": _l("Submitted the progress report"),
    "report.resubmitted": _l("Submitted again the progress report"),
    "report.returned": _l("Returned the progress report"),
    "report.accepted": _l("Accepted the progress report"),
    "report.draft": _l("Reopened the progress report"),
    "token.created": _l("Made an API access token"),
    "token.revoked": _l("Revoked an API access token"),
    "unit.created": _l("Added the unit"),
    "unit.updated": _l("Changed the unit"),
    "user.created": _l("Created the account"),
    "user.updated": _l("Changed the account"),
    "user.activated": _l("Reactivated the account"),
    "user.deactivated": _l("Deactivated the account"),
    "user.password_changed": _l("Changed their password"),
    "user.password_reset": _l("Reset the password of %(what)s"),
    "user.calendar_token_regenerated": _l("Made a new calendar link"),
}

RECORD_LABELS = {
    "Attachment": _l("File"),
    "ApiToken": _l("API access token"),
    "AwardRecord": _l("Award received"),
    "AwardType": _l("Award of the catalogue"),
    "CalendarDay": _l("Day of the calendar"),
    "Candidate": _l("Person or collective"),
    "CouncilMember": _l("Council member"),
    "CouncilMeeting": _l("Council meeting"),
    "Revocation": _l("Revocation of an award"),
    "CandidateYear": _l("Year of history"),
    "Job": _l("Background job"),
    "Milestone": _l("Milestone"),
    "Movement": _l("Movement"),
    "Nomination": _l("Nomination"),
    "Plan": _l("Plan"),
    "ProgressReport": _l("Progress report"),
    "Proposal": _l("Proposal"),
    "Unit": _l("Unit"),
    "User": _l("Account"),
}

# Names of the fields that several kinds of record share; each area adds its own (the view
# gathers them: tracker.audit.views).
FIELD_LABELS = {
    "status": _l("Status"),
    "name": _l("Name"),
    "title": _l("Title"),
    "number": _l("Number"),
    "full_name": _l("Full name"),
    "role": _l("Role"),
    "unit": _l("Unit"),
    "unit_id": _l("Unit"),
    "parent_id": _l("Parent unit"),
    "kind": _l("Kind"),
    "code": _l("Code"),
    "email": _l("Email"),
    "active": _l("Active"),
    "start_date": _l("Start date"),
    "due_date": _l("Due date"),
    "issued_date": _l("Issued on"),
    "comment": _l("Comment"),
    "reason": _l("Reason"),
    "category": _l("Category"),
    "size": _l("Size"),
    "sha256": _l("SHA-256"),
    "scope": _l("What it may do"),
    "days": _l("Lasts"),
}


def action_label(action: str, summary: str = "") -> str:
    """What was done, in words, with the record's name (the event's summary) where it fits."""
    label = ACTION_LABELS.get(action)
    text = str(label) if label is not None else action
    if "%(what)s" in text:
        return text.replace("%(what)s", summary or "—")
    return f"{text} – {summary}" if summary else text


def record_label(entity_type: str) -> str:
    label = RECORD_LABELS.get(entity_type)
    return str(label) if label is not None else entity_type


def _shown(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_l("yes") if value else _l("no"))
    if isinstance(value, list):
        return ", ".join(_shown(v) for v in value) or "—"
    return str(value)


def change_lines(changes: str, field_labels: dict, value_labels: dict | None = None,
                 entity_type: str = "") -> list[str]:
    """The stored changes (JSON: {field: [old, new]} or {field: value}) as "label: old → new";
    coded values (a status) by their labels (`value_labels`: {entity type: {field: {code: label}}})."""
    coded = (value_labels or {}).get(entity_type, {})
    if not changes:
        return []
    try:
        data = json.loads(changes)
    except ValueError:
        return [changes]
    if not isinstance(data, dict):
        return [_shown(data)]
    lines = []
    for field, value in data.items():
        label = field_labels.get(field) or FIELD_LABELS.get(field) or field
        words = coded.get(field, {})

        def shown(v):
            return str(words[v]) if isinstance(v, str) and v in words else _shown(v)

        if isinstance(value, list) and len(value) == 2 and not any(isinstance(v, (list, dict)) for v in value):
            lines.append(f"{label}: {shown(value[0])} → {shown(value[1])}")
        else:
            lines.append(f"{label}: {shown(value)}")
    return lines
