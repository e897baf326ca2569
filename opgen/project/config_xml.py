"""The XML of a new project's config, built with lxml (which escapes text and attribute values).

Names come from a checked :class:`~opgen.project.spec.ProjectSpec`; the only other text is
opgen's own. A config drafted from an ONNX model gets the project's backends in place of the
draft's.
"""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from opgen.model_enums import Backend
from opgen.project.spec import ProjectSpec, StarterShape

_FLOAT = "QNN_DATATYPE_FLOAT_32"


def starter_config(spec: ProjectSpec) -> bytes:
    """A config with one starter op per name in `spec.ops`, each of `spec.shape`."""
    root = etree.Element(
        "OpDefCollection", PackageName=spec.package, Domain=spec.package.lower(), Version="1.0"
    )
    root.append(
        etree.Comment(
            f" Created by `opgen new` with the starter shape '{spec.shape.value}' "
            f"({spec.shape.summary}): make each op declare what it computes, then `make test`. "
        )
    )
    op_list = etree.SubElement(root, "OpDefList")
    for op in spec.ops:
        _starter_op(op_list, op, spec.shape, spec.backends)
    return _bytes(root)


def _starter_op(
    parent: etree._Element, name: str, shape: StarterShape, backends: Sequence[Backend]
) -> None:
    op = etree.SubElement(parent, "OpDef")
    etree.SubElement(op, "Name").text = name
    description = etree.SubElement(op, "Description")
    etree.SubElement(description, "Content").text = f"Starter op ({shape.value}): {shape.summary}."
    if shape is StarterShape.ELEMENTWISE:
        _tensor(op, "Input", "in[0]")
        _tensor(op, "Output", "out[0]", rule="= like(in[0])")
        param = etree.SubElement(op, "Parameter")
        etree.SubElement(param, "Name").text = "gain"
        etree.SubElement(param, "Mandatory").text = "false"
        etree.SubElement(param, "Datatype").text = _FLOAT
        etree.SubElement(etree.SubElement(param, "Shape"), "Rank").text = "SCALAR"
        etree.SubElement(param, "Default").text = "1.0"
    elif shape is StarterShape.BINARY:
        _tensor(op, "Input", "in[0]")
        _tensor(op, "Input", "in[1]")
        _tensor(op, "Output", "out[0]", rule="= broadcast(in[0], in[1])")
    else:
        _tensor(op, "Input", "in[0]", rule="= [B..., K]")
        _tensor(op, "Output", "out[0]", rule="= [B...]")
    for backend in backends:
        etree.SubElement(op, "SupportedBackend").text = backend.value


def _tensor(op: etree._Element, tag: str, name: str, rule: str | None = None) -> None:
    tensor = etree.SubElement(op, tag)
    etree.SubElement(tensor, "Name").text = name
    etree.SubElement(tensor, "Mandatory").text = "true"
    etree.SubElement(tensor, "Datatype").text = _FLOAT
    shape = etree.SubElement(tensor, "Shape")
    etree.SubElement(shape, "Rank").text = "ND"
    if rule is not None:
        etree.SubElement(shape, "Text").text = rule


def with_backends(config: bytes, backends: Sequence[Backend]) -> bytes:
    """`config` (a draft opgen wrote) with each op's SupportedBackend elements replaced by
    `backends`, where the first of them stood."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=True)
    root = etree.fromstring(config, parser)
    for op in root.iter("OpDef"):
        old = op.findall("SupportedBackend")
        index = op.index(old[0]) if old else len(op)
        for element in old:
            op.remove(element)
        for offset, backend in enumerate(backends):
            element = etree.Element("SupportedBackend")
            element.text = backend.value
            op.insert(index + offset, element)
    return _bytes(root)


def _bytes(root: etree._Element) -> bytes:
    etree.indent(root, space="  ")
    text: bytes = etree.tostring(root, pretty_print=True, xml_declaration=True, encoding="UTF-8")
    return text
