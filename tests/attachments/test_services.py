"""File checks: the type comes from the content, sizes are limited, names are cleaned."""
import io

import pytest

from tests.attachments.office import docx_bytes, xlsx_bytes
from tests.factories import pdf_bytes
from tracker.attachments import services as files
from tracker.attachments.services import Upload, UploadRefused
from tracker.errors import InvalidData

MB = files.MB


def png_bytes() -> bytes:
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def jpeg_bytes() -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(200) + b"\xff\xd9"


def zip_bytes() -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("setup.exe", b"MZ" + bytes(100))
    return buffer.getvalue()


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(400)
ELF = b"\x7fELF\x02\x01\x01" + bytes(400)


@pytest.mark.parametrize("data,expected", [
    (pdf_bytes(), files.PDF), (png_bytes(), files.PNG), (jpeg_bytes(), files.JPEG),
    (docx_bytes(), files.DOCX), (xlsx_bytes(), files.XLSX), (zip_bytes(), "application/zip"),
    (EXE, "application/x-msdownload"), (b"#!/bin/sh\nrm -rf /\n", None), (b"<html><script>", None),
])
def test_sniffing_reads_the_content(data, expected):
    assert files.sniff(data) == expected


def check(name, data, limit=10 * MB):
    return files.check_upload(Upload(name, io.BytesIO(data)), limit)


@pytest.mark.parametrize("name,data", [
    ("bien-ban.pdf", pdf_bytes()), ("Ảnh hội nghị.JPG", jpeg_bytes()), ("anh.jpeg", jpeg_bytes()),
    ("anh.png", png_bytes()), ("ke-hoach.docx", docx_bytes()), ("danh-sach.xlsx", xlsx_bytes()),
])
def test_accepted_files(name, data):
    checked = check(name, data)
    assert checked.name == name and checked.size == len(data) and len(checked.sha256) == 64


@pytest.mark.parametrize("name,data,rule", [
    ("bien-ban.pdf", EXE, "type"),  # a renamed executable
    ("quyet-dinh.docx", ELF, "type"),
    ("tai-lieu.pdf", zip_bytes(), "type"),
    ("trang.pdf", b"<html><script>alert(1)</script></html>", "type"),
    ("bien-ban.docx", pdf_bytes(), "name"),  # a real PDF under a Word name
    ("anh.png", jpeg_bytes(), "name"),
    ("bien-ban", pdf_bytes(), "name"),
    ("rong.pdf", b"", "empty"),
])
def test_refused_files_say_which_rule(name, data, rule):
    with pytest.raises(UploadRefused) as caught:
        check(name, data)
    assert caught.value.rule == rule and caught.value.field == "files"
    assert name in str(caught.value.message)


def test_size_limit_is_exact():
    data = pdf_bytes()
    padded = data + b"%" * (MB - len(data))
    assert check("a.pdf", padded, limit=MB).size == MB
    with pytest.raises(UploadRefused) as caught:
        check("a.pdf", padded + b"%", limit=MB)
    assert caught.value.rule == "too_large"


def test_an_oversized_stream_is_not_read_to_the_end():
    class Endless(io.RawIOBase):
        read_bytes = 0

        def readable(self):
            return True

        def read(self, size=-1):
            size = 1024 * 1024 if size is None or size < 0 else size
            self.read_bytes += size
            return b"%PDF" + b"0" * (size - 4)

    stream = Endless()
    with pytest.raises(UploadRefused):
        files.check_upload(Upload("a.pdf", stream), MB)
    assert stream.read_bytes <= MB + 1


def test_check_uploads_lists_every_refused_file_and_the_total():
    with pytest.raises(InvalidData) as caught:
        files.check_uploads([Upload("a.pdf", io.BytesIO(pdf_bytes())), Upload("b.pdf", io.BytesIO(EXE)),
                             Upload("c.png", io.BytesIO(b""))], 10 * MB, 50 * MB)
    assert len(caught.value.errors["files"]) == 2
    with pytest.raises(InvalidData):
        files.check_uploads([Upload("a.pdf", io.BytesIO(pdf_bytes()))], 10 * MB, 50 * MB, used_bytes=50 * MB)
    assert len(files.check_uploads([Upload("a.pdf", io.BytesIO(pdf_bytes()))], 10 * MB, 50 * MB)) == 1


@pytest.mark.parametrize("raw,clean", [
    ("../../etc/passwd", "passwd"), ("C:\\Users\\An\\Biên bản.pdf", "Biên bản.pdf"),
    ("bien\x00ban\r\n.pdf", "bienban.pdf"), ("", "file"), ("...", "file"),
    ("a" * 300 + ".pdf", "a" * 251 + ".pdf"),
])
def test_names_are_cleaned(raw, clean):
    assert files.clean_name(raw) == clean


def test_limits_come_from_the_configuration(app, monkeypatch):
    monkeypatch.setitem(app.config, "REPORT_MAX_FILE_MB", 3)
    monkeypatch.setitem(app.config, "REPORT_MAX_TOTAL_MB", 7)
    assert files.limits() == (3 * MB, 7 * MB)
    assert app.config["UPLOAD_FOLDER"] and not app.config["UPLOAD_FOLDER"].startswith(app.static_folder)


def test_defaults():
    from config import BASE_DIR, Config

    assert Config.UPLOAD_FOLDER == str(BASE_DIR / "instance" / "uploads")
    assert (Config.REPORT_MAX_FILE_MB, Config.REPORT_MAX_TOTAL_MB) == (10, 50)
    assert Config.MAX_CONTENT_LENGTH > Config.REPORT_MAX_TOTAL_MB * MB  # a too-large file gets a form message
