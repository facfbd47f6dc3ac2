"""Turn the bytes of a file into text: encodings, byte-order marks, line ends, binary detection.

>>> decode_bytes("Kyiv\\r\\nRome\\r".encode("utf-8-sig")).text
'Kyiv\\nRome\\n'
>>> decode_bytes("Caf\\xe9".encode("cp1252")).encoding
'cp1252'
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters other than tab, newline, carriage return and form feed.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_CONTROL_BYTES = bytes(range(0, 9)) + b"\x0b" + bytes(range(0x0E, 0x20)) + b"\x7f"
_NEWLINES = re.compile(r"\r\n?")

#: Encodings tried in order when none is given and the bytes carry no byte-order mark.
FALLBACK_ENCODINGS = ("utf-8", "cp1252", "latin-1")


class DecodeError(ValueError):
    """The bytes are not text in any encoding tried; ``reason`` is ``"binary"`` or ``"undecodable"``."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Decoded:
    """Decoded text (line ends normalised to ``\\n``) and the encoding that produced it."""

    text: str
    encoding: str


def looks_binary(data: bytes, sample: int = 8192) -> bool:
    """True if the first ``sample`` bytes hold NUL bytes or more than 10% control bytes.

    >>> looks_binary(b"%PDF-1.4\\x00\\x01\\x02"), looks_binary(b"plain text")
    (True, False)
    """
    head = data[:sample]
    if not head:
        return False
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls / len(head) > 0.10


def normalize_newlines(text: str) -> str:
    """Replace CRLF and CR-only line ends with ``\\n``."""
    return _NEWLINES.sub("\n", text)


def decode_bytes(data: bytes, encoding: str | None = None) -> Decoded:
    """Decode file bytes to text with normalised line ends.

    With ``encoding=None``: a byte-order mark decides (UTF-8/16/32); otherwise UTF-8,
    then cp1252, then latin-1 are tried. latin-1 accepts any byte, so it is used only
    when the result has no stray control characters. Raises :class:`DecodeError` with
    reason ``"binary"`` (NUL or control bytes) or ``"undecodable"``.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(normalize_newlines(data.decode(name)), name)
            except UnicodeDecodeError as exc:
                raise DecodeError("undecodable", f"starts with a {name} byte-order mark but {exc}") from exc
    if looks_binary(data):
        raise DecodeError("binary", "holds NUL or control bytes: not a text file")
    candidates = (encoding,) if encoding else FALLBACK_ENCODINGS
    errors = []
    for name in candidates:
        try:
            text = data.decode(name)
        except (UnicodeDecodeError, LookupError) as exc:
            errors.append(f"{name}: {exc}")
            continue
        if name == "latin-1" and _CONTROL.search(text):
            errors.append("latin-1: decodes to control characters")
            continue
        return Decoded(normalize_newlines(text), name)
    raise DecodeError(
        "undecodable",
        "could not be decoded (" + "; ".join(errors) + "); pass encoding=... with the file's encoding",
    )
