"""Rules back to text and to JSON: for `opgen validate --json`, `opgen info` and messages.

`to_text(node)` writes a node in the grammar (without the leading `=` or `require`); parsing
`"= " + to_text(tree)` gives the tree back. A resolved tensor is written by position (`in[0]`,
`in[-1]`), an unresolved one by its XML name. `to_json(node)` is the tree as plain data:
`{"node": "Like", "tensor": {...}}`, columns left out.
"""

from __future__ import annotations

import dataclasses
import enum

from opgen.shapes import ast as A
from opgen.shapes.oprules import OpRules
from opgen.shapes.parse import UNRESOLVED

__all__ = ["op_rules_json", "op_rules_lines", "to_json", "to_text"]

_PREC = {"+": 1, "-": 1, "*": 2, "//": 2, "%": 2}


def _tensor(t: A.TensorRef | A.AllInputs) -> str:
    if isinstance(t, A.AllInputs):
        return "in[*]"
    if t.role == UNRESOLVED:
        return t.name or "?"
    return f"{t.role}[-{t.index}]" if t.from_end else f"{t.role}[{t.index}]"


def _tensors(ts: tuple[A.TensorRef, ...] | A.AllInputs) -> str:
    return _tensor(ts) if isinstance(ts, A.AllInputs) else ", ".join(map(_tensor, ts))


def _prec(e: object) -> int:
    if isinstance(e, A.BinOp):
        return _PREC[e.op]
    if isinstance(e, A.Num) and e.value < 0:
        return 3
    return 4


def _operand(e: object, parent: int, right: bool) -> str:
    text = to_text(e)
    p = _prec(e)
    return f"({text})" if p < parent or (right and p == parent) else text


def _bool_operand(e: object, parent: str) -> str:
    text = to_text(e)
    if isinstance(e, A.Logic) and (parent == "not" or (parent == "and" and e.op == "or")):
        return f"({text})"
    return text


def _axes(axes: A.Axes) -> str:
    if isinstance(axes, A.AxesParam):
        return axes.param
    return "[" + ", ".join(map(to_text, axes.axes)) + "]"


def _slice(e: A.IExpr | None) -> str:
    return "" if e is None else to_text(e)


def to_text(node: object) -> str:
    match node:
        case A.TensorRef() | A.AllInputs():
            return _tensor(node)
        case A.Num():
            return str(node.value)
        case A.Name() | A.Bound() | A.ScalarParam() | A.BoolParam():
            return node.name
        case A.Dim():
            return f"{_tensor(node.tensor)}.shape[{to_text(node.index)}]"
        case A.RankOf():
            return f"rank({_tensor(node.tensor)})"
        case A.Numel():
            return f"numel({_tensor(node.tensor)})"
        case A.Len():
            return f"len({node.param})"
        case A.ParamElem():
            return f"{node.param}[{', '.join(map(to_text, node.indices))}]"
        case A.BinOp():
            p = _PREC[node.op]
            left, right = _operand(node.left, p, False), _operand(node.right, p, True)
            return f"{left} {node.op} {right}"
        case A.Neg():
            return f"-{_operand(node.operand, 4, False)}"
        case A.Func():
            return f"{node.fn}({', '.join(map(to_text, node.args))})"
        case A.Select():
            args = (node.cond, node.then, node.otherwise)
            return f"select({', '.join(map(to_text, args))})"
        case A.Compare():
            return f"{to_text(node.left)} {node.op} {to_text(node.right)}"
        case A.Divisible():
            return f"divisible({to_text(node.value)}, {to_text(node.divisor)})"
        case A.BoolLit():
            return "true" if node.value else "false"
        case A.Logic():
            left = _bool_operand(node.left, node.op)
            right = _bool_operand(node.right, node.op)
            if isinstance(node.right, A.Logic) and node.right.op == node.op:
                right = f"({right})"
            return f"{left} {node.op} {right}"
        case A.Not():
            return f"not {_bool_operand(node.operand, 'not')}"
        case A.Unknown() | A.Hook():
            return "?" if isinstance(node, A.Unknown) else "hook"
        case A.SliceSpread():
            t = _tensor(node.tensor)
            return f"{t}.shape[{_slice(node.start)}:{_slice(node.stop)}]..."
        case A.BoundSpread():
            return f"{node.name}..."
        case A.ShapeList():
            return "[" + ", ".join(map(to_text, node.items)) + "]"
        case A.AxesList() | A.AxesParam():
            return _axes(node)
        case A.Like():
            return f"like({_tensor(node.tensor)})"
        case A.Broadcast():
            return f"broadcast({_tensors(node.tensors)})"
        case A.Reduce():
            t = _tensor(node.tensor)
            return f"reduce({t}, {_axes(node.axes)}, {to_text(node.keep_dims)})"
        case A.Concat():
            return f"concat({to_text(node.axis)}, {_tensors(node.tensors)})"
        case A.Permute():
            return f"permute({_tensor(node.tensor)}, {_axes(node.perm)})"
        case A.With() | A.Insert():
            fn = "with" if isinstance(node, A.With) else "insert"
            t = _tensor(node.tensor)
            return f"{fn}({t}, {to_text(node.axis)}, {to_text(node.dim)})"
        case A.Remove():
            return f"remove({_tensor(node.tensor)}, {_axes(node.axes)})"
        case A.Matmul():
            return f"matmul({_tensor(node.left)}, {_tensor(node.right)})"
        case A.PInt():
            return str(node.value)
        case A.PBind():
            return node.name
        case A.PSpread():
            return f"{node.name}..." if node.name else "..."
        case A.PAny():
            return "_"
        case A.Pattern():
            return "[" + ", ".join(map(to_text, node.elems)) + "]"
        case A.DtypeLike():
            return f"like({_tensor(node.tensor)})"
        case A.DtypeFixed():
            return node.datatype.value
    raise TypeError(f"not a rule node: {node!r}")


def to_json(node: object) -> object:
    """The tree as JSON-ready data (columns and source locations left out)."""
    if isinstance(node, tuple):
        return [to_json(n) for n in node]
    if isinstance(node, enum.Enum):
        return node.value
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        out: dict[str, object] = {"node": type(node).__name__}
        for f in dataclasses.fields(node):
            if f.name != "col":
                out[f.name] = to_json(getattr(node, f.name))
        return out
    return node


def _rule(text: str | None, tree: object) -> dict[str, object]:
    return {"text": text, "resolved": to_text(tree), "tree": to_json(tree)}


def op_rules_json(rules: OpRules, input_names: tuple[str, ...]) -> dict[str, object]:
    """One op's rules, as `opgen validate --json` shows them: source text and resolved form."""
    patterns = [
        {"name": name, **_rule(p.source.text, p.pattern)}
        for name, p in zip(input_names, rules.patterns, strict=True)
        if p is not None
    ]
    outputs = []
    for o in rules.outputs:
        dtype = _rule(o.dtype.source.text if o.dtype.source else None, o.dtype.expr)
        dtype["default"] = o.dtype.source is None
        shape = _rule(o.shape.source.text, o.shape.expr) if o.shape is not None else None
        outputs.append({"name": o.name, "shape": shape, "dtype": dtype})
    requires = [
        {
            "constraint_id": r.constraint_id,
            "text": r.source.text,
            "resolved": [to_text(c) for c in r.conds],
            "tree": [to_json(c) for c in r.conds],
        }
        for r in rules.requires
    ]
    return {"inputs": patterns, "outputs": outputs, "requires": requires}


def op_rules_lines(rules: OpRules, input_names: tuple[str, ...]) -> list[str]:
    """One op's rules for a terminal (`opgen info`): patterns, outputs, checks; [] if none."""
    if not rules.has_rules:
        return []
    lines = [
        f"{name} = {to_text(p.pattern)}"
        for name, p in zip(input_names, rules.patterns, strict=True)
        if p is not None
    ]
    for o in rules.outputs:
        shape = to_text(o.shape.expr) if o.shape is not None else "unknown (no rule)"
        dtype = to_text(o.dtype.expr) + (" (default)" if o.dtype.source is None else "")
        lines.append(f"{o.name} = {shape}; dtype {dtype}")
    lines += ["require " + "; ".join(to_text(c) for c in r.conds) for r in rules.requires]
    return lines
