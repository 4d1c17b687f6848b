"""Word and Excel files carrying what runs or renders when opened, built from clean ones."""
import io
import zipfile

MACRO_DOCUMENT = "application/vnd.ms-word.document.macroEnabled.main+xml"
AFCHUNK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk"


def docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("Biên bản hội nghị điển hình tiên tiến")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.active["A1"] = "Danh sách khen thưởng"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def altered(data: bytes, add: dict[str, bytes] | None = None, overrides: dict[str, str] | None = None,
            replace: tuple[str, str] | None = None, relationship: tuple[str, str] | None = None) -> bytes:
    """`data` with parts added, content types declared for parts (name -> type), one content type
    replaced by another, or one relationship (type, target) added to the main part's."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "[Content_Types].xml":
                text = content.decode()
                if replace:
                    text = text.replace(*replace)
                extra = "".join(f'<Override PartName="/{name}" ContentType="{kind}"/>'
                                for name, kind in (overrides or {}).items())
                content = text.replace("</Types>", extra + "</Types>").encode()
            elif relationship and info.filename in ("word/_rels/document.xml.rels", "xl/_rels/workbook.xml.rels"):
                kind, target = relationship
                content = content.decode().replace(
                    "</Relationships>", f'<Relationship Id="rIdX" Type="{kind}" Target="{target}"/></Relationships>'
                ).encode()
            archive.writestr(info, content)
        for name, content in (add or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


HTML = b"<html><body><script>alert(1)</script></body></html>"

# (file name, bytes, what the refusal names): every way such content hides in a package.
ACTIVE_FILES = [
    ("bien-ban.docx", lambda: altered(docx_bytes(), add={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0 VBA"}), "macro"),
    ("bien-ban.docx", lambda: altered(docx_bytes(), add={"customXml/VBAPROJECT.BIN": b"VBA"}), "macro"),
    ("bien-ban.docx", lambda: altered(docx_bytes(), replace=(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", MACRO_DOCUMENT)), "macro"),
    ("bien-ban.docx", lambda: altered(docx_bytes(), add={"word/afchunk.mht": HTML}), "HTML"),
    ("bien-ban.docx", lambda: altered(docx_bytes(), add={"word/chunk.dat": HTML},
                                      overrides={"word/chunk.dat": "application/xhtml+xml"}), "HTML"),
    ("bien-ban.docx", lambda: altered(docx_bytes(), add={"word/chunk.dat": HTML},
                                      overrides={"word/chunk.dat": "text/html"}), "HTML"),
    ("bien-ban.docx", lambda: altered(docx_bytes(), add={"word/chunk.dat": HTML},
                                      relationship=(AFCHUNK, "chunk.dat")), "altChunk"),
    ("bien-ban.docx", lambda: altered(docx_bytes(), add={"word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0"}),
     "OLE"),
    ("bien-ban.docx", lambda: altered(docx_bytes(), add={"word/activeX/activeX1.xml": b"<ax:ocx/>"}), "ActiveX"),
    ("danh-sach.xlsx", lambda: altered(xlsx_bytes(), add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 VBA"}), "macro"),
    ("danh-sach.xlsx", lambda: altered(xlsx_bytes(), add={"xl/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0"}),
     "OLE"),
]
