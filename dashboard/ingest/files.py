"""What an uploaded file is, decided from its bytes before anything parses it (SPEC §7).

Size first, then the type by magic bytes (the extension only tells what the steward meant), then for a
workbook the ZIP container (bombs are refused from the central directory, without decompressing), macros,
and a bounded streaming scan of every member for XML document types and entities.
"""

from __future__ import annotations

import copy
import io
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Final

from dashboard.data.validate import Problem
from dashboard.i18n import t
from dashboard.ingest.model import Limits, Rule

XLSX: Final = "xlsx"
CSV: Final = "csv"

ZIP_MAGIC: Final = b"PK\x03\x04"
EMPTY_ZIP_MAGIC: Final = b"PK\x05\x06"
OLE2_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
UTF16_BOMS: Final = (b"\xff\xfe", b"\xfe\xff")
BINARY_MAGIC: Final = (
    b"%PDF",
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"\x1f\x8b",
    b"7z\xbc\xaf",
    b"Rar!",
    b"BZh",
    b"\x7fELF",
    b"MZ\x90\x00",
    b"PK\x07\x08",
)
WORKBOOK_EXTENSIONS: Final = frozenset({".xlsx", ".xlsm", ".xltx", ".xltm", ".xls"})
MACRO_EXTENSIONS: Final = frozenset({".xlsm", ".xltm"})
CONTENT_TYPES: Final = "[Content_Types].xml"
WORKBOOK_PART: Final = "xl/workbook.xml"
MACRO_CONTENT_TYPE: Final = b"application/vnd.ms-excel.sheet.macroenabled"
MAX_MEMBERS: Final = 1000
RATIO_FLOOR: Final = 1024 * 1024  # members smaller than this may compress as well as they like
CHUNK: Final = 64 * 1024
NUL_SHARE_UTF16: Final = 0.2  # share of NUL bytes in the first few KB above which text looks like UTF-16
XML_PATTERNS: Final = tuple(
    p.encode(enc) for p in ("<!DOCTYPE", "<!ENTITY") for enc in ("utf-8", "utf-16-le", "utf-16-be")
)
OVERLAP: Final = max(len(p) for p in XML_PATTERNS)
MB: Final = 1024 * 1024
NOT_A_WORKBOOK: Final = "ingest.not_xlsx.zip"


class _Refused(Exception):
    """A member decompressed to more than it declared."""


def size_text(n: int, lang: str) -> str:
    """``n`` bytes for a message: "20 MB", "1.5 MB", "640 KB", "100 bytes" (in French "20 Mo"...)."""
    if n >= MB:
        return t("ingest.unit.mb", lang, n=f"{n / MB:.3g}")
    return t("ingest.unit.kb", lang, n=f"{n / 1024:.3g}") if n >= 1024 else t("ingest.unit.bytes", lang, n=n)


def extension(name: str) -> str:
    return PurePosixPath(name.replace("\\", "/")).suffix.lower()


def looks_utf16(data: bytes) -> bool:
    """A UTF-16 byte-order mark, or as many NUL bytes as UTF-16 text of Latin letters has."""
    if data.startswith(UTF16_BOMS):
        return True
    head = data[:4096]
    return bool(head) and head.count(0) / len(head) > NUL_SHARE_UTF16


def sniff(data: bytes, file: str, limits: Limits, lang: str) -> tuple[str | None, list[Problem]]:
    """The kind of file (``XLSX`` or ``CSV``), or None and the problem that refuses it."""

    def refuse(rule: str, key: str, **values: object) -> tuple[None, list[Problem]]:
        return None, [Problem(file, None, (), rule, t(key, lang, **values))]

    if not data:
        return refuse(Rule.EMPTY_FILE, "ingest.empty_file")
    if len(data) > limits.max_bytes:
        return refuse(
            Rule.TOO_LARGE, "ingest.too_large", size=size_text(len(data), lang), limit=size_text(limits.max_bytes, lang)
        )
    ext = extension(file)
    if data.startswith(OLE2_MAGIC):
        return refuse(Rule.NOT_XLSX, "ingest.not_xlsx.ole2")
    if data.startswith((ZIP_MAGIC, EMPTY_ZIP_MAGIC)):
        verdict = zip_verdict(data, file, limits, lang)
        if verdict is None:
            return XLSX, []
        rule, key, values = verdict
        if key == NOT_A_WORKBOOK and ext not in WORKBOOK_EXTENSIONS:
            rule, key, values = Rule.UNSUPPORTED_TYPE, "ingest.unsupported_type", {}
        return refuse(rule, key, **values)
    if ext in WORKBOOK_EXTENSIONS:
        return refuse(Rule.NOT_XLSX, "ingest.not_xlsx.text" if _is_text(data) else "ingest.not_xlsx.other")
    if looks_utf16(data):
        return CSV, []  # the encoding check names it
    if data.startswith(BINARY_MAGIC) or b"\0" in data:
        return refuse(Rule.UNSUPPORTED_TYPE, "ingest.unsupported_type")
    return CSV, []


def _is_text(data: bytes) -> bool:
    return looks_utf16(data) or (b"\0" not in data[:4096] and not data.startswith(BINARY_MAGIC))


Verdict = tuple[str, str, dict[str, object]]  # rule, message key, message values


def zip_verdict(data: bytes, file: str, limits: Limits, lang: str) -> Verdict | None:
    """The rule, message key and values that refuse a ZIP container as a workbook, or None."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return Rule.NOT_XLSX, "ingest.not_xlsx.damaged", {}
    with archive:
        members = archive.infolist()
        bomb = _bomb(members, limits, lang)
        if bomb:
            return Rule.ZIP_BOMB, *bomb
        names = {m.filename for m in members}
        if CONTENT_TYPES not in names or WORKBOOK_PART not in names:
            return Rule.NOT_XLSX, NOT_A_WORKBOOK, {}
        if any(m.flag_bits & 0x1 for m in members):
            return Rule.NOT_XLSX, "ingest.not_xlsx.encrypted", {}
        if extension(file) in MACRO_EXTENSIONS or any(n.lower().endswith("vbaproject.bin") for n in names):
            return Rule.MACRO_WORKBOOK, "ingest.macro_workbook", {}
        try:
            entities = [m.filename for m in members if _has_entities(archive, m)]
            content_types = _read_bounded(archive, archive.getinfo(CONTENT_TYPES))
        except _Refused as refused:
            return Rule.ZIP_BOMB, "ingest.zip_bomb.forged", {"part": str(refused)[:80]}
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError):
            return Rule.NOT_XLSX, "ingest.not_xlsx.damaged", {}
    if entities:
        return Rule.XML_ENTITIES, "ingest.xml_entities", {"parts": ", ".join(e[:80] for e in entities[:10])}
    if MACRO_CONTENT_TYPE in content_types.lower():
        return Rule.MACRO_WORKBOOK, "ingest.macro_workbook", {}
    return None


def _bomb(members: list[zipfile.ZipInfo], limits: Limits, lang: str) -> tuple[str, dict[str, object]] | None:
    """The message key and values that refuse an archive from its central directory alone, or None."""
    if len(members) > MAX_MEMBERS:
        return "ingest.zip_bomb.members", {"count": len(members), "limit": MAX_MEMBERS}
    if sum(m.file_size for m in members) > limits.max_uncompressed:
        return "ingest.zip_bomb.size", {"limit": size_text(limits.max_uncompressed, lang)}
    for m in members:
        if m.file_size > RATIO_FLOOR and m.file_size > limits.max_ratio * max(m.compress_size, 1):
            return "ingest.zip_bomb.ratio", {"part": m.filename[:80], "limit": limits.max_ratio}
    return None


def _chunks(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> Iterator[bytes]:
    """The member's bytes in chunks, refusing to go past the size it declared.

    ``zipfile`` itself stops at the declared size (then fails on the checksum); letting it read one byte further
    tells a member that holds more than it declares (a forged size) from one that is merely damaged.
    """
    probe = copy.copy(member)
    probe.file_size = member.file_size + 1
    del probe.CRC  # no checksum while probing (it would fail first); openpyxl's own reading checks it
    seen = 0
    with archive.open(probe) as fh:
        while chunk := fh.read(CHUNK):
            seen += len(chunk)
            if seen > member.file_size:
                raise _Refused(member.filename)
            yield chunk


def _has_entities(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    """Whether the member declares a document type or an entity (in UTF-8 or UTF-16), read in bounded chunks."""
    tail = b""
    for chunk in _chunks(archive, member):
        window = (tail + chunk).upper()
        if any(p in window for p in XML_PATTERNS):
            return True
        tail = window[-OVERLAP:]
    return False


def _read_bounded(archive: zipfile.ZipFile, member: zipfile.ZipInfo, limit: int = MB) -> bytes:
    """At most ``limit`` bytes of a member (enough for ``[Content_Types].xml``)."""
    out = bytearray()
    for chunk in _chunks(archive, member):
        out += chunk
        if len(out) >= limit:
            break
    return bytes(out)
