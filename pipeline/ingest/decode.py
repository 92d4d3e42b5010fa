"""Turn raw bytes into text: decompress, refuse binaries, detect the charset."""

from __future__ import annotations

import codecs
import gzip
import io
import re

from charset_normalizer import from_bytes

DEFAULT_MAX_BYTES = 50_000_000
# A NUL byte in the first block marks a binary file (images, PDFs, archives); text never has one.
BINARY_PROBE_BYTES = 8192
_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)|encoding\s*=\s*["']([A-Za-z0-9_.:-]+)["']""", re.I)


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
    if b"\x00" in data[:BINARY_PROBE_BYTES] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError("looks like a binary file, not text")
    return data


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
    """Return text from bytes: BOM or strict UTF-8 first, then the declared charset, then detection."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
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
