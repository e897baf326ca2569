"""The converter's view of an op's rules: the checked rules and their Infer-mode C++.

The one place the converter package reads `opgen.shapes` (checked rules) and the rule emitter
(`opgen.shapes.emit_cpp`, Infer mode), so a change of either touches only this module.
"""

from __future__ import annotations

from opgen import naming
from opgen.model import OpDef
from opgen.shapes import emit_cpp, rules_of
from opgen.shapes.ast import OpRules
from opgen.shapes.emit_cpp import HookSpec, Mode, RuleFunction


def op_rules(op: OpDef) -> OpRules:
    """The checked rules of `op` (a validated op of one backend view)."""
    return rules_of(op)


def infer_function(op: OpDef, rules: OpRules) -> RuleFunction:
    """`opgenInfer<Op>(const Qnn_OpConfig_t&, unsigned parts)` and the hooks it calls."""
    emit = getattr(emit_cpp, "rule_function", None)
    if emit is not None:
        function: RuleFunction = emit(op, rules, Mode.INFER)
        return function
    return _hooks_only(op, rules)


def _hooks_only(op: OpDef, rules: OpRules) -> RuleFunction:
    """Stand-in for the emitter until it lands: every output's shape and dtype from its hook."""
    name = emit_cpp.function_name(op.name, Mode.INFER)
    namespace = emit_cpp.hook_namespace(op.name)
    hooks: list[HookSpec] = []
    body = [
        f"Qnn_ErrorHandle_t {name}(const Qnn_OpConfig_t& config, unsigned parts) {{",
        "  Qnn_ErrorHandle_t status = QNN_SUCCESS;",
    ]
    for index, out in enumerate(rules.outputs):
        field = naming.tensor_identifier(out.name)
        shape = emit_cpp.shape_hook_name(field)
        dtype = emit_cpp.dtype_hook_name(field)
        for kind, function, signature in (
            ("shape", shape, emit_cpp.SHAPE_HOOK_SIGNATURE),
            ("dtype", dtype, emit_cpp.DTYPE_HOOK_SIGNATURE),
        ):
            hooks.append(
                HookSpec(
                    output=out.name,
                    output_index=index,
                    kind=kind,
                    namespace=namespace,
                    function=function,
                    declaration=signature.format(name=function) + ";",
                    reason="the config gives no rule for it",
                )
            )
        body += [
            f"  if (config.v1.numOfOutputs > {index}u) {{",
            "    ::opgen::TensorFields t = "
            f"::opgen::tensorFields(config.v1.outputTensors[{index}]);",
            "    if (parts & 1u) {",
            "      bool known[16] = {false};",
            f"      status = ::{namespace}::{shape}(config, {index}u, "
            "t.rank, t.dimensions, known);",
            "      if (status != QNN_SUCCESS) return status;",
            "    }",
            "    if (parts & 2u) {",
            "      Qnn_DataType_t dt = *t.dataType;",
            f"      status = ::{namespace}::{dtype}(config, {index}u, &dt);",
            "      if (status != QNN_SUCCESS) return status;",
            "      *t.dataType = dt;",
            "    }",
            "  }",
        ]
    body += ["  return status;", "}", ""]
    declarations = "".join(
        f"namespace opgen {{ namespace hooks {{ namespace {op.name} {{\n{h.declaration}\n}}}}}}\n"
        for h in hooks
    )
    return RuleFunction(name, Mode.INFER, "\n".join(body), declarations, tuple(hooks))
