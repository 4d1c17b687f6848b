"""Vietnamese alphabetical order, as a key that sorts by plain comparison (in Python, or in either
database: SQLite's BINARY, PostgreSQL's "C" collation).

The Vietnamese alphabet orders the letters with their vowel marks as letters of their own
(a < ă < â < b < c < d < đ < e < ê < ... < o < ô < ơ < ... < u < ư < v < x < y), and the tones
only after that, in the order of the CLDR's Vietnamese collation (none, grave `, hook ̉, tilde ~,
acute ´, dot below ̣). So "Phường An Cựu" < "Phường Đông Ba" < "Phường Thuận Hóa", and "Đ..."
no longer falls after "Z..." as it does in code-point order. Case is ignored; a space sorts before
any letter ("An Cựu" before "Anh"), digits before letters.

The key is two parts joined by a separator below every character: the letters (primary), then
the tones (secondary), so tones decide only between names that are otherwise equal.
"""
import unicodedata

# The alphabet in order, with the Latin letters Vietnamese borrows (f, j, w, z) where they fall.
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_PRIMARY = {letter: chr(0x41 + index) for index, letter in enumerate(ALPHABET)}  # "A".."f"
_DIGITS = {str(d): chr(0x30 + d) for d in range(10)}  # "0".."9": before letters
_SPACE = "\x21"  # "!": before digits and letters
# Vowel marks that make a letter of their own (after NFD): breve, circumflex, horn.
_VOWEL_MARKS = {("a", "\u0306"): "ă", ("a", "\u0302"): "â", ("e", "\u0302"): "ê", ("o", "\u0302"): "ô",
                ("o", "\u031b"): "ơ", ("u", "\u031b"): "ư"}
# Tones, in order; "0" is no tone.
_TONES = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}
_SEPARATOR = "\x20"  # below every character the key holds


def sort_key(text: str) -> str:
    """The key of `text` in Vietnamese alphabetical order (see the module's notes)."""
    letters: list[str] = []
    tones: list[str] = []
    for char in unicodedata.normalize("NFD", (text or "").casefold()):
        if letters and (letters[-1], char) in _VOWEL_MARKS:
            letters[-1] = _VOWEL_MARKS[(letters[-1], char)]
        elif char in _TONES:
            if tones:
                tones[-1] = _TONES[char]
        elif unicodedata.combining(char):
            continue  # another mark: no weight
        elif char.isspace():
            if letters and letters[-1] != " ":
                letters.append(" ")
                tones.append("0")
        else:
            letters.append(char)
            tones.append("0")
    while letters and letters[-1] == " ":
        letters.pop()
        tones.pop()
    primary = "".join(_PRIMARY.get(c) or _DIGITS.get(c) or (_SPACE if c == " " else _other(c)) for c in letters)
    return primary + _SEPARATOR + "".join(tones)


def _other(char: str) -> str:
    """Punctuation just above a space; any other script after the Vietnamese letters, by code point."""
    if not char.isalnum():
        return "\x22"
    return chr(0x100 + ord(char)) if ord(char) < 0x10FF00 else char


def sorted_vietnamese(items, key=lambda item: item):
    """`items` sorted by sort_key of key(item)."""
    return sorted(items, key=lambda item: sort_key(key(item)))
