"""Schema violations as diagnostics: lxml's messages turned into plain sentences with hints.

Separate from the loader so that its patterns are compiled only when a config breaks the schema.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from opgen.config.diagnostics import Diagnostics, did_you_mean
from opgen.config.loader import tag_column
from opgen.model import SourceLocation


def report_schema_errors(
    diagnostics: Diagnostics, path: Path, lines: list[str], entries: list[Any]
) -> None:
    """One diagnostic per entry of lxml's schema error log."""
    # A misspelt attribute is reported twice (unknown, and the required one missing): the
    # missing ones per line let each diagnostic name the other.
    missing: dict[int, list[str]] = {}
    for entry in entries:
        if m := _REQUIRED_ATTR.search(entry.message):
            missing.setdefault(entry.line, []).append(m["attr"])
    for entry in entries:
        _schema_error(diagnostics, path, lines, entry.line, entry.message, missing)


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
    diagnostics: Diagnostics,
    path: Path,
    lines: list[str],
    line: int,
    raw: str,
    missing: dict[int, list[str]],
) -> None:
    raw = raw.strip().rstrip(".")
    match = _ELEMENT.match(raw)
    if not match:
        diagnostics.error(SourceLocation(path, max(line, 1), 1), f"schema: {raw}")
        return
    tag, attr, rest = match["tag"], match["attr"], match["rest"]
    namespace = None
    if tag.startswith("{"):  # a namespaced element: show it as written, with its namespace
        namespace, local = tag[1:].split("}", 1)
        written = re.search(r"<([\w.-]+:" + re.escape(local) + r")\b", _line(lines, line))
        tag = written[1] if written else local
    where = SourceLocation(path, max(line, 1), tag_column(lines, line, tag))
    element = f"<{tag}>" + (f" in namespace '{namespace}'" if namespace else "")
    if attr and attr.startswith("{"):
        attr_namespace, attr_local = attr[1:].split("}", 1)
        written = re.search(r"([\w.-]+:" + re.escape(attr_local) + r")\s*=", _line(lines, line))
        attr = f"{written[1] if written else attr_local} in namespace '{attr_namespace}'"
    subject = f"attribute {attr} of {element}" if attr else element

    if m := _ENUM.search(rest):
        allowed = [v.strip().strip("'") for v in m["set"].split(",")]
        diagnostics.error(
            where,
            f"invalid value '{m['value']}' for {subject}",
            did_you_mean(m["value"], allowed) or "allowed: " + ", ".join(allowed),
        )
    elif m := _NOT_EXPECTED.match(rest):
        names = _names(m["exp"])
        hint = did_you_mean(tag, names) if names and not namespace else None
        if hint is None and names:
            hint = "expected " + " or ".join(f"<{n}>" for n in names)
        if namespace:
            hint = f"OpDef elements use no namespace; {hint or 'remove the element'}"
        diagnostics.error(where, f"element {element} is not allowed here", hint)
    elif m := _MISSING.match(rest):
        # Every content model here is a sequence, so lxml lists the elements allowed at this
        # point: optional ones, then the first required one, which is the one missing.
        names = _names(m["exp"])
        diagnostics.error(where, f"{element} is missing the required element <{names[-1]}>")
    elif m := _ATOMIC.search(rest):
        kind = {"boolean": "a boolean (true, false, 1 or 0)", "int": "an integer"}.get(
            m["type"], m["type"]
        )
        diagnostics.error(where, f"invalid value '{m['value']}' for {subject}: expected {kind}")
    elif m := _REQUIRED_ATTR.match(rest):
        attrs = re.findall(r"([\w.:-]+)\s*=", _line(lines, line))
        close = [a for a in attrs if did_you_mean(a, [m["attr"]])]
        diagnostics.error(
            where,
            f"{element} is missing the required attribute {m['attr']}",
            _written_hint(close[0], m["attr"]) if close else None,
        )
    elif m := _UNKNOWN_ATTR.match(rest):
        shown = attr if m["attr"] == match["attr"] else m["attr"]
        hint = did_you_mean(shown, missing.get(line, []))
        diagnostics.error(where, f"unknown attribute {shown} on {element}", hint)
    else:
        diagnostics.error(where, f"{subject}: {rest}")


def _written_hint(written: str, attr: str) -> str:
    case = "; attribute names are case-sensitive" if written.lower() == attr.lower() else ""
    return f"the attribute written is {written}{case}"


def _line(lines: list[str], line: int) -> str:
    return lines[line - 1] if 0 < line <= len(lines) else ""


def _names(listed: str | None) -> list[str]:
    return [n.strip() for n in listed.split(",")] if listed else []
