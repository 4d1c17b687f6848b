"""Evidence files: checked by their content, stored under random names with their SHA-256."""
import hashlib
import io
import re
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

import filetype
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from tracker.attachments.models import Attachment
from tracker import storage
from tracker.audit.services import record
from tracker.errors import DomainError, InvalidData
from tracker.extensions import db

MB = 1024 * 1024
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JPEG = "image/jpeg"
PNG = "image/png"

# Accepted content types: the label users know and the name endings that may carry them.
ACCEPTED = {
    PDF: ("PDF", ("pdf",)),
    DOCX: ("DOCX", ("docx",)),
    XLSX: ("XLSX", ("xlsx",)),
    JPEG: ("JPG", ("jpg", "jpeg")),
    PNG: ("PNG", ("png",)),
}
ACCEPT_ATTRIBUTE = ",".join(f".{ext}" for _label, exts in ACCEPTED.values() for ext in exts)

CATEGORY_LABELS = {
    "plan": _l("Plan"),
    "minutes": _l("Minutes"),
    "decision": _l("Decision"),
    "photo": _l("Photo"),
    "achievements": _l("Achievements"),
    "initiative": _l("Certificate of an initiative"),
    "other": _l("Other"),
}

FIELD = "files"  # the form field upload errors belong to

# Office files (DOCX, XLSX) that carry what runs or renders when the file is opened are refused
# like executables: macros (VBA), embedded web pages and documents (HTML/MHT parts, altChunk,
# which Word imports into the document), embedded OLE objects and ActiveX controls. Each kind is
# found by part names, by the content types the package declares, and (altChunk) by its
# relationships; the labels say what was found.
ACTIVE_CONTENT = {
    "macros": _l("macros"),
    "web": _l("embedded web pages or documents (HTML, MHT, altChunk)"),
    "objects": _l("embedded objects or ActiveX controls"),
    "unchecked": _l("more internal structure than can be checked"),
}
_ACTIVE_TYPES = (
    ("macros", ("macroenabled", "vbaproject", "vbadata")),
    ("web", ("text/html", "application/xhtml+xml", "message/rfc822", "multipart/related")),
    ("objects", ("oleobject", "activex")),
)
_WEB_ENDINGS = (".htm", ".html", ".xhtml", ".mht", ".mhtml")
_CONTENT_TYPE = re.compile(rb"""ContentType\s*=\s*["']([^"']*)["']""", re.IGNORECASE)
# [Content_Types].xml and the .rels parts are small; more than this together is refused unread.
MAX_CHECKED_BYTES = 8 * MB


class UploadRefused(DomainError):
    """One file breaks one rule: `rule` is empty, too_large, type, active or name."""

    def __init__(self, message, rule: str):
        super().__init__(message, FIELD)
        self.rule = rule


@dataclass(frozen=True)
class Upload:
    """A file as the user sent it: its name and a readable binary stream."""

    name: str
    stream: BinaryIO


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    data: bytes
    sha256: str

    @property
    def size(self) -> int:
        return len(self.data)


def limits() -> tuple[int, int]:
    """(largest file, largest total per record) in bytes, from the configuration."""
    config = current_app.config
    return config["REPORT_MAX_FILE_MB"] * MB, config["REPORT_MAX_TOTAL_MB"] * MB


def clean_name(name: str) -> str:
    """The file's own name without any folder part or control characters, at most 255 chars."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch)[0] != "C")
    name = name.strip().strip(".") or "file"
    if len(name) > 255:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 254 - len(ext)] + dot + ext) if dot and len(ext) < 16 else name[:255]
    return name


def sniff(data: bytes) -> str | None:
    """The content type read from the bytes themselves (never from the name), or None.

    Office files are ZIP archives: they are told apart by the parts inside, because the
    signature matchers only look at the first entries and writers order them differently.
    """
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return "application/zip"
        if "[Content_Types].xml" in names:
            if "word/document.xml" in names:
                return DOCX
            if "xl/workbook.xml" in names:
                return XLSX
        return "application/zip"
    kind = filetype.guess(data)
    return kind.mime if kind else None


def active_content(data: bytes) -> str | None:
    """What a DOCX or XLSX carries that runs or renders when opened (a key of ACTIVE_CONTENT:
    macros, web, objects; unchecked when its package parts are too large to read), or None.

    Part names are read from the archive's directory; only [Content_Types].xml and the .rels
    parts are unpacked, at most MAX_CHECKED_BYTES of them, whatever their directory claims.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        for info in infos:
            path = info.filename.replace("\\", "/").lower()
            folders, _slash, base = path.rpartition("/")
            if base.startswith(("vbaproject", "vbadata")):
                return "macros"
            if base.endswith(_WEB_ENDINGS):
                return "web"
            if {"embeddings", "activex"} & set(folders.split("/")) or base.startswith(("oleobject", "activex")):
                return "objects"
        package = [i for i in infos if i.filename == "[Content_Types].xml" or i.filename.lower().endswith(".rels")]
        if sum(i.file_size for i in package) > MAX_CHECKED_BYTES:
            return "unchecked"
        for info in package:
            text = archive.read(info)
            if info.filename == "[Content_Types].xml":
                declared = [t.lower() for t in _CONTENT_TYPE.findall(text)]
                for kind, markers in _ACTIVE_TYPES:
                    if any(m.encode() in t for t in declared for m in markers):
                        return kind
            elif b"afchunk" in text.lower():  # the relationship type of an altChunk
                return "web"
    return None


def _read_limited(stream: BinaryIO, limit: int) -> bytes:
    """At most limit + 1 bytes: enough to know the file is too large without reading it all."""
    chunks, total = [], 0
    while total <= limit:
        chunk = stream.read(min(1024 * 1024, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def check_upload(upload: Upload, max_bytes: int) -> CheckedFile:
    """Read and check one upload; raises UploadRefused naming the rule it breaks.

    Rules: not empty; at most `max_bytes`; content (sniffed) is PDF, DOCX, XLSX, JPG or PNG;
    a DOCX or XLSX carries no macros, embedded web content, OLE objects or ActiveX controls
    (rule "active", see active_content); the name's ending matches that content (a PDF named
    .docx, or an executable named .pdf, is refused).
    """
    name = clean_name(upload.name)
    data = _read_limited(upload.stream, max_bytes)
    if not data:
        raise UploadRefused(_l("%(name)s: the file is empty.", name=name), "empty")
    if len(data) > max_bytes:
        raise UploadRefused(
            _l("%(name)s: the file is larger than %(limit)s MB.", name=name, limit=max_bytes // MB), "too_large"
        )
    content_type = sniff(data)
    accepted = ", ".join(label for label, _exts in ACCEPTED.values())
    if content_type not in ACCEPTED:
        raise UploadRefused(
            _l("%(name)s: this kind of file is not accepted (its content is %(kind)s); send %(accepted)s.",
               name=name, kind=content_type or _l("unknown"), accepted=accepted),
            "type",
        )
    label, endings = ACCEPTED[content_type]
    if content_type in (DOCX, XLSX):
        try:
            found = active_content(data)
        except (zipfile.BadZipFile, ValueError, OSError, RuntimeError, NotImplementedError, EOFError):
            found = "unchecked"  # sniffed as Office, yet its parts cannot be read: refuse
        if found:
            raise UploadRefused(
                _l("%(name)s: the file contains %(what)s, which is not accepted as evidence; save it as PDF, "
                   "or as a plain .%(ending)s without them, and send it again.",
                   name=name, what=ACTIVE_CONTENT[found], ending=endings[0]),
                "active",
            )
    ending = name.rpartition(".")[2].lower() if "." in name else ""
    if ending not in endings:
        raise UploadRefused(
            _l("%(name)s: the content is a %(kind)s file but the name does not end in .%(ending)s.",
               name=name, kind=label, ending=endings[0]),
            "name",
        )
    return CheckedFile(name, content_type, data, hashlib.sha256(data).hexdigest())


def check_uploads(uploads, max_file_bytes: int, max_total_bytes: int, used_bytes: int = 0) -> list[CheckedFile]:
    """Check every upload and the running total; raises InvalidData listing each file's broken rule."""
    checked, messages = [], []
    for upload in uploads:
        try:
            checked.append(check_upload(upload, max_file_bytes))
        except UploadRefused as error:
            messages.append(error.message)
    total = used_bytes + sum(c.size for c in checked)
    if not messages and total > max_total_bytes:
        messages.append(_l("Together with the files already attached, this is more than %(limit)s MB.",
                           limit=max_total_bytes // MB))
    if messages:
        raise InvalidData({FIELD: messages})
    return checked


def used_bytes(*, report_id: int | None = None, nomination_id: int | None = None,
               proposal_id: int | None = None) -> int:
    """The total size of the files already attached to a report, a nomination or a proposal."""
    query = select(func.coalesce(func.sum(Attachment.size), 0))
    if report_id is not None:
        query = query.where(Attachment.report_id == report_id)
    elif proposal_id is not None:
        query = query.where(Attachment.proposal_id == proposal_id)
    else:
        query = query.where(Attachment.nomination_id == nomination_id)
    return int(db.session.scalar(query) or 0)


def attachments_of(*, report_id: int | None = None, nomination_id: int | None = None,
                   proposal_id: int | None = None) -> list[Attachment]:
    """The files of a report, a nomination or a proposal, in upload order."""
    query = select(Attachment).order_by(Attachment.id)
    if report_id is not None:
        query = query.where(Attachment.report_id == report_id)
    elif proposal_id is not None:
        query = query.where(Attachment.proposal_id == proposal_id)
    else:
        query = query.where(Attachment.nomination_id == nomination_id)
    return list(db.session.scalars(query))


# --- storage -----------------------------------------------------------------------------
# Files are written when the row is added but belong to the transaction: a rollback removes
# what it wrote, and a removal only unlinks the file once the deletion is committed.

_WRITTEN = "tracker.attachments.written"
_DOOMED = "tracker.attachments.doomed"


def _write(data: bytes, content_type: str) -> str:
    """Store the file under a new random name (tracker.storage: the folder or the object store)."""
    stored_name = secrets.token_hex(20)
    storage.put_or_refuse(stored_name, data, content_type, FIELD)
    db.session.info.setdefault(_WRITTEN, []).append(stored_name)
    return stored_name


def _unlink(stored_name: str) -> None:
    try:
        storage.current().delete(stored_name)
    except (FileNotFoundError, storage.StorageError):
        current_app.logger.warning("attachment file %s could not be removed", stored_name)


@event.listens_for(Session, "after_commit")
def _after_commit(session) -> None:
    session.info.pop(_WRITTEN, None)
    for stored_name in session.info.pop(_DOOMED, []):
        _unlink(stored_name)


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session, transaction) -> None:
    if transaction.parent is not None or transaction.nested:
        return
    for stored_name in session.info.pop(_WRITTEN, []):  # not committed: the rows are gone, so the files go
        _unlink(stored_name)
    session.info.pop(_DOOMED, None)


def add_attachment(actor, checked: CheckedFile, category: str, *, unit_id: int | None,
                   report=None, nomination=None, proposal=None) -> Attachment:
    """Store a checked file under a random name and add its row; audit "attachment.added"."""
    if category not in CATEGORY_LABELS:
        category = "other"
    attachment = Attachment(
        original_name=checked.name,
        stored_name=_write(checked.data, checked.content_type),
        content_type=checked.content_type,
        category=category,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by_id=actor.id if actor else None,
        report_id=report.id if report is not None else None,
        nomination_id=nomination.id if nomination is not None else None,
        proposal_id=proposal.id if proposal is not None else None,
    )
    db.session.add(attachment)
    db.session.flush()
    record(actor, "attachment.added", attachment, checked.name,
           {"sha256": checked.sha256, "size": checked.size, "category": category}, unit_id=unit_id)
    return attachment


def remove_attachment(actor, attachment: Attachment, *, unit_id: int | None) -> None:
    """Delete the row now and the file once the transaction commits; audit "attachment.removed"."""
    record(actor, "attachment.removed", attachment, attachment.original_name,
           {"sha256": attachment.sha256}, unit_id=unit_id)
    db.session.info.setdefault(_DOOMED, []).append(attachment.stored_name)
    db.session.delete(attachment)
    db.session.flush()
