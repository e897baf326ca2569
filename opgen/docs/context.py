"""The typed context of the op reference: plain data built from a package's backend views.

One `PackageDoc` per package feeds both templates (templates/docs/Package.md.j2 and
Package.html.j2), which only lay it out. Every text a config wrote (names, descriptions,
defaults, enum labels, rules, file names) is `FreeText`, so a template can write it only through
an escaping filter (`markdown`, `markdown_code`, `html`); the rest (datatype names, ranks, ids
built from checked identifiers) is plain `str` from opgen's own enums.

An op's tables are shown per backend *after* its supplemental defs are applied
(`Package.resolve`), with backends whose views come out the same shown together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from opgen.escaping import FreeText
from opgen.model import Backend, Constraint, OpDef, Package, TensorSpec
from opgen.shapes import is_shape_rule, rules_of

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_WEB_URL = re.compile(r"https?://[^\s]+")


@dataclass(frozen=True)
class Block:
    """One piece of a description: prose (`code` False) or a code listing."""

    text: FreeText
    code: bool = False


@dataclass(frozen=True)
class ReferenceDoc:
    text: FreeText
    source: FreeText | None
    url: FreeText | None
    href: FreeText | None
    """The url when it is a plain http(s) address (the only kind the HTML links)."""


@dataclass(frozen=True)
class Note:
    """One remark on a tensor: a property (`kind` only), its description (`text` only) or a
    constraint (`kind` "Shape constraint 1", its prose and its `<Code>`)."""

    kind: str
    text: FreeText | None = None
    code: FreeText | None = None


@dataclass(frozen=True)
class EnumDoc:
    value: str
    name: FreeText


@dataclass(frozen=True)
class TensorDoc:
    """One row of an inputs, outputs or parameters table."""

    name: FreeText
    mandatory: str
    datatypes: tuple[str, ...]
    rank: str
    layout: str
    shape: FreeText | None
    """The `<Shape><Text>` as written: a rule (leading `=`) or prose."""
    shape_rule: bool
    default: FreeText | None
    enum: tuple[EnumDoc, ...]
    notes: tuple[Note, ...]
    """Properties worth a word (repeated, static, only the default supported), then the
    description, then the constraints."""


@dataclass(frozen=True)
class RuleDoc:
    """One shape or dtype rule as written, with what it applies to (opgen.shapes.rules_of)."""

    kind: str
    subject: FreeText | None
    """The tensor it is about; None for a `require` check, which spans the op."""
    text: FreeText


@dataclass(frozen=True)
class BackendDoc:
    """An op's tables on one or more backends whose resolved views are the same."""

    backends: tuple[str, ...]
    anchor: str
    inputs: tuple[TensorDoc, ...]
    outputs: tuple[TensorDoc, ...]
    params: tuple[TensorDoc, ...]
    rules: tuple[RuleDoc, ...]


@dataclass(frozen=True)
class OpDoc:
    name: FreeText
    anchor: str
    summary: FreeText
    """The first paragraph of the description (the index shows it)."""
    blocks: tuple[Block, ...]
    """The description: paragraphs and code listings, in config order."""
    references: tuple[ReferenceDoc, ...]
    backends: tuple[str, ...]
    default_translation: bool
    sections: tuple[BackendDoc, ...]


@dataclass(frozen=True)
class ConfigDoc:
    file: FreeText
    domain: FreeText
    version: FreeText


@dataclass(frozen=True)
class PackageDoc:
    name: FreeText
    configs: tuple[ConfigDoc, ...]
    backends: tuple[str, ...]
    ops: tuple[OpDoc, ...]


def package_doc(package: Package) -> PackageDoc:
    views = {backend: {op.name: op for op in package.resolve(backend).ops}
             for backend in package.backends}  # fmt: skip
    return PackageDoc(
        name=FreeText(package.name),
        configs=tuple(
            ConfigDoc(FreeText(c.path.name), FreeText(c.domain), FreeText(c.version))
            for c in package.configs
        ),
        backends=tuple(b.value for b in package.backends),
        ops=tuple(
            _op_doc(op, index, [(b, views[b][op.name]) for b in op.backends])
            for index, op in enumerate(package.ops, 1)
        ),
    )


def _anchor(name: str, index: int) -> str:
    """`op-<Name>`: op names are checked identifiers, unique in a package (the index stands
    in should one ever not be), and cannot contain the `-` that joins backend names on."""
    return f"op-{name}" if _IDENTIFIER.fullmatch(name) else f"op-{index}"


def _op_doc(op: OpDef, index: int, resolved: list[tuple[Backend, OpDef]]) -> OpDoc:
    anchor = _anchor(op.name, index)
    blocks = _description(op)
    prose = [b.text for b in blocks if not b.code]
    # Backends whose resolved views give the same tables share one section, in backend order.
    grouped: dict[_Tables, list[Backend]] = {}
    for backend, view in resolved:
        grouped.setdefault(_tables(view), []).append(backend)
    sections = []
    for t, backends in grouped.items():
        names = tuple(b.value for b in backends)
        anchor_of = f"{anchor}-{'-'.join(names)}"
        sections.append(BackendDoc(names, anchor_of, t.inputs, t.outputs, t.params, t.rules))
    return OpDoc(
        name=FreeText(op.name),
        anchor=anchor,
        summary=prose[0] if prose else FreeText(""),
        blocks=blocks,
        references=tuple(_reference(r.text, r.source, r.url) for r in op.references),
        backends=tuple(b.value for b in op.backends),
        default_translation=op.use_default_translation,
        sections=tuple(sections),
    )


def _description(op: OpDef) -> tuple[Block, ...]:
    blocks: list[Block] = []
    for description in op.description:
        for paragraph in _PARAGRAPH_BREAK.split(description.content):
            if paragraph.strip():
                blocks.append(Block(FreeText(paragraph.strip())))
        blocks.extend(Block(FreeText(code), code=True) for code in description.code if code)
    return tuple(blocks)


def _reference(text: str, source: str | None, url: str | None) -> ReferenceDoc:
    href = url if url is not None and _WEB_URL.fullmatch(url) else None
    return ReferenceDoc(
        FreeText(text),
        FreeText(source) if source else None,
        FreeText(url) if url else None,
        FreeText(href) if href else None,
    )


@dataclass(frozen=True)
class _Tables:
    inputs: tuple[TensorDoc, ...]
    outputs: tuple[TensorDoc, ...]
    params: tuple[TensorDoc, ...]
    rules: tuple[RuleDoc, ...]


def _tables(op: OpDef) -> _Tables:
    return _Tables(
        tuple(map(_tensor, op.inputs)),
        tuple(map(_tensor, op.outputs)),
        tuple(map(_tensor, op.params)),
        _rules(op),
    )


def _tensor(spec: TensorSpec) -> TensorDoc:
    notes = []
    if spec.repeated:
        notes.append(Note("repeated"))
    if spec.is_static:
        notes.append(Note("static tensor"))
    if spec.only_default_supported:
        notes.append(Note("only the default is supported"))
    if spec.description:
        notes.append(Note("", FreeText(spec.description)))
    notes.extend(map(_constraint, spec.constraints))
    return TensorDoc(
        name=FreeText(spec.name),
        mandatory="yes" if spec.mandatory else "no",
        datatypes=tuple(d.value for d in spec.datatypes),
        rank=spec.rank.value,
        layout=spec.layout.value if spec.layout is not None else "",
        shape=FreeText(spec.shape_text) if spec.shape_text else None,
        shape_rule=is_shape_rule(spec.shape_text),
        default=FreeText(spec.default.text) if spec.default is not None else None,
        enum=tuple(EnumDoc(str(i), FreeText(v)) for i, v in enumerate(spec.enum_values)),
        notes=tuple(notes),
    )


def _constraint(c: Constraint) -> Note:
    code = FreeText(c.code) if c.code else None
    return Note(f"{c.type.value} constraint {c.id}", FreeText(c.text) if c.text else None, code)


def _rules(op: OpDef) -> tuple[RuleDoc, ...]:
    rules = rules_of(op)
    out: list[RuleDoc] = []
    for spec, pattern in zip(op.inputs, rules.patterns, strict=True):
        if pattern is not None:
            out.append(RuleDoc("input pattern", FreeText(spec.name), FreeText(pattern.source.text)))
    for output in rules.outputs:
        if output.shape is not None:
            out.append(
                RuleDoc("output shape", FreeText(output.name), FreeText(output.shape.source.text))
            )
        if output.dtype.source is not None:
            out.append(
                RuleDoc(
                    "output datatype", FreeText(output.name), FreeText(output.dtype.source.text)
                )
            )
    out.extend(RuleDoc("check", None, FreeText(r.source.text)) for r in rules.requires)
    return tuple(out)
