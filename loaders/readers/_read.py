"""The readers' front door: ``read_path`` for one file, ``iter_report_files`` for folders."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from loaders.readers._base import ReadFailure
from loaders.readers._decode import SUPPORTED, binary_kind, is_blank
from loaders.readers._detect import InputFormat, RawInput, detect_format
from loaders.readers._ids import DocIdAllocator
from loaders.readers.bioc_reader import read_bioc_json, read_bioc_xml
from loaders.readers.curated import read_record_json, read_record_yaml
from loaders.readers.jats import read_jats
from loaders.readers.pubmed import read_pubmed
from loaders.readers.text import read_text
from loaders.records import SourceDocument
from sarcokg.errors import InputError

__all__ = ["iter_report_files", "read_path"]

Reader = Callable[[RawInput, DocIdAllocator], Iterator[SourceDocument | ReadFailure]]
READERS: dict[InputFormat, Reader] = {
    InputFormat.TEXT: read_text,
    InputFormat.PUBMED: read_pubmed,
    InputFormat.JATS: read_jats,
    InputFormat.BIOC_XML: read_bioc_xml,
    InputFormat.BIOC_JSON: read_bioc_json,
    InputFormat.RECORD_YAML: read_record_yaml,
    InputFormat.RECORD_JSON: read_record_json,
}


def read_path(
    path: str | os.PathLike[str], *, format: InputFormat | None = None
) -> Iterator[SourceDocument | ReadFailure]:
    """Read one report file: its documents, or a ReadFailure for each one that is broken.

    Everything that concerns the whole file happens before this returns, and raises
    :class:`InputError` (one line naming the file, and line/column where known): missing
    file, a directory, empty or whitespace-only file, binary data, text in no recognisable
    encoding, malformed XML/JSON/YAML, unknown format. The returned iterator then yields,
    in file order, a SourceDocument per report, or a ReadFailure for a report that cannot
    be read while the file's others can (one broken article in a PubMed set, one invalid
    curated record). It never raises.

    ``format`` skips detection (``InputFormat.JATS`` for an odd extension, say). Each
    document's ``source.sha256`` is :func:`content_sha256` of the document, not of the file.

    ::

        for item in read_path("examples/seed-000.txt"):
            if isinstance(item, ReadFailure):
                print(item)            # "set.xml: article 2 (PMID 123): no abstract or title text"
            else:
                print(item.doc_id)     # "seed-000"
    """
    file = Path(path)
    display = os.fspath(path)
    data = _read_bytes(file, display)
    if not data:
        raise InputError("empty file (0 bytes)", path=display)
    kind = binary_kind(data)
    if kind is not None:
        raise InputError(f"binary file ({kind}); expected {SUPPORTED}", path=display)
    if is_blank(data):
        raise InputError("file contains only whitespace", path=display)
    raw = RawInput(file, data, display)
    chosen = format if format is not None else detect_format(raw)
    return READERS[chosen](raw, DocIdAllocator(file))


def _read_bytes(file: Path, display: str) -> bytes:
    try:
        mode = file.stat().st_mode
        if stat.S_ISDIR(mode):
            raise InputError(
                "is a directory, not a file (pass its files, or use `sarcokg load`)", path=display
            )
        if not stat.S_ISREG(mode):
            raise InputError("not a regular file", path=display)
        return file.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", path=display) from None
    except PermissionError:
        raise InputError("permission denied", path=display) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=display) from None


def iter_report_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """The files to read for ``sarcokg load PATH...``: files as given, folders walked.

    Folders are walked recursively in sorted order, skipping hidden files and folders
    (``.git``, ``.DS_Store``...); every other file is yielded, so that a stray PDF is
    reported rather than silently passed over. All paths are checked before the first is
    yielded: a missing path raises InputError before anything is loaded.
    """
    given = [Path(p) for p in paths]
    for path in given:
        if not path.exists():
            raise InputError("no such file or directory", path=path)
    return _walk(given)


def _walk(paths: list[Path]) -> Iterator[Path]:
    for path in paths:
        if not path.is_dir():
            yield path
            continue
        for folder, subfolders, files in os.walk(path):
            subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
            for name in sorted(files):
                if not name.startswith("."):
                    yield Path(folder) / name
