"""Draft an OpDef config from the nodes of a model, as TensorRT's TPG drafts plugins (§5).

For each op type drafted (the types the user names, or every node outside ONNX's own domains and
ORT's ``com.microsoft``, which the vendor converter partly translates itself, §1.3):

* inputs and outputs ``in[i]`` / ``out[j]`` by position, with the dtypes the model shows (uint8
  listed as UINT_8 *and* UFIXED_POINT_8: an ONNX uint8 arrives as UINT_8, a quantized graph
  has UFIXED_POINT_8, and a config listing one of them fails the other, §1.5) and the rank the
  nodes agree on (ND when they disagree or do not say); positions some nodes leave out are
  optional;
* params from the attributes (INT -> INT_32 and INTS -> 1-D INT_32, which the converter sends
  whatever the XML says, §1.4; FLOAT(S) -> FLOAT_32; STRING -> an enumeration of the labels
  seen; TENSOR -> its dtype and rank), with the value as ``Default`` when every node has the
  same one;
* an output's shape rule ``= like(in[i])`` when its shape equals in[i]'s in every node (and the
  dtype rule ``= like(in[i])`` when the dtypes agree the same way), else ``= ?`` (user code);
* the domain of the nodes as the config's ``Domain``.

Every name comes from the model, so every name is made an identifier (and a comment says when
that changed it: the converter matches op types and attributes by name, so the model must then
change too). Text reaches the XML through lxml, comments through :func:`_comment`. What the user
must decide is an XML comment before the element concerned. No printing here.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import onnx
from onnx import AttributeProto

from opgen import naming
from opgen.onnx import tensors
from opgen.onnx.draft_xml import OpDraft, ParamDraft, TensorDraft, config_xml, identifier

#: Never drafted unless named with --ops: ONNX's own domains, and ORT's contrib ops, which the
#: vendor converter translates in part (CONVERTER_FACTS §1.3, dispatch step 6).
SKIPPED_DOMAINS = ("", "ai.onnx", "ai.onnx.ml", "com.microsoft")
_MAX_DEFAULT_ELEMENTS = 64
_MAX_EXAMPLES = 3


class DraftError(Exception):
    """The request cannot be drafted (an op type the model lacks, a bad package name...)."""


@dataclass(frozen=True)
class Draft:
    xml: bytes
    ops: tuple[str, ...]
    nodes: int
    decisions: int
    """How many comments ask the user to decide something."""
    renamed: tuple[str, ...] = field(default=())
    """Messages about model names that had to change (the model must change to match)."""
    skipped: tuple[str, ...] = field(default=())


def draft(
    model: onnx.ModelProto,
    *,
    ops: Sequence[str] | None = None,
    package: str | None = None,
    source: str = "the model",
) -> Draft:
    """A config for ``ops`` (op types, compared case-insensitively), or for every node outside
    :data:`SKIPPED_DOMAINS`. Raises :class:`DraftError`."""
    graph = model.graph
    groups: dict[str, list[onnx.NodeProto]] = {}
    skipped: dict[str, int] = {}
    wanted = {o.lower(): o for o in ops} if ops is not None else None
    for node in graph.node:
        key = node.op_type.lower()
        if wanted is not None:
            if key in wanted:
                groups.setdefault(key, []).append(node)
        elif node.domain in SKIPPED_DOMAINS:
            if node.domain == "com.microsoft":
                skipped[node.op_type] = skipped.get(node.op_type, 0) + 1
        else:
            groups.setdefault(key, []).append(node)
    if wanted is not None:
        missing = [o for k, o in wanted.items() if k not in groups]
        if missing:
            raise DraftError(f"no node of type {', '.join(map(repr, missing))} in {source}")
    if not groups:
        raise DraftError(
            f"{source} has no node outside the standard domains "
            f"({', '.join(repr(d) for d in SKIPPED_DOMAINS)}): name op types with --ops"
        )
    typed = onnx.ModelProto()
    typed.CopyFrom(model)
    tensors.add_domains(typed, (n.domain for nodes in groups.values() for n in nodes))
    # Without inference (it may refuse the model), draft from what the model states.
    with contextlib.suppress(onnx.shape_inference.InferenceError, onnx.checker.ValidationError):
        typed = onnx.shape_inference.infer_shapes(typed, strict_mode=False)
    types = tensors.types_of(typed.graph)
    initializers = {i.name for i in graph.initializer}

    domains = [n.domain for nodes in groups.values() for n in nodes]
    domain = max(dict.fromkeys(domains), key=domains.count)
    name = package if package is not None else _package_name(domain)
    problem = naming.package_name_problem(name)
    if problem is not None:
        raise DraftError(f"package name '{name}' {problem}")

    taken: set[str] = set()
    drafts: list[OpDraft] = []
    renamed: list[str] = []
    for nodes in groups.values():
        d = _op(nodes, types, initializers, taken)
        renamed += d.renamed
        drafts.append(d)
    other = sorted(set(domains) - {domain})
    xml, decisions = config_xml(name, domain, other, drafts, source)
    return Draft(
        xml,
        tuple(d.name for d in drafts),
        sum(len(n) for n in groups.values()),
        decisions,
        tuple(renamed),
        tuple(f"{k} ({v} node(s))" for k, v in skipped.items()),
    )


def _package_name(domain: str) -> str:
    words = [w for w in re.split(r"[^A-Za-z0-9]+", domain) if w]
    stem = "".join(w[:1].upper() + w[1:] for w in words)
    candidate = identifier(f"{stem}OpPackage" if stem else "CustomOpPackage", set(), "Pkg")
    return candidate if naming.package_name_problem(candidate) is None else "CustomOpPackage"


# ---- one op ----------------------------------------------------------------------------------


def _op(
    nodes: list[onnx.NodeProto],
    types: dict[str, onnx.TypeProto],
    initializers: set[str],
    taken: set[str],
) -> OpDraft:
    spellings = [n.op_type for n in nodes]
    op_type = max(dict.fromkeys(spellings), key=spellings.count)
    name = identifier(op_type, {t.lower() for t in taken}, "CustomOp", fold=True)
    taken.add(name)
    notes: list[str] = []
    renamed: list[str] = []
    if name != op_type:
        msg = (
            f"op type {op_type!r} is not a usable op name; drafted as '{name}': rename the "
            "model's nodes to it (the converter matches op types by name)"
        )
        notes.append(msg)
        renamed.append(msg)
    others = sorted(set(spellings) - {op_type})
    if others:
        notes.append(
            f"nodes also spell the type {', '.join(map(repr, others))}: the converter matches "
            "them case-insensitively, but the runtime package only the exact name"
        )
    n_in = max(len(_present(n.input)) for n in nodes)
    n_out = max(len(n.output) for n in nodes)
    inputs = tuple(
        _tensor(f"in[{i}]", [_at(n.input, i) for n in nodes], types, initializers, True)
        for i in range(n_in)
    )
    outputs = []
    for j in range(n_out):
        out = _tensor(f"out[{j}]", [_at(n.output, j) for n in nodes], types, set(), False)
        outputs.append(_rules(out, j, nodes, types, n_in))
    if len({len(n.output) for n in nodes}) > 1:
        notes.append(
            "the nodes have different output counts: the converter pairs outputs by position "
            "and has no optional outputs, so every node must produce all of them"
        )
    params, param_notes = _params(nodes)
    return OpDraft(
        name,
        op_type,
        len(nodes),
        sorted({n.domain for n in nodes}),
        inputs,
        tuple(outputs),
        params,
        tuple(notes + param_notes),
        tuple(renamed),
    )


def _present(names: Sequence[str]) -> list[str]:
    out = list(names)
    while out and not out[-1]:
        out.pop()
    return out


def _at(names: Sequence[str], i: int) -> str:
    return names[i] if i < len(names) else ""


def _tensor(
    label: str,
    names: list[str],
    types: dict[str, onnx.TypeProto],
    initializers: set[str],
    is_input: bool,
) -> TensorDraft:
    present = [n for n in names if n]
    elems: list[int] = []
    ranks: set[int | None] = set()
    for n in present:
        t = types.get(n)
        if t is not None and t.WhichOneof("value") == "tensor_type" and t.tensor_type.elem_type:
            elems.append(t.tensor_type.elem_type)
        dims = tensors.dims_of(t) if t is not None else None
        ranks.add(len(dims) if dims is not None else None)
    notes: list[str] = []
    datatypes: list[str] = []
    for e in dict.fromkeys(elems):
        dt = tensors.datatype_of(e)
        if dt is None:
            notes.append(f"the model has {tensors.elem_type_name(e)}, which QNN has no type for")
            continue
        datatypes.append(dt.value)
        if dt.name == "UINT_8":
            datatypes.append("QNN_DATATYPE_UFIXED_POINT_8")
            notes.append(
                "uint8 in the model: listed as UINT_8 (what the converter reads) and "
                "UFIXED_POINT_8 (a quantized graph); keep both unless you know which"
            )
    if not datatypes:
        datatypes.append("QNN_DATATYPE_FLOAT_32")
        notes.append("the model shows no dtype here: FLOAT_32 is a guess, decide")
    known = {r for r in ranks if r is not None}
    rank = "ND"
    if len(known) == 1 and (r := next(iter(known))) <= 5:
        rank = f"{r}D"
        if None in ranks:
            notes.append(f"rank {r} where the model says; some nodes do not say")
    elif len(known) > 1:
        notes.append(f"the nodes disagree on the rank ({sorted(known)}): ND")
    mandatory = len(present) == len(names)
    if not mandatory:
        notes.append(f"{len(names) - len(present)} of {len(names)} node(s) leave it out")
    if is_input and present and all(n in initializers for n in present):
        notes.append(
            "an initializer in every node: if it is a constant of the op, make it "
            "<IsStaticTensor>true and name the initializers like this input (§1.5)"
        )
    return TensorDraft(label, mandatory, tuple(datatypes), rank, tuple(notes))


def _rules(
    out: TensorDraft,
    j: int,
    nodes: list[onnx.NodeProto],
    types: dict[str, onnx.TypeProto],
    n_in: int,
) -> TensorDraft:
    def dims(name: str) -> tuple[int | str | None, ...] | None:
        t = types.get(name) if name else None
        return tensors.dims_of(t) if t is not None else None

    def elem(name: str) -> int:
        t = types.get(name) if name else None
        return t.tensor_type.elem_type if t is not None and t.HasField("tensor_type") else 0

    shape_like = dtype_like = None
    for i in range(n_in):
        pairs = [(_at(n.input, i), _at(n.output, j)) for n in nodes]
        if shape_like is None and all(
            (a := dims(i_name)) is not None and None not in a and a == dims(o_name)
            for i_name, o_name in pairs
        ):
            shape_like = i
        if dtype_like is None and all(
            elem(i_name) and elem(i_name) == elem(o_name) for i_name, o_name in pairs
        ):
            dtype_like = i
    notes = list(out.notes)
    examples = []
    for n in nodes[:_MAX_EXAMPLES]:
        ins = ", ".join(tensors.show_dims(dims(i)) for i in _present(n.input))
        examples.append(f"{tensors.show_dims(dims(_at(n.output, j)))} from ({ins})")
    if shape_like is None:
        notes.append(
            "no rule is obvious from the model (seen: " + "; ".join(examples) + "): write one "
            "(docs/SHAPE_RULES.md) or leave '= ?' for user code in the converter op package"
        )
    return TensorDraft(
        out.name,
        out.mandatory,
        out.datatypes,
        out.rank,
        tuple(notes),
        shape_rule=f"= like(in[{shape_like}])" if shape_like is not None else "= ?",
        dtype_like=dtype_like,
    )


# ---- params ----------------------------------------------------------------------------------

_SCALAR = {AttributeProto.INT: "QNN_DATATYPE_INT_32", AttributeProto.FLOAT: "QNN_DATATYPE_FLOAT_32"}
_LIST = {AttributeProto.INTS: "QNN_DATATYPE_INT_32", AttributeProto.FLOATS: "QNN_DATATYPE_FLOAT_32"}


def _params(nodes: list[onnx.NodeProto]) -> tuple[tuple[ParamDraft, ...], list[str]]:
    seen: dict[str, list[onnx.AttributeProto]] = {}
    for n in nodes:
        for a in n.attribute:
            seen.setdefault(a.name, []).append(a)
    taken: set[str] = set()
    out: list[ParamDraft] = []
    op_notes: list[str] = []
    for attr_name, attrs in seen.items():
        enum: tuple[str, ...]
        kinds = {a.type for a in attrs}
        shown = ", ".join(sorted(_type_name(k) for k in kinds))
        if kinds <= set(_SCALAR):
            dt = _SCALAR[
                AttributeProto.FLOAT if AttributeProto.FLOAT in kinds else next(iter(kinds))
            ]
            values: list[object] = [a.f if a.type == AttributeProto.FLOAT else a.i for a in attrs]
            rank, enum = "SCALAR", ()
        elif kinds <= set(_LIST):
            dt = _LIST[
                AttributeProto.FLOATS if AttributeProto.FLOATS in kinds else next(iter(kinds))
            ]
            values = [
                list(a.floats) if a.type == AttributeProto.FLOATS else list(a.ints) for a in attrs
            ]
            rank, enum = "1D", ()
        elif kinds == {AttributeProto.STRING}:
            labels = list(dict.fromkeys(a.s.decode("utf-8", errors="replace") for a in attrs))
            enum = tuple(labels)
            values = [labels.index(a.s.decode("utf-8", errors="replace")) for a in attrs]
            dt, rank = "QNN_DATATYPE_UINT_32", "SCALAR"
        elif kinds == {AttributeProto.TENSOR} and _tensor_attr_ok(attrs):
            from onnx import numpy_helper

            arrays = [numpy_helper.to_array(a.t) for a in attrs]
            dt_ = tensors.datatype_of(attrs[0].t.data_type)
            assert dt_ is not None
            dt = dt_.value
            ndim = arrays[0].ndim
            rank = f"{ndim}D" if 1 <= ndim <= 5 else ("SCALAR" if ndim == 0 else "ND")
            values = [a.tolist() for a in arrays]
            enum = ()
        else:
            op_notes.append(
                f"attribute {attr_name!r} ({shown}) has no parameter form the converter passes "
                "(§1.4): left out"
            )
            continue
        pname = identifier(attr_name, taken, "param")
        taken.add(pname)
        notes: list[str] = []
        if pname != attr_name:
            why = naming.identifier_problem(attr_name) or "is taken"
            notes.append(
                f"the attribute {attr_name!r} {why}: drafted as '{pname}'; rename the attribute "
                "in the model, or the converter will not pass it (it matches names exactly)"
            )
        if enum:
            notes.append(
                "a STRING attribute, drafted as an enumeration of the labels seen; the vendor "
                "converter 2.13 fails on STRING attributes: give the model the INT index"
            )
        if len(kinds) > 1:
            notes.append(f"the nodes disagree on the type ({shown}): drafted as {dt}")
        default = None
        agree = all(v == values[0] for v in values)
        if len(attrs) < len(nodes):
            notes.append(
                f"absent in {len(nodes) - len(attrs)} of {len(nodes)} node(s): give the "
                "<Default> they mean (and Mandatory false), or the converter refuses them"
            )
        elif agree:
            default = _default_text(values[0], dt)
            if default is None:
                notes.append("the value every node has cannot be written as a default")
        else:
            shown_values = [enum[v] if enum and isinstance(v, int) else v for v in values]
            examples = ", ".join(list(dict.fromkeys(map(str, shown_values)))[:_MAX_EXAMPLES])
            notes.append(f"the nodes disagree ({examples}...): no default")
        out.append(
            ParamDraft(
                pname,
                attr_name,
                default is not None,
                dt,
                rank,
                default,
                enum,
                tuple(notes),
            )
        )
    return tuple(out), op_notes


def _type_name(kind: int) -> str:
    return str(AttributeProto.AttributeType.Name(kind))


def _tensor_attr_ok(attrs: list[onnx.AttributeProto]) -> bool:
    first = attrs[0].t
    return tensors.datatype_of(first.data_type) is not None and all(
        a.t.data_type == first.data_type and list(a.t.dims) == list(first.dims) for a in attrs
    )


def _default_text(value: object, datatype: str) -> str | None:
    """The `<Default>` text for a value, None when it cannot be one (too long, not finite)."""
    import math

    import numpy as np

    leaves: list[object] = []

    def walk(v: object) -> None:
        if isinstance(v, list):
            for item in v:
                walk(item)
        else:
            leaves.append(v)

    walk(value)
    if len(leaves) > _MAX_DEFAULT_ELEMENTS or (isinstance(value, list) and not leaves):
        return None
    if any(isinstance(v, float) and not math.isfinite(v) for v in leaves):
        return None
    as_float = "FLOAT" in datatype

    def text(v: object) -> str:
        if isinstance(v, list):
            return "[" + ", ".join(text(i) for i in v) + "]"
        if as_float:
            return str(np.float32(float(v)))  # type: ignore[arg-type]
        if isinstance(v, bool):
            return str(int(v))
        return str(int(v))  # type: ignore[call-overload]

    return text(value)
