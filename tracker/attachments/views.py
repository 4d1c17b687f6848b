"""Evidence files of progress reports, nominations and proposals' dossiers: one download and one
removal route for all, each checked by the rules of the record the file belongs to."""
from dataclasses import dataclass
from typing import Callable

from flask import Blueprint, abort, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tracker.attachments.models import Attachment
from tracker.downloads import stored_file_response
from tracker.outcome import attempt, done
from tracker.permissions import (
    can_edit_nomination,
    can_edit_dossier,
    can_edit_report,
    can_view_nomination,
    can_view_proposal,
    can_view_report,
    get_by_id,
    get_in_scope_or_404,
    require,
)

bp = Blueprint("attachments", __name__)


@bp.before_request
@login_required
def _signed_in():
    pass


@dataclass(frozen=True)
class Owner:
    """A kind of record that has evidence files, and its rules."""

    model: type
    key: str  # the attachment's column naming the record
    may_view: Callable
    may_edit: Callable
    remove: Callable  # the owning area's service: (actor, record, attachment)
    shown_at: str  # the record's page
    edited_at: str  # its form


def _owners() -> dict[str, Owner]:
    from tracker.awards import dossier
    from tracker.awards.models import Proposal
    from tracker.nominations import services as nominations
    from tracker.nominations.models import Nomination
    from tracker.reports import services as reports
    from tracker.reports.models import ProgressReport

    return {
        "reports": Owner(ProgressReport, "report_id", can_view_report, can_edit_report,
                         reports.remove_report_attachment, "reports.show", "reports.edit"),
        "nominations": Owner(Nomination, "nomination_id", can_view_nomination, can_edit_nomination,
                             nominations.remove_nomination_attachment, "nominations.show", "nominations.edit"),
        "proposals": Owner(Proposal, "proposal_id", can_view_proposal, can_edit_dossier, dossier.remove_file,
                           "awards.proposal", "awards.proposal"),
    }


def _record_and_file_or_404(owner: str, owner_id: int, attachment_id: int):
    """The record (in the user's scope, which they may see) and one of its files, or 404."""
    kind = _owners()[owner]
    record = get_in_scope_or_404(current_user, kind.model, owner_id)
    require(kind.may_view(current_user, record))
    attachment = get_by_id(Attachment, attachment_id)
    if attachment is None or getattr(attachment, kind.key) != record.id:
        abort(404)
    return kind, record, attachment


@bp.route("/<any(reports, nominations, proposals):owner>/<int:owner_id>/files/<int:attachment_id>")
def download(owner: str, owner_id: int, attachment_id: int):
    _kind, _record, attachment = _record_and_file_or_404(owner, owner_id, attachment_id)
    return attachment_response(attachment)


@bp.route("/<any(reports, nominations, proposals):owner>/<int:owner_id>/files/<int:attachment_id>/delete",
          methods=["POST"])
def delete(owner: str, owner_id: int, attachment_id: int):
    kind, record, attachment = _record_and_file_or_404(owner, owner_id, attachment_id)
    require(kind.may_edit(current_user, record))
    if not attempt(lambda: kind.remove(current_user, record, attachment)).ok:
        return redirect(url_for(kind.shown_at, **{f"{owner[:-1]}_id": record.id}))
    return done(_("The file was removed."), url_for(kind.edited_at, **{f"{owner[:-1]}_id": record.id}))


def attachment_response(attachment: Attachment):
    """The file as a download under its original name, with the type sniffed at upload."""
    return stored_file_response(attachment.stored_name, mimetype=attachment.content_type,
                                download_name=attachment.original_name, etag=attachment.sha256)
