"""The Vietnamese catalogue is complete: every string in the code and templates is translated."""
import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "tracker" / "translations" / "vi" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _catalogue():
    with PO.open("rb") as handle:
        return read_po(handle)


def test_every_extracted_message_is_translated(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "_l",
         "-k", "_n:1,2", "-o", str(pot), "--no-location", ".", "templates/_macros"],
        cwd=ROOT, check=True, capture_output=True,
    )
    with pot.open("rb") as handle:
        wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    catalogue = _catalogue()
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalogue
        if m.id and (all(m.string) if isinstance(m.string, tuple) else m.string) and not m.fuzzy
    }
    assert len(wanted) > 150  # the extraction really read the code and templates
    missing = sorted(wanted - translated)
    assert not missing, f"{len(missing)} untranslated: {missing[:10]}"


def test_placeholders_survive_translation():
    for message in _catalogue():
        if not message.id:
            continue
        source = message.id if isinstance(message.id, str) else message.id[0]
        targets = message.string if isinstance(message.string, tuple) else (message.string,)
        for target in targets:
            assert set(PLACEHOLDER.findall(source)) == set(PLACEHOLDER.findall(target)), source


# A gettext call inside an f-string's braces: Babel's extractor reads an f-string as one string
# token, so such a message never reaches the catalogue and shows in English.
IN_F_STRING = re.compile(r"""\bf(["'])[^"'\n]*\{\s*(_|_l|gettext|lazy_gettext|ngettext|_n)\(""")


def test_no_message_hides_inside_an_f_string():
    found = [f"{path.relative_to(ROOT)}:{number}"
             for path in sorted((ROOT / "tracker").rglob("*.py"))
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if IN_F_STRING.search(line)]
    assert not found, found
