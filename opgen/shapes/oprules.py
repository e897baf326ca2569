"""Rules as they stand in a config: each parsed rule with its source text, gathered per op.

`opgen.shapes.check` builds one `OpRules` per op config from the syntax trees of
`opgen.shapes.ast`: a `PatternRule` per input, an `OutputRules` (a `ShapeRule` and a `DtypeRule`)
per output and a `Require` per `require` constraint, each keeping the `RuleSource` it was parsed
from so messages and diagnostics can quote and locate it. The evaluator, the C++ emitter, the
converter and the formatters read these.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from opgen.model import SourceLocation
from opgen.shapes.ast import BExpr, DtypeExpr, Pattern, ShapeExpr

# ---- rules as they stand in a config ---------------------------------------------------------


@dataclass(frozen=True)
class RuleSource:
    """The text a rule was parsed from and where it is written (for messages and diagnostics)."""

    text: str
    location: SourceLocation | None = field(default=None, compare=False)


@dataclass(frozen=True)
class ShapeRule:
    expr: ShapeExpr
    source: RuleSource


@dataclass(frozen=True)
class DtypeRule:
    expr: DtypeExpr
    source: RuleSource | None
    """None when the rule is a default (the only declared datatype, or like(in[0]))."""


@dataclass(frozen=True)
class PatternRule:
    pattern: Pattern
    source: RuleSource


@dataclass(frozen=True)
class Require:
    """One `require` constraint: every condition must hold."""

    conds: tuple[BExpr, ...]
    source: RuleSource
    constraint_id: int


@dataclass(frozen=True)
class OutputRules:
    name: str
    shape: ShapeRule | None
    """None when the output's Shape/Text is prose or absent: no rule, the shape is unknown."""
    dtype: DtypeRule


@dataclass(frozen=True)
class OpRules:
    """Everything the rules of one op say, checked against its declaration, for one backend view."""

    op: str
    patterns: tuple[PatternRule | None, ...]
    """One per XML input, in XML order (None: no pattern)."""
    outputs: tuple[OutputRules, ...]
    """One per XML output, in XML order."""
    requires: tuple[Require, ...]

    @property
    def has_rules(self) -> bool:
        return bool(
            self.requires
            or any(p is not None for p in self.patterns)
            or any(o.shape is not None or o.dtype.source is not None for o in self.outputs)
        )
