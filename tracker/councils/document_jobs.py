"""The minutes of a council meeting, written by a background job and kept in storage until
downloaded from the job's page."""
import secrets

from flask_babel import gettext as _

from tracker import storage
from tracker.councils import documents, services
from tracker.councils.models import CouncilMeeting
from tracker.extensions import db
from tracker.jobs.services import JobFailed, Result, start_job
from tracker.permissions import can_open_meeting

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def start_minutes(actor, meeting: CouncilMeeting):
    return start_job(actor, "council_minutes", _("Minutes of the council meeting of %(day)s",
                                                 day=meeting.meeting_date.strftime("%d/%m/%Y")),
                     {"meeting_id": meeting.id})


def minutes_job(job, progress) -> Result:
    owner = job.owner
    meeting = db.session.get(CouncilMeeting, job.params["meeting_id"])
    if meeting is None or not owner.active or not can_open_meeting(owner, meeting):
        raise JobFailed(_("This meeting is no longer yours to see."))
    progress(0, 1, phase="writing")
    data = minutes_bytes(meeting)
    progress(1, 1, phase="storing")
    key = f"exports/{job.id}-{secrets.token_hex(12)}.docx"
    storage.current().put_bytes(key, data, DOCX)
    return Result(key=key, name=f"bien-ban-hop-hoi-dong-{meeting.meeting_date:%Y-%m-%d}.docx", content_type=DOCX,
                  size=len(data))


def minutes_bytes(meeting: CouncilMeeting) -> bytes:
    return documents.minutes_docx(meeting, services.attendance(meeting),
                                  {item.id: services.verdict_of(item) for item in meeting.items if item.passed is not None})
