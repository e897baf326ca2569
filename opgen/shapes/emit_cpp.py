"""Shape and dtype rules compiled to C++: one function per op and mode, run by the rule runtime
(templates/common/static/include/opgen/ShapeRules.hpp, which documents the C++ side).

Entry point (used by every backend's Interface and by the converter op package):

    rule_function(op: OpDef, rules: OpRules, mode: Mode) -> RuleFunction | None

- ``Mode.VALIDATE`` gives ``Qnn_ErrorHandle_t opgenValidate<Op>(const Qnn_OpConfig_t& config)``:
  patterns, ``require`` checks, output ranks/dims/dtypes compared with the rules; it never calls
  user code. None when the op has no rules (``rules.has_rules`` is False), so packages whose ops
  have none carry no rule code.
- ``Mode.INFER`` gives ``Qnn_ErrorHandle_t opgenInfer<Op>(const Qnn_OpConfig_t& config,
  unsigned parts)`` (``parts``: ``::opgen::rules::kInferShapes | kInferDtypes``): the same checks,
  then output dims and dtypes written into the config's output tensors; a `?` dim, a `= hook`
  shape, an output without a shape rule, or a `hook` dtype calls the user hook listed in
  ``RuleFunction.hooks``. Never None.

Place ``RuleFunction.hook_declarations`` at global scope (it declares the hooks in
``namespace opgen::hooks::<Op>``) and ``RuleFunction.definition`` anywhere after it, e.g. inside
an anonymous namespace. Both include nothing: the file must include "opgen/ShapeRules.hpp".
Link the package with src/utils/ShapeRules.cpp and OpConfigSupport.cpp and define ``opgen::log``
(every backend's support library does).

Config text reaches C++ only as string literals made by ``opgen.escaping.c_string_literal``;
identifiers come from checked names (op, tensor identifiers) through the functions below.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from opgen import naming
from opgen.model import FillDefault, OpDef, RankExpr, ScalarDefault, TensorSpec
from opgen.shapes import ast
from opgen.shapes.emit_cpp_expr import (
    EmitError,
    Scope,
    int_lit,
    lit,
    reads_outputs,
    tensor_label,
)
from opgen.shapes.emit_cpp_shapes import (
    CTX,
    input_pattern,
    may_need_hook,
    output_shape,
    positions,
)
from opgen.shapes.oprules import DtypeRule, OpRules, OutputRules, PatternRule, Require


class Mode(enum.Enum):
    VALIDATE = "validate"
    INFER = "infer"


@dataclass(frozen=True)
class HookSpec:
    """A user function the Infer-mode function calls (C++ linkage, declared by opgen)."""

    output: str
    """The XML name of the output."""
    output_index: int
    """Its position among the op's XML outputs."""
    kind: str
    """"shape" or "dtype"."""
    namespace: str
    """``opgen::hooks::<Op>``."""
    function: str
    """The unqualified name: ``<output identifier>_shape`` / ``_dtype``."""
    declaration: str
    """The function's declaration (without namespace), ending in ';'."""
    reason: str
    """Why user code is needed, for the hook file's comments (plain text; escape before writing
    it into a comment: it quotes the rule)."""


@dataclass(frozen=True)
class RuleFunction:
    name: str
    """``opgenValidate<Op>`` or ``opgenInfer<Op>``."""
    mode: Mode
    definition: str
    hook_declarations: str
    """Empty in VALIDATE mode and when no hook is needed."""
    hooks: tuple[HookSpec, ...]


SHAPE_HOOK_SIGNATURE = (
    "Qnn_ErrorHandle_t {name}(const Qnn_OpConfig_t& config, uint32_t outputIndex, "
    "uint32_t rank, uint32_t* dims, const bool* known)"
)
DTYPE_HOOK_SIGNATURE = (
    "Qnn_ErrorHandle_t {name}(const Qnn_OpConfig_t& config, uint32_t outputIndex, "
    "Qnn_DataType_t* dataType)"
)


def function_name(op: str, mode: Mode) -> str:
    """The generated rule function of an op (op names are checked identifiers)."""
    return f"opgen{'Validate' if mode is Mode.VALIDATE else 'Infer'}{op}"


def hook_namespace(op: str) -> str:
    return f"opgen::hooks::{op}"


def shape_hook_name(output_identifier: str) -> str:
    return f"{output_identifier}_shape"


def dtype_hook_name(output_identifier: str) -> str:
    return f"{output_identifier}_dtype"


# ---- compiling -------------------------------------------------------------------------------


def rule_function(op: OpDef, rules: OpRules, mode: Mode) -> RuleFunction | None:
    """The C++ of `op`'s rules for `mode` (None in VALIDATE mode when the op has no rules)."""
    if mode is Mode.VALIDATE and not rules.has_rules:
        return None
    return _Compiler(op, rules, mode).compile()


class _Compiler:
    def __init__(self, op: OpDef, rules: OpRules, mode: Mode) -> None:
        self.op = op
        self.rules = rules
        self.mode = mode
        self.scope = Scope(op)
        self.hooks: list[HookSpec] = []
        self.body: list[str] = []

    def emit(self, line: str, depth: int = 1) -> None:
        self.body.append("  " * depth + line)

    def check(self, depth: int = 1) -> None:
        self.emit("if (ctx.failed()) return ctx.result();", depth)

    # ---- the function ------------------------------------------------------------------

    def compile(self) -> RuleFunction:
        for j, pattern in enumerate(self.rules.patterns):
            if pattern is not None:
                self._pattern(j, pattern)
        late = [r for r in self.rules.requires if reads_outputs(r.conds)]
        for req in self.rules.requires:
            if req not in late:
                self._require(req)
        for j, out in enumerate(self.rules.outputs):
            self._output(j, out)
        for req in late:
            self._require(req)
        name = function_name(self.op.name, self.mode)
        if self.mode is Mode.VALIDATE:
            signature = f"Qnn_ErrorHandle_t {name}(const Qnn_OpConfig_t& config)"
            make = f"{CTX}::Context ctx(config, {lit(self.op.name)}, {CTX}::Mode::Validate);"
        else:
            signature = f"Qnn_ErrorHandle_t {name}(const Qnn_OpConfig_t& config, unsigned parts)"
            make = f"{CTX}::Context ctx(config, {lit(self.op.name)}, {CTX}::Mode::Infer, parts);"
        lines = [
            f"// The shape and dtype rules of {self.op.name} ({self.mode.value} mode).",
            f"{signature} {{",
            f"  {make}",
            "  if (!ctx.start()) return ctx.result();",
            *self._prologue(),
            *self._resolved_body(),
            "  return ctx.result();",
            "}",
        ]
        return RuleFunction(
            name=name,
            mode=self.mode,
            definition="\n".join(lines) + "\n",
            hook_declarations=self._hook_declarations(),
            hooks=tuple(self.hooks),
        )

    def _resolved_body(self) -> list[str]:
        out = []
        for line in self.body:
            if not line.startswith("@@OUT"):
                out.append(line)
                continue
            j_text, shape_var = line[5:].split("@@")
            var = self.scope.tensors.get(("out", int(j_text), False))
            if var is not None and shape_var:
                out.append(f"    {{ const uint32_t dt = {var}.dataType; {var} = {shape_var};")
                out.append(f"      {var}.dataType = dt; }}")
        return out

    def _prologue(self) -> list[str]:
        s = self.scope
        out = []
        for (role, index, from_end), var in s.tensors.items():
            getter = "input" if role == "in" else "output"
            out.append(
                f"  {'' if self._mutable(role) else 'const '}{CTX}::Shape {var} = "
                f"ctx.{getter}({index}u, {'true' if from_end else 'false'}, "
                f"{lit(s.tensor_labels[var])});"
            )
        for var in s.names.values():
            out.append(f"  int64_t {var} = 0;")
            out.append(f"  bool has_{var} = false;")
        for name, var in s.spreads.items():
            out.append(f"  {CTX}::Shape {var} = ctx.begin({lit(name + '...')});")
            out.append(f"  bool has_{var} = false;")
        for name, var in s.scalars.items():
            out.append(f"  int64_t {var} = 0;")
            out.extend(self._scalar_default(name, var, "scalarInt"))
        for name, var in s.bools.items():
            out.append(f"  bool {var} = false;")
            out.extend(self._scalar_default(name, var, "scalarBool"))
        for name, var in s.tensor_params.items():
            out.append(f"  {CTX}::TensorParam {var} = ctx.tensorParam({lit(name)});")
            out.extend(self._tensor_default(name, var))
        if out:
            out.append("  if (ctx.failed()) return ctx.result();")
        return out

    def _mutable(self, role: str) -> bool:
        return role == "out" and self.mode is Mode.INFER

    def _param(self, name: str) -> TensorSpec:
        return next(p for p in self.op.params if p.name == name)

    def _default_int(self, value: object) -> str:
        if isinstance(value, RankExpr):
            rank = f"ctx.rank({self.scope.tensor(ast.TensorRef('in', 0))})"
            return f"ctx.add(ctx.mul({int_lit(value.coeff)}, {rank}), {int_lit(value.offset)})"
        if isinstance(value, bool):
            return "int64_t{1}" if value else "int64_t{0}"
        if isinstance(value, int):
            return int_lit(value)
        if isinstance(value, float) and value.is_integer():
            return int_lit(int(value))
        raise EmitError(f"default {value!r} is not an integer")

    def _scalar_default(self, name: str, var: str, reader: str) -> list[str]:
        default = self._param(name).default
        head = f"  if (!ctx.{reader}({lit(name)}, &{var})) "
        if default is None or not isinstance(default.value, ScalarDefault):
            return [head + f"ctx.missingParam({lit(name)});"]
        value = self._default_int(default.value.value)
        if reader == "scalarBool":
            value = f"({value} != 0)"
        return [head + f"{var} = {value};"]

    def _tensor_default(self, name: str, var: str) -> list[str]:
        default = self._param(name).default
        if default is None:
            return [f"  if (!{var}.present) ctx.missingParam({lit(name)});"]
        value = default.value
        if isinstance(value, FillDefault):
            fill = self._default_int(value.value)
            return [f"  if (!{var}.present) ctx.fillDefault(&{var}, {fill});"]
        if isinstance(value, ScalarDefault):
            leaves, dims = [value.value], [1]
        else:
            leaves, dims = list(value.leaves()), _list_dims(value.values)
        items = ", ".join(self._default_int(v) for v in leaves) or "0"
        return [
            f"  const int64_t {var}_default[] = {{{items}}};",
            f"  if (!{var}.present) ctx.listDefault(&{var}, {var}_default, {len(leaves)}u, "
            f"{{{', '.join(f'{d}u' for d in dims)}}});",
        ]

    def _hook_declarations(self) -> str:
        if not self.hooks:
            return ""
        lines = [f"namespace opgen {{ namespace hooks {{ namespace {self.op.name} {{"]
        lines += [h.declaration for h in self.hooks]
        lines.append(f"}} }} }}  // namespace opgen::hooks::{self.op.name}")
        return "\n".join(lines) + "\n"

    # ---- patterns and requires ---------------------------------------------------------

    def _pattern(self, j: int, rule: PatternRule) -> None:
        input_pattern(self.scope, self.op.inputs, j, rule, self.emit)
        self.check()

    def _require(self, req: Require) -> None:
        self.emit(f"ctx.rule({lit(f'constraint {req.constraint_id}')}, {lit(req.source.text)});")
        for n, cond in enumerate(req.conds, start=1):
            self.emit(f"ctx.require({self.scope.bexpr(cond)}, {n}u);")
        self.check()

    # ---- outputs -----------------------------------------------------------------------

    def _output(self, j: int, out: OutputRules) -> None:
        spec = self.op.outputs[j]
        infer = self.mode is Mode.INFER
        shape = out.shape.expr if out.shape is not None else None
        check_shape = shape is not None and not (isinstance(shape, ast.Hook) and not infer)
        dtype = out.dtype.expr
        check_dtype = infer or (out.dtype.source is not None and not isinstance(dtype, ast.Hook))
        if not (check_shape or check_dtype or infer):
            return
        first, end = positions(j, self.op.outputs, "ctx.numOutputs()")
        label = f"output {spec.name!r}"
        ident = naming.tensor_identifier(spec.name)
        self.emit(f"for (uint32_t p = {first}; p < {end} && p < ctx.numOutputs(); ++p) {{")
        if infer and shape is None:
            self.emit(f"ctx.rule({lit(label)}, {lit('(no shape rule)')});", 2)
            self.emit(f"const {CTX}::Shape o = ctx.hook({lit(spec.name)});", 2)
        elif shape is not None and check_shape:
            assert out.shape is not None
            self.emit(f"ctx.rule({lit(label)}, {lit(out.shape.source.text)});", 2)
            output_shape(self.scope, shape, spec.name, self.emit)
        if infer or check_shape:
            self.emit("ctx.outputShape(p, o);", 2)
        if infer and (shape is None or may_need_hook(shape)):
            hook = self._hook(j, spec, ident, "shape", shape)
            self.emit(f"if (ctx.needsHook(o)) ctx.callShapeHook(p, o, &{hook});", 2)
        if check_dtype:
            self._dtype(j, spec, ident, out.dtype)
        if infer and not spec.repeated and not any(s.repeated for s in self.op.outputs):
            self._update_out_ref(j, "o" if (infer or check_shape) else None)
        self.emit("}")
        self.check()

    def _update_out_ref(self, j: int, shape_var: str | None) -> None:
        # Later rules that read out[j] see what the rules inferred (declared only if read).
        self.body.append(f"@@OUT{j}@@{shape_var or ''}")

    def _dtype(self, j: int, spec: TensorSpec, ident: str, rule: DtypeRule) -> None:
        e = rule.expr
        text = rule.source.text if rule.source is not None else _default_text(e)
        self.emit(f"ctx.rule({lit(f'output {spec.name!r}')}, {lit(text)});", 2)
        if isinstance(e, ast.Hook):
            hook = self._hook(j, spec, ident, "dtype", None)
            self.emit(f"ctx.callDtypeHook(p, &{hook});", 2)
            return
        if isinstance(e, ast.DtypeFixed):
            code = e.datatype.qnn_code
            if code is None:
                raise EmitError(f"{e.datatype.value} has no datatype code")
            value = f"0x{code:04x}u"
        else:
            value = f"ctx.like({self.scope.tensor(e.tensor)}, {lit(spec.name)}).dataType"
        self.emit(f"ctx.outputDtype(p, {value});", 2)

    def _hook(
        self, j: int, spec: TensorSpec, ident: str, kind: str, shape: ast.ShapeExpr | None
    ) -> str:
        if kind == "shape":
            fn = shape_hook_name(ident)
            decl = SHAPE_HOOK_SIGNATURE.format(name=fn) + ";"
            if shape is None:
                reason = f"output {spec.name} has no shape rule"
            elif isinstance(shape, ast.Hook):
                reason = f"output {spec.name}'s shape rule is a hook"
            else:
                reason = f"output {spec.name}'s shape rule has unknown (?) dims"
        else:
            fn = dtype_hook_name(ident)
            decl = DTYPE_HOOK_SIGNATURE.format(name=fn) + ";"
            reason = f"output {spec.name}'s dtype rule is a hook"
        namespace = hook_namespace(self.op.name)
        if not any(h.function == fn for h in self.hooks):
            self.hooks.append(HookSpec(spec.name, j, kind, namespace, fn, decl, reason))
        return f"::{namespace}::{fn}"


def _default_text(e: ast.DtypeExpr) -> str:
    if isinstance(e, ast.DtypeFixed):
        return f"= {e.datatype.value} (the default: the only declared datatype)"
    if isinstance(e, ast.DtypeLike):
        return f"= like({tensor_label(e.tensor)}) (the default)"
    return "= hook (the default)"


def _list_dims(values: tuple[object, ...]) -> list[int]:
    dims = [len(values)]
    first = values[0] if values else None
    while isinstance(first, tuple):
        dims.append(len(first))
        first = first[0] if first else None
    return dims
