"""Which encoding a text file is in, and where its text stops being text.

Files are read as UTF-8 (with or without a BOM) or GB18030 (which covers GBK and GB2312),
nothing else: a Big5 roster decodes "cleanly" as GB18030 byte for byte, but into nonsense, so
the choice between them is made by a real detector (charset-normalizer) and a file that reads
better in another encoding is refused, never imported as mojibake.

Rules, in order:

* a NUL byte or a control character means binary data (or UTF-16): refused;
* bytes that are valid UTF-8 are UTF-8 (its multi-byte sequences do not happen by chance);
* text that is UTF-8 up to a bad byte (with several UTF-8 multi-byte characters before it) is
  UTF-8 with a damaged byte: refused naming the line;
* otherwise the detector compares GB18030 with the encodings Chinese offices meet (Big5,
  Shift-JIS, EUC-JP, EUC-KR, Windows-1252); GB18030 is taken unless another reads clearly
  better, in which case the file is refused naming the encoding it looks like.

Every refusal says the byte offset and the 1-based line of the first bad byte.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from pathlib import Path

from charset_normalizer import from_bytes

from workstation.ingest.errors import FileRejected

GB = "gb18030"
UTF8 = "utf-8-sig"
#: Encodings the detector weighs against GB18030.
RIVALS = ("big5", "shift_jis", "euc_jp", "euc_kr", "cp1252")
#: How much less chaos (charset-normalizer's mess ratio) another encoding must show for
#: GB18030 to be refused; short GB texts sometimes read marginally better as EUC-KR.
GB_MARGIN = 0.05
#: Multi-byte characters before a bad byte that make a file UTF-8 with a damaged byte (rather
#: than another encoding).
UTF8_EVIDENCE = 4
#: Bytes given to the detector (it reads samples of them).
DETECT_BYTES = 256 * 1024
#: How far an all-ASCII start of a big file is read on to find its first non-ASCII text.
ASCII_LOOKAHEAD = 16 * 1024 * 1024
_NAMES = {
    "big5": "Big5 (Traditional Chinese)",
    "big5hkscs": "Big5-HKSCS (Traditional Chinese)",
    "cp950": "Big5 (Traditional Chinese)",
    "shift_jis": "Shift-JIS (Japanese)",
    "cp932": "Shift-JIS (Japanese)",
    "euc_jp": "EUC-JP (Japanese)",
    "euc_kr": "EUC-KR (Korean)",
    "cp949": "EUC-KR (Korean)",
    "cp1252": "Windows-1252 (Western European)",
}
# Control characters that never occur in a real CSV/JSON export (tab, LF, FF, CR are fine).
_JUNK = {chr(c) for c in range(32)} - {"\t", "\n", "\x0c", "\r"}
_BLOCK = 1 << 20


def line_of(data: bytes, offset: int) -> int:
    """The 1-based line holding byte ``offset`` of ``data``."""
    return data.count(b"\n", 0, offset) + 1


def not_text(path: Path, offset: int, line: int) -> FileRejected:
    return FileRejected(
        path,
        f"not a text file in UTF-8 or GB18030 (binary data at byte {offset}, line {line})",
    )


def detect_encoding(data: bytes, path: Path, *, complete: bool) -> tuple[str, str]:
    """(codec, decoded text) of ``data``, the start of the file or (``complete``) all of it.

    When ``data`` is only the start, a character cut at its end is tolerated.
    """
    nul = data.find(b"\x00")
    if nul >= 0:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise FileRejected(path, "the text is in UTF-16; save it as UTF-8 and import it again")
        raise not_text(path, nul, line_of(data, nul))
    try:
        text = codecs.getincrementaldecoder(UTF8)().decode(data, final=complete)
    except UnicodeDecodeError as exc:
        if _looks_utf8(data[: exc.start]):
            raise bad_utf8(path, exc.start, line_of(data, exc.start)) from None
    else:
        return UTF8, _checked(text, data, UTF8, path)
    # the detector decodes strictly: give it whole lines (a newline byte is never part of a
    # multi-byte character in these encodings)
    whole_lines = data if complete else data[: data.rfind(b"\n") + 1] or data
    codec = _detect(whole_lines, path)
    try:
        text = codecs.getincrementaldecoder(codec)().decode(data, final=complete)
    except UnicodeDecodeError as exc:
        raise not_text(path, exc.start, line_of(data, exc.start)) from None
    return codec, _checked(text, data, codec, path)


def detect_file_encoding(path: Path, sample: bytes, *, complete: bool) -> tuple[str, str]:
    """:func:`detect_encoding` of a file's first bytes ``sample``; when they are all ASCII and
    the file goes on, its first non-ASCII block (within ``ASCII_LOOKAHEAD``) decides."""
    codec, text = detect_encoding(sample, path, complete=complete)
    if complete or not sample.isascii():
        return codec, text
    later = _first_non_ascii_block(path, len(sample))
    if later is not None:
        codec, _ = detect_encoding(later, path, complete=False)
    return codec, text


def bad_utf8(path: Path, offset: int, line: int) -> FileRejected:
    return FileRejected(
        path, f"not valid UTF-8 at line {line} (byte {offset}); the file is damaged there"
    )


def locate_bad_bytes(path: Path, codec: str) -> FileRejected | None:
    """The refusal for the first bytes of ``path`` that ``codec`` cannot decode (reading the
    file in blocks, counting lines), or None when it all decodes."""
    # (plain UTF-8 here: the BOM is valid UTF-8, and offsets then count from the file's start)
    decoder = codecs.getincrementaldecoder("utf-8" if codec == UTF8 else codec)()
    offset = 0
    lines = 1
    with path.open("rb") as fh:
        while True:
            block = fh.read(_BLOCK)
            try:
                decoder.decode(block, final=not block)
            except UnicodeDecodeError as exc:
                # the error is in this block or in the few bytes held over from the last one
                start = max(exc.start - len(exc.object) + len(block), 0)
                where = offset + start
                line = lines + block.count(b"\n", 0, start)
                if codec == UTF8:
                    return bad_utf8(path, where, line)
                return FileRejected(
                    path,
                    f"not {codec.upper()} text at line {line} (byte {where}); "
                    "the file mixes encodings or is damaged there",
                )
            if not block:
                return None
            offset += len(block)
            lines += block.count(b"\n")


def _looks_utf8(prefix: bytes) -> bool:
    """Whether the valid UTF-8 before a bad byte has enough multi-byte characters to say the
    file is UTF-8 (a GB18030 character is a valid UTF-8 one about once in twelve, by chance;
    several in a row are not)."""
    if prefix.isascii():
        return False
    text = prefix.decode("utf-8", errors="ignore")
    return sum(1 for ch in text if ord(ch) > 0x7F) >= UTF8_EVIDENCE


def _checked(text: str, data: bytes, codec: str, path: Path) -> str:
    junk = next((i for i, ch in enumerate(text) if ch in _JUNK), None)
    if junk is not None:
        offset = len(text[:junk].encode(codec))
        raise not_text(path, offset, line_of(data, offset))
    return text


def _detect(data: bytes, path: Path) -> str:
    """GB18030 unless the detector finds another encoding that reads clearly better."""
    results = list(from_bytes(data[:DETECT_BYTES], cp_isolation=[GB, *RIVALS]))
    chaos = {r.encoding: r.chaos for r in results}
    if not chaos:
        offset = _first_undecodable(data, GB)
        raise not_text(path, offset, line_of(data, offset))
    best = min(chaos.values())
    if GB in chaos and chaos[GB] <= best + GB_MARGIN:
        return GB
    other = min(chaos, key=lambda name: chaos[name])
    name = _NAMES.get(other, other)
    raise FileRejected(
        path,
        f"the text is in {name}, not UTF-8 or GB18030; save it as UTF-8 and import it again",
    )


def _first_undecodable(data: bytes, codec: str) -> int:
    try:
        data.decode(codec)
    except UnicodeDecodeError as exc:
        return exc.start
    return 0


def _first_non_ascii_block(path: Path, start: int) -> bytes | None:
    """About a megabyte of whole lines around the first non-ASCII byte after ``start``."""
    for offset, block in _blocks(path, start, ASCII_LOOKAHEAD):
        if block.isascii():
            continue
        first = next(i for i, b in enumerate(block) if b >= 0x80)
        line_start = block.rfind(b"\n", 0, first) + 1
        with path.open("rb") as fh:
            fh.seek(offset + line_start)
            return fh.read(_BLOCK)
    return None


def _blocks(path: Path, start: int, limit: int) -> Iterator[tuple[int, bytes]]:
    with path.open("rb") as fh:
        fh.seek(start)
        offset = start
        while offset - start < limit and (block := fh.read(_BLOCK)):
            yield offset, block
            offset += len(block)
