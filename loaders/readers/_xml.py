"""Safe XML parsing for the PubMed, JATS and BioC readers.

lxml with entity resolution, network access, DTD loading and huge trees all off: a report
file cannot make us fetch URLs, read local files or expand a billion laughs. Named entities
from an (unloaded) external DTD, such as ``&mdash;`` in older JATS files, are read with the
HTML5 entity table; entities declared inside the file are never expanded.
"""

from __future__ import annotations

import html.entities
import io
import re
from collections.abc import Iterable
from pathlib import Path

from lxml import etree

from sarcokg.errors import InputError

__all__ = ["inner_text", "parse_xml", "root_name"]

_PARSER_OPTIONS = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
}
_LXML_POSITION = re.compile(r",? line \d+, column \d+$")


def parse_xml(data: bytes, path: str | Path) -> etree._Element:
    """Parse a whole XML file and drop namespaces from element names.

    >>> root = parse_xml(b'<x:a xmlns:x="urn:x"><b>1</b></x:a>', "a.xml")
    >>> root.tag, root[0].text
    ('a', '1')
    >>> parse_xml(b"<a>\\n<b></a>", "a.xml")
    Traceback (most recent call last):
    ...
    sarcokg.errors.InputError: a.xml:2:8: malformed XML: Opening and ending tag mismatch: b line 2 and a
    """
    parser = etree.XMLParser(**_PARSER_OPTIONS)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(exc, path) from None
    if root is None:
        raise InputError("malformed XML: no root element", path=path)
    for element in root.iter(tag=etree.Element):
        if isinstance(element.tag, str) and element.tag.startswith("{"):
            element.tag = etree.QName(element).localname
    return root


def root_name(data: bytes, path: str | Path) -> str:
    """The local name of the root element, read from the start of the file only.

    >>> root_name(b"<?xml version='1.0'?><!DOCTYPE PubmedArticleSet><PubmedArticleSet>", "p.xml")
    'PubmedArticleSet'
    """
    events = etree.iterparse(io.BytesIO(data), events=("start",), **_PARSER_OPTIONS)
    try:
        for _event, element in events:
            return str(etree.QName(element).localname)
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(exc, path) from None
    raise InputError("malformed XML: no root element", path=path)


def inner_text(element: etree._Element | None, skip: Iterable[str] = ()) -> str:
    """All text inside an element, leaving out sub-elements named in ``skip`` (their tail
    text is kept, so a sentence around a skipped figure stays whole).

    >>> el = parse_xml(b"<p>Lung <fig><caption>Fig</caption></fig>and liver&#8212;both<sup>1</sup>.</p>", "x")
    >>> inner_text(el, skip={"fig"})
    'Lung and liver\\u2014both1.'
    """
    if element is None:
        return ""
    parts: list[str] = []
    _collect(element, frozenset(skip), parts)
    return "".join(parts)


def _collect(element: etree._Element, skip: frozenset[str], parts: list[str]) -> None:
    if element.text:
        parts.append(element.text)
    for child in element:
        if isinstance(child, etree._Entity):
            parts.append(html.entities.html5.get(f"{child.name};", f"&{child.name};"))
        elif isinstance(child.tag, str) and child.tag not in skip:
            _collect(child, skip, parts)
        if child.tail:
            parts.append(child.tail)


def _syntax_error(exc: etree.XMLSyntaxError, path: str | Path) -> InputError:
    line, column = exc.position if exc.position else (exc.lineno, None)
    message = _LXML_POSITION.sub("", exc.msg or "not well-formed")
    return InputError(f"malformed XML: {message}", path=path, line=line or None, column=column or None)
