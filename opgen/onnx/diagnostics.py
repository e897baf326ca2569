"""Diagnostics about a model's nodes, printed like config diagnostics (gcc-style).

    model.onnx: node 'scale1' (MyOp): error: attribute 'alpha' is missing ...
    model.onnx: warning: ONNX shape inference failed: ...
    ops.xml:12:5: note: OpDef 'Unused' matches no node of model.onnx ...

A :class:`ModelDiagnostic` is a config :class:`~opgen.config.Diagnostic` (same levels, same
printing and counting at the CLI edge) with line 0 meaning "the model file, no line", the node
it is about, and a stable ``code`` naming the kind of problem for tools (``--json``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from opgen.config import Diagnostic, Level
from opgen.escaping import terminal_text
from opgen.model import SourceLocation


@dataclass(frozen=True)
class ModelDiagnostic(Diagnostic):
    node: str | None = None
    """The node's label: its name, or ``<op_type>#<index>`` when unnamed."""
    op_type: str | None = None
    index: int | None = None
    """The node's position in the graph."""
    code: str = ""

    def format(self) -> str:
        text = terminal_text(str(self.file))
        if self.line > 0:
            text += f":{self.line}:{self.column}"
        if self.node is not None:
            text += f": node '{terminal_text(self.node)}' ({terminal_text(self.op_type or '')})"
        text += f": {self.level.value}: {terminal_text(self.message)}"
        if self.hint:
            text += f" ({terminal_text(self.hint)})"
        return text

    def to_json(self) -> dict[str, object]:
        return {
            "level": self.level.value,
            "code": self.code,
            "file": str(self.file),
            "line": self.line or None,
            "column": self.column if self.line else None,
            "node": self.node,
            "op_type": self.op_type,
            "index": self.index,
            "message": self.message,
            "hint": self.hint,
        }


def model_diagnostic(
    level: Level,
    model: Path,
    code: str,
    message: str,
    *,
    hint: str | None = None,
    node: tuple[str, str, int] | None = None,
    where: SourceLocation | None = None,
) -> ModelDiagnostic:
    """A diagnostic at the model file (or at ``where`` in a config), about ``node`` =
    (label, op_type, index) when given."""
    file, line, column = (where.file, where.line, where.column) if where else (model, 0, 0)
    label, op_type, index = node if node else (None, None, None)
    return ModelDiagnostic(
        level,
        file,
        line,
        column,
        message,
        hint,
        node=label,
        op_type=op_type,
        index=index,
        code=code,
    )
