"""Reading a config file: hardened XML parsing and schema validation, with exact source positions.

Hostile input is the reason for most of this module: no network, no DTDs (so no external entities
and no entity-expansion bombs), a size limit, and every failure turned into a diagnostic.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache, partial
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
    _find_column: Callable[[int, str], int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._find_column = partial(tag_column, self.lines)

    def location(self, element: etree._Element) -> SourceLocation:
        # The column is found when a diagnostic reads it: most locations are never reported.
        sourceline = element.sourceline
        line = sourceline if isinstance(sourceline, int) else 1
        return SourceLocation.deferred(self.path, line, self._find_column, display_tag(element))


def element_location(path: Path, lines: list[str], element: etree._Element) -> SourceLocation:
    sourceline = element.sourceline
    line = sourceline if isinstance(sourceline, int) else 1
    return SourceLocation(path, line, tag_column(lines, line, display_tag(element)))


def display_tag(element: etree._Element) -> str:
    """The tag as written in the file: `xi:include`, not `{http://...XInclude}include`."""
    tag = element.tag
    if not isinstance(tag, str):
        return "?"
    local = tag.rpartition("}")[2]  # what etree.QName(element).localname is, without the object
    return f"{element.prefix}:{local}" if element.prefix else local


def tag_column(lines: list[str], line: int, tag: str) -> int:
    """The column of the first `<tag` on the line that is followed by a space, `/`, `>` or the
    line's end; 1 when there is none."""
    if 0 < line <= len(lines):
        text = lines[line - 1]
        opening = "<" + tag
        start = text.find(opening)
        while start >= 0:
            end = start + len(opening)
            if end == len(text) or text[end] in "/>" or text[end].isspace():
                return start + 1
            start = text.find(opening, start + 1)
    return 1


# Encodings opgen reads (Python codec names). libxml2 decodes others through iconv, which this
# module cannot mirror byte for byte; the DOCTYPE scan below must see what libxml2 will see.
_ASCII_FAMILY = frozenset(
    ["utf-8", "ascii"]
    + [f"iso8859-{n}" for n in range(1, 17)]
    + [f"cp{n}" for n in range(1250, 1259)]
)
_WIDE = {
    "UTF-16": frozenset(["utf-16", "utf-16-le", "utf-16-be"]),
    "UTF-32": frozenset(["utf-32", "utf-32-le", "utf-32-be"]),
}
_DECLARED = re.compile(r"<\?xml\s[^>]*?\bencoding\s*=\s*([\"'])([^\"'>]*)\1")


@dataclass(frozen=True)
class _Source:
    """The file as text (decoded as libxml2 will decode it), or why opgen will not read it."""

    text: str = ""
    refusal: str | None = None


def _detect(data: bytes) -> tuple[str | None, int, str]:
    """(Python codec or None when refused, byte-order-mark length, name for messages), by the
    XML spec's appendix F: a byte-order mark, or the first four bytes of `<?xml`."""
    head = data[:4]
    if head == b"\x00\x00\xfe\xff":
        return "utf-32-be", 4, "UTF-32"
    if head == b"\xff\xfe\x00\x00":
        return "utf-32-le", 4, "UTF-32"
    if head == b"\x00\x00\x00<":
        return "utf-32-be", 0, "UTF-32"
    if head == b"<\x00\x00\x00":
        return "utf-32-le", 0, "UTF-32"
    if head in (b"\x00\x00<\x00", b"\x00<\x00\x00"):
        return None, 0, "UCS-4 with an unusual byte order"
    if head == b"\x4c\x6f\xa7\x94":
        return None, 0, "EBCDIC"
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8", 3, "UTF-8"
    if data.startswith(b"\xfe\xff"):
        return "utf-16-be", 2, "UTF-16"
    if data.startswith(b"\xff\xfe"):
        return "utf-16-le", 2, "UTF-16"
    # No mark: `<?` (or any ASCII character) next to a zero byte is UTF-16 without one.
    if len(head) >= 2 and head[0] == 0 and head[1] != 0:
        return "utf-16-be", 0, "UTF-16"
    if len(head) >= 2 and head[0] != 0 and head[1] == 0:
        return "utf-16-le", 0, "UTF-16"
    return "utf-8", 0, "UTF-8"


def _source(data: bytes) -> _Source:
    codec, bom, family = _detect(data)
    if codec is None:
        return _Source(
            refusal=f"config file is encoded in {family}; opgen reads UTF-8, UTF-16 and UTF-32 "
            "configs"
        )
    # Decode as the detected family first: the declaration is ASCII in each of its members.
    text = data[bom:].decode(codec, errors="replace")
    declared = _DECLARED.match(text[:1024])
    if declared:
        name = declared[2]
        try:
            declared_codec = codecs.lookup(name).name
        except LookupError:
            declared_codec = ""
        wide = family in _WIDE
        accepted = _WIDE[family] if wide else ({"utf-8"} if bom else _ASCII_FAMILY)
        if declared_codec not in accepted:
            if wide or bom or any(declared_codec in names for names in _WIDE.values()):
                why = f"the file's bytes are {family}"
            else:
                why = (
                    "opgen reads UTF-8, UTF-16, UTF-32, US-ASCII, ISO-8859 and Windows-125x configs"
                )
            return _Source(refusal=f"config file declares encoding '{name}', but {why}")
        if family == "UTF-8" and declared_codec != "utf-8":
            text = data.decode(declared_codec, errors="replace")
    return _Source(text)


def _lines(text: str) -> list[str]:
    """Lines as libxml2 numbers them (element and error positions come from it): only a line
    feed starts a line; a lone CR, U+2028, U+0085 or a form feed does not (str.splitlines
    would split at those and shift every later position)."""
    return text.split("\n")


def _find_doctype(text: str) -> tuple[int, int] | None:
    """(line, column) of the first `<!DOCTYPE` outside comments, PIs and CDATA sections: in the
    prolog it declares a DTD; anywhere else the file is malformed anyway. Linear time."""
    if "<!DOCTYPE" not in text:
        return None  # the common case, in one scan
    pos = 0
    while (start := text.find("<", pos)) >= 0:
        for opening, closing in (("<!--", "-->"), ("<?", "?>"), ("<![CDATA[", "]]>")):
            if text.startswith(opening, start):
                end = text.find(closing, start + len(opening))
                if end < 0:
                    return None  # unterminated: libxml2 stops there
                pos = end + len(closing)
                break
        else:
            if text.startswith("<!DOCTYPE", start):
                line = text.count("\n", 0, start) + 1
                return line, start - (text.rfind("\n", 0, start) + 1) + 1
            pos = start + 1
    return None


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
    if path.is_dir():
        count = sum(1 for _ in path.glob("*.xml"))
        diagnostics.error(
            start,
            "this is a directory, not a config file",
            f"name the config files in it: {path / '*.xml'} matches {count}"
            if count
            else "it holds no .xml file",
        )
        return None
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
    source = _source(data)
    if source.refusal is not None:
        diagnostics.error(start, source.refusal)
        return None
    lines = _lines(source.text.removeprefix("\ufeff"))
    # A DTD is where entity tricks live (external files, devices, expansion bombs), and libxml2
    # reads parts of it even with loading disabled: refuse it before parsing, in any encoding.
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
        # Imported here: its patterns are compiled only when a config breaks the schema.
        from opgen.config.schema_errors import report_schema_errors

        report_schema_errors(diagnostics, path, lines, _entries(schema.error_log))
        return None
    return LoadedConfig(path, root, lines)


def _entries(log: object) -> list[Any]:
    """lxml's error log as a list (its stubs do not declare it iterable)."""
    return list(log) if log else []  # type: ignore[call-overload]


def _syntax_error(
    diagnostics: Diagnostics, path: Path, line: int, column: int, message: str
) -> None:
    message = message.strip().rstrip(".")
    # libxml2's advice ("use XML_PARSE_HUGE option") is for programmers, not config authors.
    if deep := re.match(r"Excessive depth in document: (\d+)", message):
        message = f"elements nest more than {deep[1]} deep"
    diagnostics.error(
        SourceLocation(path, max(line, 1), max(column, 1)), f"malformed XML: {message}"
    )
