"""The tensor half of `opgen onnx check`: one custom node's inputs and outputs.

Counts (§1.5): node tensors pair with XML tensors by position; only a Repeated tensor in first
position is expanded (to the node's count minus the static XML inputs), and only static inputs may
follow it; more tensors than declared fail the converter; a missing trailing input is fine when
static or defaulted, fatal otherwise; outputs must match exactly. Static inputs (IsStaticTensor)
must be initializers named exactly like the XML input, since the converter passes them as tensor
params named after the ONNX tensor and the op package looks its params up by XML name. Dtypes
come from the model after shape inference and must be listed by the config (for the op's every
backend). Output shapes come from the op's rules or from the model's value_info; with neither the
converter needs the converter op package library.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from opgen.config import Level
from opgen.model import Backend, Datatype, OpDef, Package, TensorRole, TensorSpec
from opgen.onnx.diagnostics import ModelDiagnostic, model_diagnostic
from opgen.onnx.facts import ModelFacts, elem_type_name
from opgen.onnx.match import CustomNode
from opgen.shapes import rules_of
from opgen.shapes.evaluate import RuleError, TensorFacts, infer

__all__ = ["Allowed", "NodeChecker", "allowed_datatypes"]

Allowed = Mapping[tuple[TensorRole, str], Mapping[Backend, tuple[Datatype, ...]]]
"""Per tensor (role, XML name): the datatypes each backend's view of the op lists."""

#: The plain type ONNX gives a quantized tensor, and the fixed-point type configs often list.
_FIXED_POINT = {
    Datatype.UINT_8: Datatype.UFIXED_POINT_8,
    Datatype.INT_8: Datatype.SFIXED_POINT_8,
    Datatype.UINT_16: Datatype.UFIXED_POINT_16,
    Datatype.INT_16: Datatype.SFIXED_POINT_16,
    Datatype.UINT_32: Datatype.UFIXED_POINT_32,
    Datatype.INT_32: Datatype.SFIXED_POINT_32,
}

Pair = tuple[int, TensorSpec, str]
"""(position in the node, the XML tensor it pairs with, the ONNX tensor name)."""


def allowed_datatypes(package: Package, op: OpDef) -> Allowed:
    """Per tensor, the datatypes of each backend view (supplementals applied), BACKEND_SPECIFIC
    left out (the converter refuses it, §1.2)."""
    out: dict[tuple[TensorRole, str], dict[Backend, tuple[Datatype, ...]]] = {}
    for backend in op.backends:
        view = next((o for o in package.resolve(backend).ops if o.name == op.name), None)
        if view is None:
            continue
        for spec in view.tensors():
            kept = tuple(d for d in spec.datatypes if d is not Datatype.BACKEND_SPECIFIC)
            out.setdefault((spec.role, spec.name), {})[backend] = kept
    return out


class NodeChecker:
    """Collects the findings about one custom node."""

    def __init__(
        self,
        custom: CustomNode,
        facts: ModelFacts,
        model_path: Path,
        allowed: Allowed,
        derived: dict[str, TensorFacts],
    ) -> None:
        self.custom = custom
        self.derived = derived
        self.facts = facts
        self.model_path = model_path
        self.allowed = allowed
        self.findings: list[ModelDiagnostic] = []
        self._node = (custom.label, custom.node.op_type, custom.index)

    def add(self, level: Level, code: str, message: str, hint: str | None = None) -> None:
        self.findings.append(
            model_diagnostic(level, self.model_path, code, message, hint=hint, node=self._node)
        )

    def error(self, code: str, message: str, hint: str | None = None) -> None:
        self.add(Level.ERROR, code, message, hint)

    def warning(self, code: str, message: str, hint: str | None = None) -> None:
        self.add(Level.WARNING, code, message, hint)

    # ---- the tensors ---------------------------------------------------------------------------

    def check_tensors(self, params: dict[str, object] | None) -> None:
        """``params``: the attributes as param values, None when some could not be mapped."""
        node, op = self.custom.node, self.custom.op
        inputs = self._pair(op.inputs, list(node.input), TensorRole.INPUT)
        outputs = self._pair(op.outputs, list(node.output), TensorRole.OUTPUT)
        if inputs is not None:
            self._check_static(inputs)
            self._check_dtypes(inputs, TensorRole.INPUT)
        if outputs is not None:
            self._check_dtypes(outputs, TensorRole.OUTPUT)
        if inputs is not None and outputs is not None and params is not None:
            self._check_shapes(outputs, params)

    def _pair(
        self, specs: Sequence[TensorSpec], names: list[str], role: TensorRole
    ) -> list[Pair] | None:
        word = role.value
        expanded = self._expand(specs, len(names), word)
        if expanded is None:
            return None
        if len(names) > len(expanded) or (role is TensorRole.OUTPUT and len(names) < len(expanded)):
            consequence = (
                "the converter fails (IndexError) on the extra ones"
                if len(names) > len(expanded)
                else "the converter pairs outputs by position and knows no optional outputs"
            )
            self.error(
                f"{word}-count",
                f"the node has {len(names)} {word}(s), the config declares {_declared(specs)}: "
                + consequence,
            )
            return None
        pairs: list[Pair] = []
        ok = True
        for i, spec in enumerate(expanded):
            if i < len(names):
                if names[i]:
                    pairs.append((i, spec, names[i]))
                else:
                    self.warning(
                        f"empty-{word}",
                        f"{word} {i} ('{spec.name}') is empty: the converter does not skip empty "
                        f"{word}s (pass fewer instead)",
                    )
            elif spec.is_static and spec.default is None:
                ok = False
                self.error(
                    "static-input",
                    f"the node has no input for the static input '{spec.name}' ({word} {i}), "
                    "which has no default: the converter stops (no associated data)",
                    hint=f"add an initializer named '{spec.name}' as input {i}",
                )
            elif not spec.is_static and spec.default is None:
                ok = False
                needed = "mandatory" if spec.mandatory else "optional"
                self.error(
                    f"{word}-count",
                    f"the node has no input for '{spec.name}' ({word} {i}), {needed} without a "
                    "default: the converter stops ('Required input tensor')",
                )
        return pairs if ok else None

    def _expand(
        self, specs: Sequence[TensorSpec], count: int, word: str
    ) -> list[TensorSpec] | None:
        repeated = [i for i, s in enumerate(specs) if s.repeated]
        if not repeated:
            return list(specs)
        first = repeated[0]
        if first > 0:
            if count > len(specs):
                self.error(
                    "repeated-position",
                    f"the node has {count} {word}(s), the config declares {_declared(specs)}: "
                    f"'{specs[first].name}' is Repeated but not first, and the converter expands "
                    f"only a leading Repeated {word}",
                    hint=f"make '{specs[first].name}' the first {word}",
                )
                return None
            return list(specs)
        dynamic = [s for s in specs[1:] if not s.is_static]
        if dynamic:
            self.error(
                "repeated-position",
                f"the Repeated {word} '{specs[0].name}' is followed by '{dynamic[0].name}', not "
                "static: the converter cannot resolve the variadic op (only static inputs may "
                "follow a Repeated one)",
            )
            return None
        copies = max(count - (len(specs) - 1), 1)
        return [specs[0]] * copies + list(specs[1:])

    def _check_static(self, pairs: list[Pair]) -> None:
        for i, spec, name in pairs:
            if not spec.is_static:
                continue
            if name not in self.facts.initializers:
                self.error(
                    "static-input",
                    f"input {i} '{name}' feeds the static input '{spec.name}' (IsStaticTensor) "
                    "but is not an initializer: the converter stops (no associated data)",
                    hint=f"make it an initializer named '{spec.name}'",
                )
            elif name != spec.name:
                self.error(
                    "static-input",
                    f"initializer '{name}' feeds the static input '{spec.name}': the converter "
                    f"passes it as a tensor parameter named '{name}' and the op package looks "
                    f"for '{spec.name}'",
                    hint=f"name the initializer '{spec.name}'",
                )

    def _check_dtypes(self, pairs: list[Pair], role: TensorRole) -> None:
        for _, spec, name in pairs:
            known = self.facts.type_of(name)
            if known is None or not known.elem_type:
                continue
            what = f"{role.value} '{spec.name}' (tensor '{name}')"
            datatype = known.datatype
            if datatype is None:
                self.error(
                    "dtype",
                    f"{what} is {elem_type_name(known.elem_type)} in the model, which has no "
                    "QNN datatype",
                )
                continue
            views = self.allowed.get((role, spec.name), {})
            lacking = [b.value for b, listed in views.items() if datatype not in listed]
            if len(lacking) < len(views):
                if lacking:
                    self.warning(
                        "dtype",
                        f"{what} is {datatype.name} in the model, which the {', '.join(lacking)} "
                        "package(s) do not list",
                    )
                continue
            listed = tuple(dict.fromkeys(d for ds in views.values() for d in ds))
            hint = None
            fixed = _FIXED_POINT.get(datatype)
            if fixed in listed:
                hint = (
                    f"ONNX has no fixed-point types: a quantized tensor reaches the converter as "
                    f"{datatype.name}; list {datatype.value} next to {fixed.value}"
                )
            self.error(
                "dtype",
                f"{what} is {datatype.name} in the model, the config lists "
                f"{', '.join(d.name for d in listed) or 'nothing'}: the converter stops (data_type "
                "does not match op package config)",
                hint=hint,
            )

    def _check_shapes(self, outputs: list[Pair], params: dict[str, object]) -> None:
        node, op = self.custom.node, self.custom.op
        if any(not name for name in node.input):
            return
        inputs = []
        for name in node.input:
            known = self.facts.type_of(name)
            if known is not None and known.shape is not None:
                inputs.append(known.facts())
            else:
                inputs.append(self.derived.get(name, TensorFacts(None, None)))
        try:
            inferred = infer(rules_of(op), op, inputs, params)
        except RuleError as exc:
            self.error("rule", f"the op's rules reject the node: {exc.detail}")
            return
        for _, spec, name in outputs:
            facts = inferred[op.outputs.index(spec)]
            model = self.facts.type_of(name)
            rule_shape = facts.shape
            by_rule = rule_shape is not None and all(d is not None for d in rule_shape)
            if by_rule:  # for custom nodes downstream (ONNX inference cannot see these shapes)
                self.derived[name] = TensorFacts(rule_shape, facts.dtype)
            if model is not None and model.shape is not None and by_rule:
                assert rule_shape is not None
                if _contradict(model.shape, rule_shape):
                    self.error(
                        "shape-mismatch",
                        f"output '{spec.name}' (tensor '{name}') is {_shape(model.shape)} in the "
                        f"model, the rule '{facts.rule}' gives {_shape(rule_shape)}",
                    )
            if by_rule or (model is not None and model.full_shape):
                continue
            reason = f" ({facts.shape_reason})" if facts.shape_reason else ""
            self.warning(
                "shape-unknown",
                f"output '{spec.name}' (tensor '{name}'): neither a rule nor the model gives its "
                f"shape{reason}: the converter then needs --converter_op_package_lib",
                hint="write a shape rule (<Text>= ...</Text>) or value_info for it",
            )


def _declared(specs: Sequence[TensorSpec]) -> str:
    mandatory = sum(s.mandatory for s in specs)
    parts = [f"{len(specs)}"]
    if mandatory != len(specs):
        parts.append(f"{mandatory} mandatory")
    if any(s.repeated for s in specs):
        parts.append("one Repeated")
    return parts[0] + (f" ({', '.join(parts[1:])})" if parts[1:] else "")


def _contradict(model: Sequence[object], rule: Sequence[object]) -> bool:
    if len(model) != len(rule):
        return True
    return any(
        isinstance(a, int) and isinstance(b, int) and a != b
        for a, b in zip(model, rule, strict=True)
    )


def _shape(dims: Sequence[object]) -> str:
    return "[" + ", ".join("?" if d is None else str(d) for d in dims) + "]"
