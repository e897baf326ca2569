"""The XML of a drafted config (opgen.onnx.draft decides what; this writes it, with lxml).

Every string here may come from a model: identifiers go through :func:`identifier`, text and
attribute values through :func:`_text` (XML 1.0 characters only, bounded), comments through
:func:`_comment` (no ``--``, no trailing ``-``). Rules are written in their one-line form; a
dtype rule Constraint always has prose before its ``<Code>`` and no element is left empty
(the vendor translator fails on both, CONVERTER_FACTS §6.1).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from lxml import etree

from opgen import naming

_MAX_TEXT = 200
_Note = Callable[["etree._Element", str], None]
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class TensorDraft:
    name: str
    mandatory: bool
    datatypes: tuple[str, ...]
    rank: str
    notes: tuple[str, ...] = ()
    shape_rule: str | None = None
    dtype_like: int | None = None


@dataclass(frozen=True)
class ParamDraft:
    name: str
    attribute: str
    optional: bool
    datatype: str
    rank: str
    default: str | None
    enum: tuple[str, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class OpDraft:
    name: str
    op_type: str
    nodes: int
    domains: Sequence[str]
    inputs: tuple[TensorDraft, ...]
    outputs: tuple[TensorDraft, ...]
    params: tuple[ParamDraft, ...]
    notes: tuple[str, ...] = ()
    renamed: tuple[str, ...] = ()


def identifier(text: str, taken: set[str], fallback: str, *, fold: bool = False) -> str:
    """An identifier opgen accepts, close to ``text`` and not in ``taken`` (compared
    lower-cased when ``fold``: op names are matched case-insensitively)."""
    stem = re.sub(r"[^A-Za-z0-9_]+", "_", text).strip("_") or fallback
    if stem[0].isdigit():
        stem = f"{fallback}_{stem}"
    stem = stem[:64]
    candidate, k = stem, 1
    while naming.identifier_problem(candidate) is not None or (
        (candidate.lower() if fold else candidate) in taken
    ):
        k += 1
        candidate = f"{stem}_{k}"
    return candidate


def _text(text: str) -> str:
    clean = _NOT_XML.sub("?", text)
    return clean if len(clean) <= _MAX_TEXT else clean[: _MAX_TEXT - 3] + "..."


def _comment(text: str) -> etree._Comment:
    body = _text(text).replace("\r", " ").replace("\n", " ")
    while "--" in body:
        body = body.replace("--", "- -")
    return etree.Comment(f" {body.rstrip('-')} ")


def config_xml(
    package: str, domain: str, other_domains: Sequence[str], ops: Sequence[OpDraft], source: str
) -> tuple[bytes, int]:
    """The config's bytes and the number of comments that ask for a decision."""
    root = etree.Element(
        "OpDefCollection", PackageName=package, Domain=_text(domain), Version="1.0"
    )
    decisions = 0

    def note(parent: etree._Element, text: str) -> None:
        nonlocal decisions
        decisions += 1
        parent.append(_comment("DECIDE: " + text))

    root.append(
        _comment(
            f"Drafted by `opgen onnx draft` from {source}. Check every DECIDE comment, then "
            "`opgen validate` and `opgen onnx check` the model against this config."
        )
    )
    if other_domains:
        note(
            root,
            "the nodes come from several domains ("
            + ", ".join(repr(d) for d in other_domains)
            + f"); the config has one Domain, {domain!r} (the converter ignores domains)",
        )
    op_list = etree.SubElement(root, "OpDefList")
    for op in ops:
        _op(op_list, op, note)
    text = etree.tostring(root, pretty_print=True, xml_declaration=True, encoding="UTF-8")
    return text, decisions


def _op(parent: etree._Element, op: OpDraft, note: _Note) -> None:
    elem = etree.SubElement(parent, "OpDef")
    for n in op.notes:
        note(elem, n)
    etree.SubElement(elem, "Name").text = op.name
    desc = etree.SubElement(elem, "Description")
    domains = ", ".join(repr(d) for d in op.domains)
    etree.SubElement(desc, "Content").text = _text(
        f"Drafted from {op.nodes} node(s) of type {op.op_type!r} (domain {domains}). "
        "DECIDE: describe what the op computes."
    )
    for t in op.inputs:
        _tensor(elem, "Input", t, note)
    for t in op.outputs:
        _tensor(elem, "Output", t, note)
    for p in op.params:
        _param(elem, p, note)
    etree.SubElement(elem, "SupportedBackend").text = "CPU"


def _tensor(parent: etree._Element, tag: str, t: TensorDraft, note: _Note) -> None:
    elem = etree.SubElement(parent, tag)
    for n in t.notes:
        note(elem, n)
    etree.SubElement(elem, "Name").text = t.name
    if t.dtype_like is not None:
        c = etree.SubElement(elem, "Constraint", id="1", Type="Datatype")
        c.text = f"the dtype of in[{t.dtype_like}] in every node of the model"
        etree.SubElement(c, "Code").text = f"= like(in[{t.dtype_like}])"
    etree.SubElement(elem, "Mandatory").text = "true" if t.mandatory else "false"
    for d in t.datatypes:
        etree.SubElement(elem, "Datatype").text = d
    shape = etree.SubElement(elem, "Shape")
    etree.SubElement(shape, "Rank").text = t.rank
    if t.shape_rule is not None:
        etree.SubElement(shape, "Text").text = t.shape_rule


def _param(parent: etree._Element, p: ParamDraft, note: _Note) -> None:
    elem = etree.SubElement(parent, "Parameter")
    for n in p.notes:
        note(elem, n)
    etree.SubElement(elem, "Name").text = p.name
    etree.SubElement(elem, "Mandatory").text = "false" if p.optional else "true"
    etree.SubElement(elem, "Datatype").text = p.datatype
    shape = etree.SubElement(elem, "Shape")
    etree.SubElement(shape, "Rank").text = p.rank
    if p.default is not None:
        etree.SubElement(elem, "Default").text = p.default
    if p.enum:
        enum = etree.SubElement(elem, "Enumeration")
        for label in p.enum:
            etree.SubElement(enum, "Enum").text = _text(label) or "empty"
