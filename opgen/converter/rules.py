"""The converter's use of the rule emitter: an op's rules as Infer-mode C++ (the rules
themselves come from `opgen.shapes.rules_of`, as for every backend)."""

from __future__ import annotations

from opgen.model import OpDef
from opgen.shapes.emit_cpp import Mode, RuleFunction, rule_function
from opgen.shapes.oprules import OpRules


def infer_function(op: OpDef, rules: OpRules) -> RuleFunction:
    """`opgenInfer<Op>(const Qnn_OpConfig_t&, unsigned parts)` and the user hooks it calls: a
    `?` dim, `= hook`, a `hook` dtype, or an output whose shape has no rule."""
    function = rule_function(op, rules, Mode.INFER)
    assert function is not None, op.name  # Infer mode always gives a function
    return function
