"""Whether a text, or an op, holds rules at all: cheap tests that import no grammar.

Most ops declare no rules; validation and generation ask this first and load the parser, the
checker and the C++ emitter (`opgen.shapes.ast` alone is some fifty dataclasses) only for ops
that have some. An op for which `declares_rules` is False gets no rule diagnostics and an
`OpRules` without rules (`has_rules` False), so skipping it changes nothing.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from opgen.model import OpDef

_REQUIRE = re.compile(r"\s*require\b")


def is_shape_rule(text: str | None) -> bool:
    """A `<Shape><Text>` is a rule when it starts with `=`; anything else is prose."""
    return text is not None and text.lstrip().startswith("=")


def is_code_rule(code: str | None) -> bool:
    """A Constraint's `<Code>` is a rule when it starts with `=` or the word `require`."""
    return code is not None and (code.lstrip().startswith("=") or bool(_REQUIRE.match(code)))


def declares_rules(op: OpDef) -> bool:
    """Whether any rule text (a shape rule, a dtype rule, a `require`) appears in the op: the
    only places the rule checker reads rules from."""
    for spec in op.inputs + op.outputs + op.params:
        if is_shape_rule(spec.shape_text):
            return True
        for c in spec.constraints:
            if is_code_rule(c.code):
                return True
    return False
