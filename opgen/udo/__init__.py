"""`opgen import-udo`: a legacy SNPE UDO JSON config converted into an OpDef config.

`import_udo(path, text)` reads the JSON with positions (jsonpos), converts it field by field
(convert; every field without an OpDef equivalent is a located error) and encodes the result
through xmlschema against schemas/OpDef.xsd (xml). The command validates the XML with opgen's
loader before writing it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from opgen.config.diagnostics import Diagnostic, Diagnostics
from opgen.model import SourceLocation
from opgen.udo.convert import convert
from opgen.udo.jsonpos import JsonSyntaxError, parse

__all__ = ["Imported", "import_udo"]

DEFAULT_DOMAIN = "udo"
DEFAULT_VERSION = "1.0"


@dataclass(frozen=True)
class Imported:
    xml: bytes | None
    """The OpDef config; None when there are errors."""
    package: str | None
    diagnostics: tuple[Diagnostic, ...]


def import_udo(
    path: Path, text: str, *, domain: str = DEFAULT_DOMAIN, version: str = DEFAULT_VERSION
) -> Imported:
    diagnostics = Diagnostics()
    try:
        root = parse(text)
    except JsonSyntaxError as exc:
        where = SourceLocation(path, exc.at.line, exc.at.column)
        diagnostics.error(where, f"invalid JSON: {exc.message}")
        return Imported(None, None, tuple(diagnostics.items))
    converted, found = convert(path, root, domain=domain, version=version)
    if converted.document is None:
        return Imported(None, converted.package, tuple(found.items))
    from opgen.udo.xml import encode

    return Imported(encode(converted.document), converted.package, tuple(found.items))
