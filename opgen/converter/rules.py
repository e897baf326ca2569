"""The converter's view of an op's rules: the checked rules and their Infer-mode C++.

The one place the converter package reads `opgen.shapes` (the checked rules) and the rule
emitter (`opgen.shapes.emit_cpp`, Infer mode), so a change of either touches only this module.
"""

from __future__ import annotations

from opgen.model import OpDef
from opgen.shapes import rules_of
from opgen.shapes.emit_cpp import Mode, RuleFunction, rule_function
from opgen.shapes.oprules import OpRules


def op_rules(op: OpDef) -> OpRules:
    """The checked rules of `op` (a validated op of one backend view)."""
    return rules_of(op)


def infer_function(op: OpDef, rules: OpRules) -> RuleFunction:
    """`opgenInfer<Op>(const Qnn_OpConfig_t&, unsigned parts)` and the user hooks it calls: a
    `?` dim, `= hook`, a `hook` dtype, or an output whose shape has no rule."""
    function = rule_function(op, rules, Mode.INFER)
    assert function is not None, op.name  # Infer mode always gives a function
    return function
