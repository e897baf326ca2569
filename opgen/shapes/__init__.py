"""Declarative shape and dtype rules: the grammar (docs/SHAPE_RULES.md), its parser and checker.

`parse_*` turn one rule text into a syntax tree (`opgen.shapes.ast`); `check_op_rules` checks an
op's rules against its declaration with diagnostics; `rules_of` gives an op's resolved rules.
"""

from opgen.shapes.check import check_op_rules, default_dtype, rules_of
from opgen.shapes.parse import (
    RuleSyntaxError,
    is_code_rule,
    is_shape_rule,
    parse_dtype,
    parse_pattern,
    parse_require,
    parse_shape,
)

__all__ = [
    "RuleSyntaxError",
    "check_op_rules",
    "default_dtype",
    "is_code_rule",
    "is_shape_rule",
    "parse_dtype",
    "parse_pattern",
    "parse_require",
    "parse_shape",
    "rules_of",
]
