"""Serving an evidence file; the blueprint that owns the record decides who may download it."""
import os

from flask import abort, current_app, send_file

from tracker.attachments.models import Attachment
from tracker.attachments.services import path_of
from tracker.permissions import get_by_id


def attachment_of_or_404(attachment_id: int, **owner) -> Attachment:
    """The attachment with this id that belongs to `owner` (report_id=… or nomination_id=…), or 404."""
    attachment = get_by_id(Attachment, attachment_id)
    if attachment is None or any(getattr(attachment, name) != value for name, value in owner.items()):
        abort(404)
    return attachment


def attachment_response(attachment: Attachment):
    """The file as a download under its original name, with the type sniffed at upload."""
    path = path_of(attachment)
    if not os.path.isfile(path):
        current_app.logger.warning("attachment %s: file %s is missing", attachment.id, attachment.stored_name)
        abort(404)
    response = send_file(
        path,
        mimetype=attachment.content_type,
        as_attachment=True,
        download_name=attachment.original_name,
        conditional=True,
        etag=attachment.sha256,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Even if a browser were tricked into rendering it, the file could run nothing.
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response
