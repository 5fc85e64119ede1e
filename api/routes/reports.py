"""``POST /api/reports``: upload a report file; it is read, extracted and loaded, atomically.

The body is either ``multipart/form-data`` (a ``file`` field, as ``curl -F file=@report.txt``
sends) or the raw file (``curl --data-binary @report.xml -H 'Content-Type: application/xml'``)
with ``?filename=`` (the report id of a plain-text report comes from the file's name) and
optionally ``?format=`` to skip format detection. The upload cap is ``SARCOKG_MAX_UPLOAD_BYTES``.

Every report of the file is read and extracted *before* anything is written, so a broken file
(or one broken article in a PubMed set) is a 400 naming it and the store is unchanged. The
writes then go through the service's writer, one atomic graph per report, and the statistics
cubes follow them.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from collections.abc import AsyncGenerator
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from api.backend import Backend
from api.deps import RequireWriter, ServiceDep, SettingsDep
from api.errors import BadRequestError, PayloadTooLargeError
from api.executor import Deadline
from api.http import media_type, read_body
from api.linked_data import site_path_for
from api.research_deps import StatsDep
from api.research_models import ReportUpload
from graph._extraction import extraction_function
from graph.loading import load_document
from graph.mapping import graph_iri, report_iri
from loaders import InputFormat, ReadFailure, read_path
from loaders.records import CaseRecord, SourceDocument
from sarcokg.errors import InputError, SarcoKGError, StoreError

__all__ = ["router", "safe_filename"]

router = APIRouter(prefix="/api/reports", tags=["reports"])

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_BY_MEDIA_TYPE = {
    "text/plain": ".txt",
    "application/json": ".json",
    "application/xml": ".xml",
    "text/xml": ".xml",
    "application/yaml": ".yaml",
    "application/x-yaml": ".yaml",
    "text/yaml": ".yaml",
}


def safe_filename(name: str | None, data: bytes, content_type: str) -> str:
    """A file name that keeps the uploaded name's stem and extension but nothing else.

    >>> safe_filename("../../etc/seed-000.txt", b"x", "text/plain")
    'seed-000.txt'
    >>> safe_filename(None, b"x", "text/plain")
    'report-2d711642b726.txt'
    """
    base = Path((name or "").replace("\\", "/")).name
    cleaned = _UNSAFE.sub("-", base).strip(".-")[:120]
    if cleaned and cleaned[0].isalnum():
        return cleaned
    suffix = _BY_MEDIA_TYPE.get(content_type, ".txt")
    return f"report-{hashlib.sha256(data).hexdigest()[:12]}{suffix}"


async def _chunks(body: bytes) -> AsyncGenerator[bytes, None]:
    yield body


async def _upload(request: Request, limit: int, filename: str | None) -> tuple[str | None, bytes, str]:
    """(file name, bytes, media type) from a multipart form or a raw body; 413 over ``limit``."""
    mtype, _params = media_type(request.headers.get("content-type"))
    # the multipart envelope adds a little: allow it, then check the file itself
    body = await read_body(request, limit + 64 * 1024 if mtype == "multipart/form-data" else limit, "upload")
    if mtype != "multipart/form-data":
        return filename, body, mtype
    try:
        form = await MultiPartParser(request.headers, _chunks(body), max_files=1, max_fields=10).parse()
    except MultiPartException as exc:
        raise BadRequestError(f"cannot read the multipart upload: {exc.message}") from None
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise BadRequestError("the multipart upload needs a 'file' field holding the report file")
        data = await upload.read()
        if len(data) > limit:
            raise PayloadTooLargeError(f"the upload is larger than the {limit}-byte limit")
        return filename or upload.filename, data, media_type(upload.content_type)[0]
    finally:
        await form.close()


def _read_and_extract(
    data: bytes, filename: str, fmt: InputFormat | None
) -> list[tuple[SourceDocument, list[CaseRecord]]]:
    """Read every report of the uploaded file and extract its records (nothing is written)."""
    with tempfile.TemporaryDirectory(prefix="sarcokg-upload-") as folder:
        path = Path(folder) / filename
        path.write_bytes(data)
        try:
            items = list(read_path(path, format=fmt))
        except InputError as exc:
            raise InputError(
                exc.message, path=filename, line=exc.line, column=exc.column, where=exc.where
            ) from None
    documents: list[SourceDocument] = []
    for item in items:
        if isinstance(item, ReadFailure):
            raise InputError(item.message, path=filename, where=item.where)
        item.source.path = filename  # not the temporary folder's path
        for record in item.records or ():
            record.source.path = filename
        documents.append(item)
    if not documents:
        raise InputError("no report found in the file", path=filename)
    extracted: list[tuple[SourceDocument, list[CaseRecord]]] = []
    for document in documents:
        if document.records is not None:
            extracted.append((document, list(document.records)))
            continue
        extract = extraction_function()
        if isinstance(extract, str):
            raise StoreError(extract)
        try:
            records = list(extract(document))
            for record in records:
                record.source.path = filename
            extracted.append((document, records))
        except SarcoKGError:
            raise
        except Exception as exc:  # a bug in extraction: one line, not a traceback
            raise SarcoKGError(f"{filename}: extraction failed: {type(exc).__name__}: {exc}") from None
    return extracted


@router.post(
    "",
    status_code=201,
    response_model=ReportUpload,
    operation_id="upload_report",
    summary="Upload a report: extract and load it",
    responses={
        400: {"description": "the file cannot be read (the message names it and where)"},
        401: {"description": "missing or wrong bearer token"},
        403: {"description": "the service is read-only (no token configured)"},
        413: {"description": "over the upload size cap"},
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary"}},
                        "required": ["file"],
                    }
                },
                "text/plain": {"schema": {"type": "string"}},
                "application/xml": {"schema": {"type": "string"}},
                "application/json": {"schema": {"type": "object"}},
            },
        }
    },
)
async def upload_report(
    request: Request,
    _writer: RequireWriter,
    service: ServiceDep,
    settings: SettingsDep,
    stats: StatsDep,
    filename: Annotated[
        str | None, Query(description="the file's name (raw bodies): its stem is a text report's id")
    ] = None,
    format: Annotated[
        InputFormat | None, Query(description="skip format detection (text, pubmed, jats, bioc-xml...)")
    ] = None,
) -> JSONResponse:
    """Read the file (text, PubMed XML, JATS, BioC, curated YAML/JSON), extract each patient's
    case record, and load each report as one atomic named graph. Returns the records stored."""
    store = service.store
    if store is None:
        raise StoreError("this service's store cannot load reports (no graph.store.Store behind it)")
    name, data, content_type = await _upload(request, settings.max_upload_bytes, filename)
    if not data.strip():
        raise BadRequestError("the upload is empty")
    safe = safe_filename(name, data, content_type)
    extracted = await service.read(lambda _b, _d: _read_and_extract(data, safe, format), what="extraction")
    graphs = list(dict.fromkeys(graph_iri(doc.doc_id, base_iri=settings.base_iri) for doc, _ in extracted))

    def write(_backend: Backend, _deadline: Deadline) -> None:
        before = service.generation  # under the writer lock: no other write can bump it now
        old = stats.contributions(graphs, generation=before)
        try:
            for document, records in extracted:
                load_document(store, document, records, settings=settings)
        finally:  # whatever was written: the cubes swap old for new content of these graphs
            stats.apply_write(graphs, old, before=before)

    await service.write(write, what="report upload")
    reports = list(dict.fromkeys(report_iri(doc.doc_id, base_iri=settings.base_iri) for doc, _ in extracted))
    body = ReportUpload(reports=reports, cases=[record for _, records in extracted for record in records])
    location = site_path_for(reports[0], settings.base_iri) or reports[0]
    return JSONResponse(body.model_dump(mode="json"), status_code=201, headers={"Location": location})
