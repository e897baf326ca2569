"""Declarative shape and dtype rules: the grammar (docs/SHAPE_RULES.md), its parser and checker.

`parse_*` turn one rule text into a syntax tree (`opgen.shapes.ast`); `check_op_rules` checks an
op's rules against its declaration with diagnostics; `rules_of` gives an op's resolved rules.

The names below load on first use (PEP 562): most configs have no rules, and the grammar costs
start-up time; `opgen.shapes.detect.declares_rules` says whether an op needs any of it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from opgen.shapes.check import check_op_rules, default_dtype, rules_of
    from opgen.shapes.detect import declares_rules, is_code_rule, is_shape_rule
    from opgen.shapes.parse import (
        RuleSyntaxError,
        parse_dtype,
        parse_pattern,
        parse_require,
        parse_shape,
    )

_HOMES = {
    "RuleSyntaxError": "parse",
    "check_op_rules": "check",
    "declares_rules": "detect",
    "default_dtype": "check",
    "is_code_rule": "detect",
    "is_shape_rule": "detect",
    "parse_dtype": "parse",
    "parse_pattern": "parse",
    "parse_require": "parse",
    "parse_shape": "parse",
    "rules_of": "check",
}

__all__ = [
    "RuleSyntaxError",
    "check_op_rules",
    "declares_rules",
    "default_dtype",
    "is_code_rule",
    "is_shape_rule",
    "parse_dtype",
    "parse_pattern",
    "parse_require",
    "parse_shape",
    "rules_of",
]


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:  # a submodule (`from opgen.shapes import ast`) is found by the importer
        raise AttributeError(f"module 'opgen.shapes' has no attribute '{name}'")
    value = getattr(importlib.import_module(f"opgen.shapes.{home}"), name)
    globals()[name] = value
    return value
