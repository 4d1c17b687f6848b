"""Word and Excel evidence files that carry macros, embedded web content, OLE objects or ActiveX
controls are refused like executables, with a message that names the file and what it carries."""
import io

import pytest

from tests.attachments.office import ACTIVE_FILES, altered, docx_bytes, xlsx_bytes
from tracker.attachments import services as files
from tracker.attachments.services import Upload, UploadRefused


@pytest.mark.parametrize("name,build,what", ACTIVE_FILES)
def test_active_content_is_refused(app, name, build, what):
    with app.test_request_context():  # the message in the default language, Vietnamese
        with pytest.raises(UploadRefused) as caught:
            files.check_upload(Upload(name, io.BytesIO(build())), 10 * files.MB)
        message = str(caught.value.message)
    assert caught.value.rule == "active" and caught.value.field == "files"
    assert name in message and what in message and "PDF" in message


@pytest.mark.parametrize("name,data", [
    ("bien-ban.docx", docx_bytes()), ("danh-sach.xlsx", xlsx_bytes()),
    # printer settings are .bin parts too, and harmless
    ("danh-sach.xlsx", altered(xlsx_bytes(), add={"xl/printerSettings/printerSettings1.bin": b"\x00" * 64})),
])
def test_plain_office_files_are_accepted(name, data):
    assert files.check_upload(Upload(name, io.BytesIO(data)), 10 * files.MB).content_type in (files.DOCX, files.XLSX)


def test_a_macro_file_renamed_to_the_plain_ending_is_still_refused():
    """A .docm saved under .docx: the ending matches the sniffed type, the content does not pass."""
    data = altered(docx_bytes(), add={"word/vbaProject.bin": b"VBA"}, replace=(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "application/vnd.ms-word.document.macroEnabled.main+xml"))
    assert files.sniff(data) == files.DOCX
    assert files.active_content(data) == "macros"


def test_package_parts_too_large_to_check_are_refused(monkeypatch):
    monkeypatch.setattr(files, "MAX_CHECKED_BYTES", 100)
    assert files.active_content(docx_bytes()) == "unchecked"
