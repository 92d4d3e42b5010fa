"""Turn raw bytes into text: decompress, refuse binaries, detect the charset."""

from __future__ import annotations

import codecs
import gzip
import io
import re

from charset_normalizer import from_bytes

DEFAULT_MAX_BYTES = 50_000_000
# A NUL byte in the first block marks a binary file (images, PDFs, archives); text has none, UTF-16 and UTF-32 aside.
BINARY_PROBE_BYTES = 8192
_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)|encoding\s*=\s*["']([A-Za-z0-9_.:-]+)["']""", re.I)
# Byte order marks, UTF-32 first: its little-endian mark starts with UTF-16's.
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Without a mark, text in UTF-16 or UTF-32 shows where its first ASCII character's zero bytes fall
# (the XML spec's appendix F): 1 = a non-zero byte, 0 = a zero byte, over the first four bytes.
WIDE_PATTERNS = {"0001": "utf-32-be", "1000": "utf-32-le", "0101": "utf-16-be", "1010": "utf-16-le"}
# A page with at least this many well-formed non-ASCII UTF-8 characters per malformed byte is UTF-8
# with a few stray bytes, not a legacy charset. Calibrated on the 31 pages of ../shared/corpora/html_boilerplate
# and html_dated that fail strict UTF-8: the UTF-8 ones have 25 to 499 good characters per bad byte,
# the legacy ones (Latin-1, Windows-125x, ISO-8859-x, GB2312) at most 0.3.
MOSTLY_UTF8_RATIO = 10


class InputError(ValueError):
    """An input that cannot be read; the message says why, in words a user understands."""


def gunzip(data: bytes, max_bytes: int) -> bytes:
    """Return the decompressed bytes of a gzip stream, refusing more than ``max_bytes``."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            out = stream.read(max_bytes + 1)
    except (OSError, EOFError) as err:
        raise InputError(f"not a valid gzip file ({err})") from None
    if len(out) > max_bytes:
        raise InputError(f"decompresses to more than the size cap of {max_bytes:,} bytes")
    return out


def check_bytes(data: bytes, max_bytes: int) -> bytes:
    """Return the bytes unchanged, or raise ``InputError`` when they are empty, too large or binary."""
    if not data.strip():
        raise InputError("empty file")
    if len(data) > max_bytes:
        raise InputError(f"larger than the size cap of {max_bytes:,} bytes ({len(data):,} bytes)")
    if b"\x00" in data[:BINARY_PROBE_BYTES] and not wide_encoding(data):
        raise InputError("looks like a binary file, not text")
    return data


def wide_encoding(data: bytes) -> str:
    """Return the UTF-16 or UTF-32 codec of text that starts with a byte order mark or an ASCII character, or ""."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            return codec if codec != "utf-8-sig" else ""
    pattern = "".join("1" if byte else "0" for byte in data[:4])
    codec = WIDE_PATTERNS.get(pattern, "")
    if not codec:
        return ""
    try:
        codecs.getincrementaldecoder(codec)().decode(data[:BINARY_PROBE_BYTES], final=False)
    except UnicodeDecodeError:
        return ""
    return codec


def declared_charset(data: bytes) -> str:
    """Return the charset a page or XML file declares in its first bytes, or ""."""
    match = _DECLARED.search(data[:4096])
    if not match:
        return ""
    name = (match.group(1) or match.group(2)).decode("ascii").lower()
    try:
        return codecs.lookup(name).name
    except LookupError:
        return ""


def decode_bytes(data: bytes) -> str:
    """Return text from bytes: BOM, UTF-16/32, UTF-8 (a few stray bytes allowed), the declared charset, then detection."""
    if data.startswith(codecs.BOM_UTF8):
        return data.decode("utf-8-sig", errors="replace")
    if codec := wide_encoding(data):
        return data.decode(codec, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if is_mostly_utf8(data):
        return data.decode("utf-8", errors="replace")
    declared = declared_charset(data)
    # Browsers read pages declared as Latin-1 as Windows-1252; so do we.
    declared = "cp1252" if declared in {"latin-1", "iso8859-1", "ascii"} else declared
    if declared and declared != "utf-8":
        try:
            return data.decode(declared)
        except UnicodeDecodeError:
            pass
    best = from_bytes(data[:200_000]).best()
    if best is None or best.encoding is None:
        raise InputError("unknown text encoding (not UTF-8, no usable declared charset, detection failed)")
    return data.decode(best.encoding, errors="replace")


def is_mostly_utf8(data: bytes) -> bool:
    """Return True when bytes that fail strict UTF-8 are UTF-8 with a few stray bytes, e.g. one bad byte in a Polish page."""
    text = data.decode("utf-8", errors="replace")
    malformed = text.count("\ufffd")
    well_formed = len(text) - len(text.encode("ascii", errors="ignore")) - malformed
    return well_formed >= MOSTLY_UTF8_RATIO * malformed
