"""Readers: report files in the formats researchers have -> :class:`SourceDocument`.

One entry point, :func:`read_path`, for one file; :func:`iter_report_files` expands the
files and folders given to ``sarcokg load``. Formats (:class:`InputFormat`), chosen by
extension and confirmed by sniffing the content:

==============  ==========================  ==========================================
format          extensions                  content
==============  ==========================  ==========================================
text            .txt .text (or sniffed)     UTF-8 (BOM or not), UTF-16/32 with BOM,
                                            legacy encodings via charset-normalizer
pubmed          .xml                        ``<PubmedArticleSet>`` from E-utilities efetch
jats            .xml .nxml                  ``<article>`` / ``<pmc-articleset>`` (PMC)
bioc-xml        .xml .bioc.xml              ``<collection>`` of documents with passages
bioc-json       .json .bioc.json            ``{"documents": [...]}`` (or a list of them)
record-yaml     .yaml .yml                  curated CaseRecord(s), validated by pydantic
record-json     .json                       curated CaseRecord(s), validated by pydantic
==============  ==========================  ==========================================

Modules: ``_read`` (front door), ``_detect`` (formats, sniffing), ``_decode`` (bytes to
text, binary detection), ``_xml`` (safe lxml parsing), ``_ids`` (doc ids), ``_base``
(ReadFailure, TextBuilder, content hash), one module per format.
"""

from loaders.readers._base import ReadFailure, content_sha256
from loaders.readers._detect import InputFormat
from loaders.readers._read import iter_report_files, read_path

__all__ = ["InputFormat", "ReadFailure", "content_sha256", "iter_report_files", "read_path"]
