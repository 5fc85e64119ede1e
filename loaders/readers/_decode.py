"""From bytes to text: refuse binary files, decode UTF-8 (with or without BOM), UTF-16/32
with a BOM, and other encodings only when charset-normalizer's guess reads as prose.

The decoded text is what every offset refers to, with two normalisations that keep it
readable and safe to store: line ends become ``\\n`` (``\\r\\n`` and lone ``\\r``), and stray
control characters become a space (form feed and vertical tab a newline).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

import charset_normalizer

from sarcokg.errors import InputError

__all__ = ["binary_kind", "decode_text", "is_blank"]

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive or an Office document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a Microsoft Office (.doc/.xls) document"),
    (b"{\\rtf", "an RTF document"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x7fELF", "an executable"),
    (b"SQLite format 3\x00", "an SQLite database"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (  # UTF-32 first: its LE BOM starts like UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_MULTIBYTE = re.compile(r"utf|gb|big5|shift|jis|euc|cp93|cp94|cp95|johab|hz|iso2022")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SYMBOLS = set("°©®™•§¶†‡µ№´¨¸¯ˆ˜\xad")
_PROSE_CATEGORIES = {"Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Pc", "Sm", "Sc", "Zs"}
SUPPORTED = "plain text, PubMed/JATS/BioC XML, BioC JSON or case records in YAML/JSON"


def binary_kind(data: bytes) -> str | None:
    """What a binary file looks like (``"a PNG image"``), or None for a text file.

    >>> binary_kind(b"%PDF-1.7 ..."), binary_kind(b"A 64-year-old woman")
    ('a PDF document', None)
    >>> binary_kind(bytes(range(40)))
    'binary data (NUL bytes)'
    >>> binary_kind("UTF-16 text".encode("utf-16")) is None
    True
    """
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if b"\x00" in data and _bom_encoding(data) is None and _utf16_without_bom(data) is None:
        return "binary data (NUL bytes)"
    return None


def is_blank(data: bytes) -> bool:
    """True for a file with nothing but whitespace (in any of the BOM encodings).

    >>> is_blank(b" \\r\\n\\t"), is_blank(codecs.BOM_UTF8 + b"\\n"), is_blank(b" x ")
    (True, True, False)
    """
    encoding = _bom_encoding(data)
    if encoding is None:
        return not data.strip()
    try:
        return not data.decode(encoding).strip()
    except UnicodeDecodeError:
        return False


def decode_text(data: bytes, path: str | Path) -> str:
    """Decode a text file, or raise InputError naming the file and the offending line.

    >>> decode_text(codecs.BOM_UTF8 + b"Caf\\xc3\\xa9\\r\\nline 2\\r", "a.txt")
    'Café\\nline 2\\n'
    >>> decode_text("Caf\\u00e9 au lait, tumour of 5\\u00a0cm.".encode("cp1252"), "a.txt")
    'Café au lait, tumour of 5\\xa0cm.'
    >>> decode_text(b"Caf\\xc3\\xa9\\nna\\xefve", "b.txt")   # UTF-8 with one Latin-1 byte
    Traceback (most recent call last):
    ...
    sarcokg.errors.InputError: b.txt:2:3: not valid UTF-8 (byte 0xef) and not in another text encoding
    """
    kind = binary_kind(data)
    if kind is not None:
        raise InputError(f"binary file ({kind}); expected {SUPPORTED}", path=path)
    encoding = _bom_encoding(data) or _utf16_without_bom(data)
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise InputError(f"not valid {encoding.upper()} ({exc.reason})", path=path) from None
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            guessed = _guess_other_encoding(data)
            if guessed is None:
                line, column = _line_column(data, exc.start)
                raise InputError(
                    f"not valid UTF-8 (byte 0x{data[exc.start]:02x}) and not in another text encoding",
                    path=path,
                    line=line,
                    column=column,
                ) from None
            text = guessed
    return _normalize(text, path)


def _bom_encoding(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM shows NUL bytes at every other position (for Latin text)."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2], data[1::2]
    half = len(data) // 2
    encoding = None
    if odd.count(0) >= 0.3 * half and even.count(0) == 0:
        encoding = "utf-16-le"
    elif even.count(0) >= 0.3 * half and odd.count(0) == 0:
        encoding = "utf-16-be"
    if encoding is None:
        return None
    try:
        return encoding if _reads_as_prose(data.decode(encoding)) else None
    except UnicodeDecodeError:
        return None


def _guess_other_encoding(data: bytes) -> str | None:
    """Text in a legacy encoding, when one reads as prose; None for damaged UTF-8 or noise."""
    if _damaged_utf8(data):
        return None
    best = charset_normalizer.from_bytes(data).best()
    candidates: list[str] = []
    if best is None or not _MULTIBYTE.search(best.encoding):
        candidates.append("cp1252")  # the usual legacy encoding of English-language reports
    if best is not None:
        candidates.append(best.encoding)
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if _reads_as_prose(text) and (not _MULTIBYTE.search(encoding) or _mostly_non_ascii(text)):
            return text
    return None


def _mostly_non_ascii(text: str) -> bool:
    """A CJK-encoded report is mostly CJK; a few such characters in English text are noise."""
    visible = [char for char in text if not char.isspace()]
    return sum(not char.isascii() for char in visible) >= 0.2 * len(visible)


def _damaged_utf8(data: bytes) -> bool:
    """Mostly valid UTF-8 with a few bad bytes: reading it as Latin-1 would silently turn
    every "é" into "Ã©", so it is reported as the damaged UTF-8 it is."""
    text = data.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd")
    valid = sum(1 for char in text if not char.isascii() and char != "\ufffd")
    return valid >= invalid


def _reads_as_prose(text: str) -> bool:
    """Mostly letters, and every character one that real report text contains."""
    letters = visible = 0
    for char in text:
        if char.isspace():
            continue
        visible += 1
        if char.isalpha():
            letters += 1
        if char.isascii():
            if char.isprintable():
                continue
            return False
        category = unicodedata.category(char)
        if category[0] in "LMN" or category in _PROSE_CATEGORIES or char in _SYMBOLS:
            continue
        return False
    return visible > 0 and letters >= 0.5 * visible


def _normalize(text: str, path: str | Path) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    controls = _CONTROL.findall(text)
    if len(controls) > max(2, len(text) // 100):
        raise InputError(f"binary file (control characters); expected {SUPPORTED}", path=path)
    if controls:
        text = _CONTROL.sub(lambda m: "\n" if m.group(0) in "\x0b\x0c" else " ", text)
    return text


def _line_column(data: bytes, position: int) -> tuple[int, int]:
    """1-based line and character column of a byte position inside valid UTF-8 text."""
    line_start = data.rfind(b"\n", 0, position) + 1
    column = len(data[line_start:position].decode("utf-8", errors="replace")) + 1
    return data.count(b"\n", 0, position) + 1, column
