"""Config-time checking of one op's rules: parse, resolve names, compare with the declaration.

`check_op_rules(op, diagnostics)` reports every problem at the line (and column, when the text
is written on one line as is) of the rule text and returns the op's `OpRules` with the rules
that passed; `rules_of(op)` is the cached form for generators and the runtime (the op is
already validated, so nothing is reported).

Dtype defaults (an output with no `= ...` Datatype Constraint):
- the output declares exactly one datatype (BACKEND_SPECIFIC aside): that datatype;
- else `like(in[0])` when it is *allowed*: the op has an input and every datatype `in[0]`
  declares is also declared by the output (so copying `in[0]`'s dtype can never produce a
  dtype the output rejects);
- else `hook` (user code decides).
"""

from __future__ import annotations

from functools import lru_cache

from opgen.config.diagnostics import Diagnostics
from opgen.model import ConstraintType, Datatype, OpDef, TensorRole, TensorSpec, TextLocation
from opgen.shapes import ast as A
from opgen.shapes.oprules import (
    DtypeRule,
    OpRules,
    OutputRules,
    PatternRule,
    Require,
    RuleSource,
    ShapeRule,
)
from opgen.shapes.parse import (
    RuleSyntaxError,
    is_code_rule,
    is_shape_rule,
    parse_dtype,
    parse_pattern,
    parse_require,
    parse_shape,
)
from opgen.shapes.ranks import check_shape_rank, pattern_rank
from opgen.shapes.resolve import Problem, Scope

__all__ = ["check_op_rules", "rules_of"]

_ROLE = {TensorRole.INPUT: "input", TensorRole.OUTPUT: "output", TensorRole.PARAM: "parameter"}


@lru_cache(maxsize=512)
def rules_of(op: OpDef) -> OpRules:
    """The op's resolved rules (cached); problems, which validation has reported, are dropped."""
    return check_op_rules(op, Diagnostics())


def check_op_rules(op: OpDef, diagnostics: Diagnostics) -> OpRules:
    return _Checker(op, diagnostics).run()


class _Checker:
    def __init__(self, op: OpDef, diagnostics: Diagnostics) -> None:
        self.op = op
        self.diagnostics = diagnostics
        self.scope = Scope(op)
        self.bound_at: dict[str, str] = {}

    def report(
        self, spec: TensorSpec, where: TextLocation | None, col: int, message: str, hint: str | None
    ) -> None:
        at = where.at(col) if where is not None else spec.location
        self.diagnostics.error(
            at, f"op '{self.op.name}', {_ROLE[spec.role]} '{spec.name}': {message}", hint
        )

    def run(self) -> OpRules:
        op = self.op
        patterns = tuple(self.pattern(spec) for spec in op.inputs)
        for spec in op.params:
            if is_shape_rule(spec.shape_text):
                self.report(
                    spec,
                    spec.shape_text_location,
                    1,
                    "a parameter's <Text> cannot hold a rule (a leading '=' marks a rule)",
                    'describe it in prose, or check its value with a Type="Value" '
                    "Constraint: <Code>require ...</Code>",
                )
        outputs = tuple(self.output(spec) for spec in op.outputs)
        requires: list[Require] = []
        for spec in op.inputs + op.outputs + op.params:
            requires.extend(self.constraints(spec))
        return OpRules(op.name, patterns, outputs, tuple(requires))

    # ---- inputs

    def pattern(self, spec: TensorSpec) -> PatternRule | None:
        text = spec.shape_text
        if not is_shape_rule(text):
            return None
        assert text is not None
        where = spec.shape_text_location
        try:
            pattern = parse_pattern(text)
            self.bind(spec, pattern)
            if not any(isinstance(e, A.PSpread) for e in pattern.elems):
                self.scope.pattern_ranks[spec.name] = len(pattern.elems)
            dims = spec.rank.dims
            problem = pattern_rank(pattern, dims)
            if problem is not None:
                raise Problem(problem, pattern.col, f"the input declares Rank {spec.rank.value}")
        except (RuleSyntaxError, Problem) as exc:
            self.report(spec, where, exc.col, exc.message, exc.hint)
            return None
        return PatternRule(pattern, RuleSource(text, where.start if where else None))

    def bind(self, spec: TensorSpec, pattern: A.Pattern) -> None:
        kinds: dict[str, str] = {}
        for e in pattern.elems:
            if isinstance(e, A.PBind | A.PSpread) and e.name is not None:
                kind = "spread" if isinstance(e, A.PSpread) else "dim"
                if kinds.setdefault(e.name, kind) != kind:
                    raise Problem(
                        f"'{e.name}' is bound both as one dim and as a list of dims ({e.name}...)",
                        e.col,
                        "use two names",
                    )
        for name, kind in kinds.items():
            earlier = self.scope.bindings.get(name)
            if earlier is not None and earlier != kind:
                col = next(e.col for e in pattern.elems if getattr(e, "name", None) == name)
                raise Problem(
                    f"'{name}' is bound as {_kind(kind)} here but as {_kind(earlier)} "
                    f"by input '{self.bound_at[name]}'",
                    col,
                    "use two names",
                )
        for name, kind in kinds.items():
            self.scope.bindings.setdefault(name, kind)
            self.bound_at.setdefault(name, spec.name)

    # ---- outputs

    def output(self, spec: TensorSpec) -> OutputRules:
        shape = None
        text = spec.shape_text
        if is_shape_rule(text):
            assert text is not None
            where = spec.shape_text_location
            try:
                expr = self.shape(parse_shape(text), spec)
                shape = ShapeRule(expr, RuleSource(text, where.start if where else None))
            except (RuleSyntaxError, Problem) as exc:
                self.report(spec, where, exc.col, exc.message, exc.hint)
        return OutputRules(spec.name, shape, self.dtype(spec))

    def shape(self, expr: A.ShapeExpr, spec: TensorSpec) -> A.ShapeExpr:
        s = self.scope
        match expr:
            case A.Hook():
                resolved: A.ShapeExpr = expr
            case A.ShapeList():
                resolved = A.ShapeList(tuple(self.item(i) for i in expr.items), col=expr.col)
            case A.Like():
                resolved = A.Like(s.tensor(expr.tensor), col=expr.col)
            case A.Broadcast():
                resolved = A.Broadcast(s.tensors(expr.tensors), col=expr.col)
            case A.Reduce():
                resolved = A.Reduce(
                    s.tensor(expr.tensor), s.axes(expr.axes), s.bexpr(expr.keep_dims), col=expr.col
                )
            case A.Concat():
                resolved = A.Concat(s.iexpr(expr.axis), s.tensors(expr.tensors), col=expr.col)
            case A.Permute():
                resolved = A.Permute(s.tensor(expr.tensor), s.axes(expr.perm), col=expr.col)
            case A.With() | A.Insert():
                resolved = type(expr)(
                    s.tensor(expr.tensor), s.iexpr(expr.axis), s.iexpr(expr.dim), col=expr.col
                )
            case A.Remove():
                resolved = A.Remove(s.tensor(expr.tensor), s.axes(expr.axes), col=expr.col)
            case A.Matmul():
                resolved = A.Matmul(s.tensor(expr.left), s.tensor(expr.right), col=expr.col)
        check_shape_rank(resolved, spec, s)
        return resolved

    def item(self, item: A.Item) -> A.Item:
        match item:
            case A.Unknown():
                return item
            case A.BoundSpread():
                kind = self.scope.bindings.get(item.name)
                if kind == "spread":
                    return item
                if kind == "dim":
                    raise Problem(
                        f"'{item.name}' is one dim, not a list", item.col, f"write {item.name}"
                    )
                raise Problem(
                    f"unknown list of dims '{item.name}...'",
                    item.col,
                    f"bind it in an input's pattern, e.g. = [{item.name}..., M, K]",
                )
            case A.SliceSpread():
                s = self.scope
                start = s.iexpr(item.start) if item.start is not None else None
                stop = s.iexpr(item.stop) if item.stop is not None else None
                return A.SliceSpread(s.tensor(item.tensor), start, stop, col=item.col)
        return self.scope.iexpr(item)

    # ---- dtypes

    def dtype(self, spec: TensorSpec) -> DtypeRule:
        for c in spec.constraints:
            if c.type is not ConstraintType.DATATYPE or not is_code_rule(c.code):
                continue
            assert c.code is not None
            if not c.code.lstrip().startswith("="):
                continue  # a `require` in a Datatype Constraint: reported with the checks
            try:
                expr = self.dtype_expr(parse_dtype(c.code), spec)
            except (RuleSyntaxError, Problem) as exc:
                self.report(spec, c.code_location, exc.col, exc.message, exc.hint)
                break
            where = c.code_location.start if c.code_location else c.location
            return DtypeRule(expr, RuleSource(c.code, where))
        return DtypeRule(default_dtype(self.op, spec), None)

    def dtype_expr(self, expr: A.DtypeExpr, spec: TensorSpec) -> A.DtypeExpr:
        declared = [d for d in spec.datatypes if d is not Datatype.BACKEND_SPECIFIC]
        open_list = Datatype.BACKEND_SPECIFIC in spec.datatypes
        if isinstance(expr, A.DtypeFixed):
            if declared and not open_list and expr.datatype not in declared:
                raise Problem(
                    f"{expr.datatype.value} is not among the output's datatypes",
                    expr.col,
                    "declared: " + ", ".join(d.value for d in declared),
                )
            return expr
        if isinstance(expr, A.DtypeLike):
            ref = self.scope.tensor(expr.tensor)
            source = self.scope.input_spec(ref)
            theirs = (
                [d for d in source.datatypes if d is not Datatype.BACKEND_SPECIFIC]
                if source
                else []
            )
            if declared and theirs and not open_list and not set(theirs) & set(declared):
                raise Problem(
                    f"input '{source.name if source else '?'}' and the output share no datatype",
                    expr.col,
                )
            return A.DtypeLike(ref, col=expr.col)
        return expr

    # ---- constraints

    def constraints(self, spec: TensorSpec) -> list[Require]:
        found: list[Require] = []
        first_dtype: int | None = None
        for c in spec.constraints:
            if not is_code_rule(c.code):
                continue
            assert c.code is not None
            where = c.code_location
            is_require = not c.code.lstrip().startswith("=")
            if not c.text:
                # The vendor translator splits the leading text: None crashes it.
                self.report(
                    spec,
                    where,
                    1,
                    "a Constraint with a rule needs prose before <Code>",
                    "the vendor translator fails on a Constraint with no text; "
                    "say what the rule checks",
                )
            if not is_require and c.type is ConstraintType.DATATYPE:
                if spec.role is not TensorRole.OUTPUT:
                    self.report(
                        spec,
                        where,
                        1,
                        "a dtype rule belongs on an output",
                        "an input's or parameter's datatypes are its <Datatype> list",
                    )
                elif first_dtype is not None:
                    self.report(
                        spec,
                        where,
                        1,
                        f"a second dtype rule (Constraint {c.id}); Constraint {first_dtype} "
                        "already gives one",
                        None,
                    )
                else:
                    first_dtype = c.id
                continue  # the output's dtype rule, handled by dtype()
            if not is_require:
                hint = 'a dtype rule is a Type="Datatype" Constraint on an output'
                if c.type in (ConstraintType.SHAPE, ConstraintType.VALUE):
                    hint += "; a shape rule is the output's <Shape><Text>"
                self.report(
                    spec,
                    where,
                    1,
                    f"an '=' rule cannot stand in a Type=\"{c.type.value}\" Constraint",
                    hint,
                )
                continue
            if c.type not in (ConstraintType.SHAPE, ConstraintType.VALUE):
                self.report(
                    spec,
                    where,
                    1,
                    f'a require check cannot stand in a Type="{c.type.value}" Constraint',
                    'use Type="Shape" or Type="Value"',
                )
                continue
            self.scope.allow_outputs = True
            try:
                conds = tuple(self.scope.bexpr(b) for b in parse_require(c.code))
            except (RuleSyntaxError, Problem) as exc:
                self.report(spec, where, exc.col, exc.message, exc.hint)
                continue
            finally:
                self.scope.allow_outputs = False
            source = RuleSource(c.code, where.start if where else c.location)
            found.append(Require(conds, source, c.id))
        return found


def default_dtype(op: OpDef, spec: TensorSpec) -> A.DtypeExpr:
    declared = [d for d in spec.datatypes if d is not Datatype.BACKEND_SPECIFIC]
    if len(declared) == 1 and Datatype.BACKEND_SPECIFIC not in spec.datatypes:
        return A.DtypeFixed(declared[0])
    if op.inputs and Datatype.BACKEND_SPECIFIC not in spec.datatypes:
        theirs = op.inputs[0].datatypes
        if theirs and Datatype.BACKEND_SPECIFIC not in theirs and set(theirs) <= set(declared):
            return A.DtypeLike(A.TensorRef("in", 0))
    return A.Hook()


def _kind(kind: str) -> str:
    return "one dim" if kind == "dim" else "a list of dims"
