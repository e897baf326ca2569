"""`opgen onnx check`: what the vendor converter will trip on in a model's custom nodes.

Per custom node (found as the converter finds them, :mod:`opgen.onnx.match`), in this order:
the op_type/Name case (§1.3), the domain in ``opset_import``, the attributes against the params
(§1.4), then the tensors (:mod:`opgen.onnx.check_tensors`: counts, Repeated and static inputs,
dtypes, output shapes, §1.5/§1.6). OpDefs that match no node get a note at the config.

    findings = check_model(model, packages, Path("model.onnx"))

gives :class:`~opgen.onnx.diagnostics.ModelDiagnostic` values in node order; nothing raises for a
bad model, and nothing prints.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import onnx
from onnx import AttributeProto

from opgen.config import Level
from opgen.config.diagnostics import did_you_mean
from opgen.model import Package, ParamKind, ScalarDefault, TensorSpec
from opgen.onnx.annotate import annotate
from opgen.onnx.check_tensors import Allowed, NodeChecker, allowed_datatypes
from opgen.onnx.diagnostics import ModelDiagnostic, model_diagnostic
from opgen.onnx.facts import model_facts
from opgen.onnx.match import (
    CustomNode,
    NodeMappingError,
    attribute_type_name,
    attribute_value,
    custom_nodes,
)
from opgen.shapes.evaluate import TensorFacts

__all__ = ["check_model"]

#: What the 2.13 converter does with attribute types it cannot map (CONVERTER_FACTS §1.4).
_UNSUPPORTED = {
    AttributeProto.STRING: "the converter fails on STRING attributes (it decodes a str)",
    AttributeProto.STRINGS: "the converter has no datatype for STRINGS and fails",
    AttributeProto.TENSORS: "the converter crashes on TENSORS attributes",
}
_UNHANDLED = "the converter does not handle it and passes the previous attribute's value instead"
INT32_MIN, INT32_MAX = -(1 << 31), (1 << 31) - 1


def check_model(
    model: onnx.ModelProto, packages: Sequence[Package], model_path: Path
) -> list[ModelDiagnostic]:
    """Every finding about ``model``'s custom nodes against ``packages`` (validated)."""
    found = custom_nodes(model, packages)
    # Shapes as annotate would write them (the rules, to a fixed point through native nodes), so
    # a custom node after a native one still sees its input's shape; a contradiction is not
    # written there, so the model's own value still meets the rule below.
    facts = model_facts(annotate(model, packages).model if found else model)
    out: list[ModelDiagnostic] = []
    if facts.inference_error is not None:
        out.append(
            model_diagnostic(
                Level.WARNING,
                model_path,
                "shape-inference-failed",
                f"ONNX shape inference failed: {facts.inference_error}",
                hint="tensor dtypes and shapes below come from the model as written",
            )
        )
    imported = {o.domain for o in model.opset_import}
    allowed: dict[tuple[str, str], Allowed] = {}
    derived: dict[str, TensorFacts] = {}  # shapes the rules gave, by tensor name
    for custom in found:
        key = (custom.package.name, custom.op.name)
        if key not in allowed:
            allowed[key] = allowed_datatypes(custom.package, custom.op)
        checker = NodeChecker(custom, facts, model_path, allowed[key], derived)
        _check_name(custom, checker)
        _check_domain(custom, imported, checker)
        params = _check_attributes(custom, checker)
        checker.check_tensors(params)
        out.extend(checker.findings)
    matched = {c.op.name for c in found}
    for package in packages:
        for op in package.ops:
            if op.name not in matched and not op.use_default_translation:
                out.append(
                    model_diagnostic(
                        Level.NOTE,
                        model_path,
                        "opdef-unused",
                        f"OpDef '{op.name}' of package {package.name} matches no node of "
                        f"{model_path.name} (the converter skips it)",
                        where=op.name_at,
                    )
                )
    return out


def _check_name(custom: CustomNode, checker: NodeChecker) -> None:
    if custom.exact_case:
        return
    op_type, name = custom.node.op_type, custom.op.name
    checker.warning(
        "case-mismatch",
        f"op_type '{op_type}' matches OpDef '{name}' only when case is ignored: the converter "
        f"emits the type '{op_type}' verbatim and the op package, which registers '{name}', "
        "rejects it when the graph is built",
        hint=f"spell the op_type '{name}'",
    )


def _check_domain(custom: CustomNode, imported: set[str], checker: NodeChecker) -> None:
    domain = custom.node.domain
    config_domains = [c.domain for c in custom.package.configs if c.domain]
    suggestion = config_domains[0] if config_domains else None
    if domain in ("", "ai.onnx"):
        hint = f"use the package's Domain '{suggestion}'" if suggestion else None
        checker.warning(
            "default-domain",
            "the node is in the default ONNX domain: onnx.checker rejects a type ONNX does not "
            "define there",
            hint=hint,
        )
        return
    if domain not in imported:
        checker.error(
            "domain-not-imported",
            f"the node's domain '{domain}' is not in the model's opset_import: ONNX shape "
            "inference and onnx.checker reject the model",
            hint=f"add an opset_import entry for '{domain}', version 1",
        )


def _check_attributes(custom: CustomNode, checker: NodeChecker) -> dict[str, object] | None:
    """The params that map (for the shape rules), None when some attribute is an error."""
    node, op = custom.node, custom.op
    attributes = {a.name: a for a in node.attribute}
    params: dict[str, object] = {}
    ok = True
    for spec in op.params:
        attr = attributes.get(spec.name)
        if attr is None:
            ok = _check_absent(spec, list(attributes), checker) and ok
            continue
        type_name = attribute_type_name(attr)
        why = _UNSUPPORTED.get(attr.type)
        if why is None and attr.type not in _MAPPED:
            why = _UNHANDLED
        if why is not None:
            hint = None
            if attr.type == AttributeProto.STRING and spec.kind is ParamKind.ENUM:
                label = attr.s.decode("utf-8", errors="replace")
                if label in spec.enum_values:
                    hint = f"write the index {spec.enum_values.index(label)} as an INT"
            checker.error("attribute-type", f"attribute '{spec.name}' is {type_name}: {why}", hint)
            ok = False
            continue
        try:
            params[spec.name] = attribute_value(attr, spec)
        except NodeMappingError as exc:
            code = "enum-range" if "enumeration" in str(exc) else "attribute-type"
            checker.error(code, str(exc))
            ok = False
            continue
        ok = _check_sent_type(attr, spec, checker) and ok
    declared = [p.name for p in op.params]
    for name in attributes:
        if name not in declared:
            checker.warning(
                "attribute-undeclared",
                f"attribute '{name}' is not a parameter of {op.name}: the converter ignores it",
                hint=did_you_mean(name, declared),
            )
    return params if ok else None


_MAPPED = {
    AttributeProto.INT,
    AttributeProto.FLOAT,
    AttributeProto.INTS,
    AttributeProto.FLOATS,
    AttributeProto.TENSOR,
}


def _check_absent(spec: TensorSpec, present: list[str], checker: NodeChecker) -> bool:
    default = spec.default
    if default is None or default.location is None:
        # (An implicit default, false or the first label, is opgen's: the converter has none.)
        checker.error(
            "attribute-missing",
            f"attribute '{spec.name}' is missing and the config writes no default: the converter "
            "stops ('Required custom op attribute')",
            hint=did_you_mean(spec.name, present)
            or (f"write <Default>{default.text}</Default>" if default else None),
        )
        return False
    value = default.value
    if spec.kind is ParamKind.BOOL and isinstance(value, ScalarDefault) and not value.value:
        checker.warning(
            "bool-default",
            f"attribute '{spec.name}' is absent: the converter reads the default "
            f"'{default.text}' as true (the truth of a non-empty text)",
            hint=f"write the attribute: {spec.name}=0",
        )
    return True


def _check_sent_type(attr: onnx.AttributeProto, spec: TensorSpec, checker: NodeChecker) -> bool:
    """What the converter sends (INT as INT_32, INTS as INT_32 elements) against the param."""
    ints = [attr.i] if attr.type == AttributeProto.INT else list(attr.ints)
    if attr.type in (AttributeProto.INT, AttributeProto.INTS):
        beyond = [v for v in ints if not INT32_MIN <= v <= INT32_MAX]
        if beyond:
            checker.error(
                "attribute-type",
                f"attribute '{spec.name}' holds {beyond[0]}, beyond INT_32: the converter sends "
                "INT attributes as INT_32",
            )
            return False
        if spec.kind in (ParamKind.SCALAR, ParamKind.TENSOR) and not any(
            d.integer_range or d.is_bool for d in spec.datatypes
        ):
            checker.warning(
                "attribute-type",
                f"attribute '{spec.name}' is {attribute_type_name(attr)}: the converter sends it "
                f"as INT_32, the parameter takes {' or '.join(d.name for d in spec.datatypes)}",
                hint="write it as a float attribute",
            )
    return True
