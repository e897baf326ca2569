"""Reading a config file: hardened XML parsing and schema validation, with exact source positions.

Hostile input is the reason for most of this module: no network, no DTDs (so no external entities
and no entity-expansion bombs), a size limit, and every failure turned into a diagnostic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from lxml import etree

from opgen.config.diagnostics import Diagnostics, did_you_mean
from opgen.model import SourceLocation
from opgen.resources import schema_path

MAX_CONFIG_BYTES = 32 * 1024 * 1024
PACKAGE_ROOT = "OpDefCollection"
OTHER_ROOTS = ("OpDefList", "SupplementalOpDefList", "SupplementalOpDefSpecification")


@dataclass
class LoadedConfig:
    """A parsed, schema-valid config and a way to locate its elements in the source."""

    path: Path
    root: etree._Element
    lines: list[str]

    def location(self, element: etree._Element) -> SourceLocation:
        return element_location(self.path, self.lines, element)


def element_location(path: Path, lines: list[str], element: etree._Element) -> SourceLocation:
    line = element.sourceline if isinstance(element.sourceline, int) else 1
    return SourceLocation(path, line, _tag_column(lines, line, display_tag(element)))


def display_tag(element: etree._Element) -> str:
    """The tag as written in the file: `xi:include`, not `{http://...XInclude}include`."""
    if not isinstance(element.tag, str):
        return "?"
    qname = etree.QName(element)
    return f"{element.prefix}:{qname.localname}" if element.prefix else qname.localname


def _tag_column(lines: list[str], line: int, tag: str) -> int:
    if 0 < line <= len(lines):
        found = re.search(r"<" + re.escape(tag) + r"(?=[\s/>]|$)", lines[line - 1])
        if found:
            return found.start() + 1
    return 1


def _decode(data: bytes) -> str:
    """Source text for line and column reporting, in the file's declared encoding."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    declared = re.match(
        rb"<\?xml[^>]*encoding=[\"']([A-Za-z0-9._-]+)", data.lstrip(b"\xef\xbb\xbf")
    )
    try:
        return data.decode(declared[1].decode() if declared else "utf-8", errors="replace")
    except LookupError:
        return data.decode("utf-8", errors="replace")


_PROLOG_ITEM = re.compile(r"\s+|<\?.*?\?>|<!--.*?-->", re.DOTALL)


def _find_doctype(text: str) -> tuple[int, int] | None:
    """(line, column) of a DOCTYPE in the prolog, the only place one may appear."""
    pos = 1 if text.startswith("\ufeff") else 0
    while match := _PROLOG_ITEM.match(text, pos):
        if match.end() == pos:
            break
        pos = match.end()
    if not text.startswith("<!DOCTYPE", pos):
        return None
    line = text.count("\n", 0, pos) + 1
    return line, pos - (text.rfind("\n", 0, pos) + 1) + 1


@lru_cache(maxsize=1)
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.fromstring(schema_path().read_bytes()))


class _RefuseExternal(etree.Resolver):
    """Answers every request for an external resource with nothing (defence in depth)."""

    def resolve(self, system_url: str, public_id: str, context: object) -> Any:  # type: ignore[override]
        return self.resolve_string("", context, base_url=None)


def _parser() -> etree.XMLParser:
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        # The file size limit above bounds the input; libxml2's own 10 MB text-node limit
        # would only reject long comments with advice the user cannot follow.
        huge_tree=True,
        collect_ids=False,
    )
    parser.resolvers.add(_RefuseExternal())
    return parser


def load_config(path: Path, diagnostics: Diagnostics) -> LoadedConfig | None:
    """Parse and schema-validate one config; None (with diagnostics) when it is unusable."""
    start = SourceLocation(path, 1, 1)
    if path.suffix.lower() != ".xml":
        diagnostics.error(start, "config file must have the .xml extension")
        return None
    try:
        if not path.is_file():
            diagnostics.error(start, "config file does not exist or is not a regular file")
            return None
        size = path.stat().st_size
        if size > MAX_CONFIG_BYTES:
            diagnostics.error(
                start, f"config file is {size} bytes; the limit is {MAX_CONFIG_BYTES} bytes"
            )
            return None
        data = path.read_bytes()[: MAX_CONFIG_BYTES + 1]
    except OSError as exc:
        diagnostics.error(start, f"cannot read config file: {exc.strerror or exc}")
        return None

    if not data.strip():
        diagnostics.error(start, "config file is empty")
        return None
    lines = _decode(data).splitlines()
    # A DTD is where entity tricks live (external files, devices, expansion bombs), and libxml2
    # reads parts of it even with loading disabled: refuse it before parsing.
    doctype = _find_doctype("\n".join(lines))
    if doctype is not None:
        diagnostics.error(
            SourceLocation(path, *doctype),
            "DOCTYPE declarations are not allowed in OpDef configs (no DTDs, no entities)",
        )
        return None

    try:
        tree = etree.fromstring(data, _parser()).getroottree()
    except etree.XMLSyntaxError as exc:
        # Only the first syntax error is reliable: later ones are usually its echoes.
        for entry in _entries(exc.error_log)[:1]:
            _syntax_error(diagnostics, path, entry.line, entry.column, entry.message)
        if not exc.error_log:
            line, column = exc.position
            _syntax_error(diagnostics, path, line, column, exc.msg)
        return None

    if tree.docinfo.doctype:  # type: ignore[union-attr]
        diagnostics.error(
            start, "DOCTYPE declarations are not allowed in OpDef configs (no DTDs, no entities)"
        )
        return None

    root = tree.getroot()
    if root.tag != PACKAGE_ROOT:
        where = element_location(path, lines, root)
        namespace = etree.QName(root).namespace if isinstance(root.tag, str) else None
        if namespace:
            diagnostics.error(
                where,
                f"root element <{display_tag(root)}> is in namespace '{namespace}', but OpDef "
                "configs use no namespace",
                "remove the xmlns attribute",
            )
        elif root.tag in OTHER_ROOTS:
            diagnostics.error(
                where,
                f"root element <{root.tag}> carries no package; a package config needs "
                f"<{PACKAGE_ROOT} PackageName=... Domain=... Version=...> as its root",
            )
        else:
            diagnostics.error(
                where,
                f"unexpected root element <{display_tag(root)}>; expected <{PACKAGE_ROOT}>",
                did_you_mean(display_tag(root), [PACKAGE_ROOT]),
            )
        return None

    schema = _schema()
    if not schema.validate(tree):
        for entry in _entries(schema.error_log):
            _schema_error(diagnostics, path, lines, entry.line, entry.message)
        return None
    return LoadedConfig(path, root, lines)


def _entries(log: object) -> list[Any]:
    """lxml's error log as a list (its stubs do not declare it iterable)."""
    return list(log) if log else []  # type: ignore[call-overload]


def _syntax_error(
    diagnostics: Diagnostics, path: Path, line: int, column: int, message: str
) -> None:
    message = message.strip().rstrip(".")
    diagnostics.error(
        SourceLocation(path, max(line, 1), max(column, 1)), f"malformed XML: {message}"
    )


# lxml reports schema violations as "Element 'X': <reason>". The patterns below turn the common
# reasons into plainer sentences (with a spelling hint where one helps); others pass through.
_ELEMENT = re.compile(r"^Element '(?P<tag>[^']+)'(?:, attribute '(?P<attr>[^']+)')?: (?P<rest>.*)$")
_ENUM = re.compile(
    r"\[facet 'enumeration'\] The value '(?P<value>[^']*)' is not an element of the set "
    r"\{(?P<set>[^}]*)\}"
)
_NOT_EXPECTED = re.compile(
    r"This element is not expected\.(?: Expected is (?:one of )?\( (?P<exp>.*) \))?"
)
_MISSING = re.compile(r"Missing child element\(s\)\. Expected is (?:one of )?\( (?P<exp>.*) \)")
_ATOMIC = re.compile(
    r"'(?P<value>[^']*)' is not a valid value of the atomic type '(?:xs:)?(?P<type>[^']+)'"
)
_REQUIRED_ATTR = re.compile(r"The attribute '(?P<attr>[^']+)' is required but missing")
_UNKNOWN_ATTR = re.compile(r"The attribute '(?P<attr>[^']+)' is not allowed")


def _schema_error(
    diagnostics: Diagnostics, path: Path, lines: list[str], line: int, raw: str
) -> None:
    raw = raw.strip().rstrip(".")
    match = _ELEMENT.match(raw)
    if not match:
        diagnostics.error(SourceLocation(path, max(line, 1), 1), f"schema: {raw}")
        return
    tag, attr, rest = match["tag"], match["attr"], match["rest"]
    if tag.startswith("{"):  # a namespaced element: show it as written, with its prefix
        local = tag.split("}", 1)[1]
        written = re.search(r"<([\w.-]+:" + re.escape(local) + r")\b", _line(lines, line))
        tag = written[1] if written else local
    where = SourceLocation(path, max(line, 1), _tag_column(lines, line, tag))
    subject = f"attribute {attr} of <{tag}>" if attr else f"<{tag}>"

    if m := _ENUM.search(rest):
        allowed = [v.strip().strip("'") for v in m["set"].split(",")]
        diagnostics.error(
            where,
            f"invalid value '{m['value']}' for {subject}",
            did_you_mean(m["value"], allowed) or "allowed: " + ", ".join(allowed),
        )
    elif m := _NOT_EXPECTED.match(rest):
        names = _names(m["exp"])
        hint = did_you_mean(tag, names) if names else None
        if hint is None and names:
            hint = "expected " + " or ".join(f"<{n}>" for n in names)
        diagnostics.error(where, f"element <{tag}> is not allowed here", hint)
    elif m := _MISSING.match(rest):
        # Every content model here is a sequence, so lxml lists the elements allowed at this
        # point: optional ones, then the first required one, which is the one missing.
        names = _names(m["exp"])
        diagnostics.error(where, f"<{tag}> is missing the required element <{names[-1]}>")
    elif m := _ATOMIC.search(rest):
        kind = {"boolean": "a boolean (true, false, 1 or 0)", "int": "an integer"}.get(
            m["type"], m["type"]
        )
        diagnostics.error(where, f"invalid value '{m['value']}' for {subject}: expected {kind}")
    elif m := _REQUIRED_ATTR.match(rest):
        diagnostics.error(where, f"<{tag}> is missing the required attribute {m['attr']}")
    elif m := _UNKNOWN_ATTR.match(rest):
        diagnostics.error(where, f"unknown attribute {m['attr']} on <{tag}>")
    else:
        diagnostics.error(where, f"{subject}: {rest}")


def _line(lines: list[str], line: int) -> str:
    return lines[line - 1] if 0 < line <= len(lines) else ""


def _names(listed: str | None) -> list[str]:
    return [n.strip() for n in listed.split(",")] if listed else []
