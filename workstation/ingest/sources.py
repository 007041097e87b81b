"""Where a file's rows come from: the generic reader, or a source adapter (WeCom, DingTalk,
GPX...) that turns a vendor's layout into the generic fields of a kind.

An adapter registers the kinds it serves, a cheap ``detect`` (used by ``--source auto``) and
``open``, which returns the rows as chunks of a :class:`RawTable` whose headers are the
kind's field names. Adapters may fix the coordinate system (WeCom and DingTalk give GCJ-02).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from workstation.domain.enums import CoordSystem
from workstation.ingest.errors import FileRejected, HeaderNotFound
from workstation.ingest.file_check import check_readable
from workstation.ingest.model import ImportOptions
from workstation.ingest.profiles import ImportKind
from workstation.ingest.readers import iter_csv_chunks, read_table
from workstation.ingest.table import RawTable

GENERIC = "csv"
CHUNK_ROWS = 200_000
#: Kinds whose writer takes cells as read (not trimmed) from a generic CSV.
UNTRIMMED_KINDS = frozenset({"tracks"})


@dataclass
class SourceData:
    profile: str
    columns: list[str]
    header_row: int
    chunks: Iterator[RawTable]
    #: The coordinate system the source always uses, overriding the user's choice.
    crs: CoordSystem | None = None
    #: Why ``header_row`` is only a guess (no row near the top named the expected columns, so
    #: the first non-empty row was taken), or None when the header row was found.
    header_guess: str | None = None


@dataclass(frozen=True)
class SourceAdapter:
    name: str
    kinds: frozenset[str]
    detect: Callable[[Path], bool]
    open: Callable[[Path, ImportKind, ImportOptions], SourceData]
    description: str = ""
    aliases: tuple[str, ...] = field(default=())


ADAPTERS: dict[str, SourceAdapter] = {}


def register(adapter: SourceAdapter) -> SourceAdapter:
    ADAPTERS[adapter.name] = adapter
    return adapter


def source_names(kind: str) -> list[str]:
    return ["auto", GENERIC, *sorted(a.name for a in ADAPTERS.values() if kind in a.kinds)]


def open_source(path: Path, kind: ImportKind, options: ImportOptions) -> SourceData:
    """The rows of ``path`` for ``kind``, through the adapter the options name or detect."""
    check_readable(path)
    name = options.source
    if name == "auto":
        found = [a for a in ADAPTERS.values() if kind.name in a.kinds and a.detect(path)]
        if found and not options.columns:
            return found[0].open(path, kind, options)
        return open_generic(path, kind, options)
    if name == GENERIC:
        return open_generic(path, kind, options)
    adapter = ADAPTERS.get(name)
    if adapter is None or kind.name not in adapter.kinds:
        raise FileRejected(
            path, f"source {name!r} does not give {kind.name}; use one of {source_names(kind.name)}"
        )
    if options.columns:
        raise FileRejected(
            path, f"a column mapping applies to generic CSV/XLSX/JSON files, not to {name!r}"
        )
    return adapter.open(path, kind, options)


def open_generic(path: Path, kind: ImportKind, options: ImportOptions | None = None) -> SourceData:
    """CSV (read in chunks), XLSX or JSON with the kind's English or Chinese headers, or the
    columns the user chose for its fields (which also find the header row)."""
    chosen = dict(options.columns) if options else {}
    header_names = [
        (*f.headers, chosen[f.name]) if chosen.get(f.name) else f.headers
        for f in kind.fields
        if f.required
    ]
    # The tracks writer trims the few text cells it reads itself (millions of rows).
    strip = kind.name not in UNTRIMMED_KINDS
    try:
        return _open_generic(path, header_names, strip)
    except HeaderNotFound as exc:
        # Unknown headers: read the first non-empty row as the header, so the user sees the
        # file's columns and can choose them (the import itself still needs every required
        # field mapped, and says the header row was a guess if they are not).
        data = _open_generic(path, [], strip)
        data.header_guess = f"{exc.reason}; row {data.header_row} was read as the header"
        return data


def _open_generic(path: Path, header_names: list[tuple[str, ...]], strip: bool) -> SourceData:
    if path.suffix.lower() in (".csv", ".tsv", ".txt"):
        chunks = iter_csv_chunks(path, CHUNK_ROWS, header_names=header_names, strip=strip)
        first = next(chunks)
        return SourceData(
            GENERIC,
            [str(c) for c in first.frame.columns],
            first.header_row,
            _prepend(first, chunks),
        )
    table = read_table(path, header_names=header_names)
    return SourceData(
        GENERIC, [str(c) for c in table.frame.columns], table.header_row, iter([table])
    )


def _prepend(first: RawTable, rest: Iterable[RawTable]) -> Iterator[RawTable]:
    yield first
    yield from rest
