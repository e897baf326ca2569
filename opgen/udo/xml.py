"""The converted config as XML, encoded by xmlschema against opgen's own schemas/OpDef.xsd.

The schema decides element order and spells every value (booleans, lists), and refuses a
document it does not accept, so the text is never assembled by hand.
"""

from __future__ import annotations

import functools
import xml.etree.ElementTree as ET
from typing import Any

from opgen.resources import schema_path


@functools.cache
def _schema() -> Any:
    # Imported here: xmlschema takes a while to load and only this command needs it.
    import xmlschema

    return xmlschema.XMLSchema(str(schema_path()))


def encode(document: dict[str, Any]) -> bytes:
    """The OpDefCollection `document` (xmlschema's dict form) as an indented UTF-8 file."""
    import xmlschema

    element = _schema().encode(
        document, path="OpDefCollection", converter=xmlschema.UnorderedConverter
    )
    ET.indent(element)
    body = ET.tostring(element, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")
