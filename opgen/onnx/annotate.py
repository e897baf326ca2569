"""Annotate a model for the converters: the custom nodes' output shapes and dtypes as value_info.

ONNX cannot infer a node it has no schema for, so a custom node's outputs, and usually every
native node after it, stay untyped; the vendor converter then needs a converter op package
library for them (CONVERTER_FACTS §1.6). :func:`annotate` fills the gap from the configs' rules:

1. every custom node's domain missing from ``opset_import`` is added at version 1 (ONNX's shape
   inference refuses the whole model otherwise, and onnx.checker refuses the node; the vendor
   converter never reads the domain, §1.3, so the version is only for ONNX);
2. ``onnx.shape_inference`` (non-strict, with data propagation) runs on the model;
3. the nodes are walked in graph order (topological, as onnx.checker requires): each custom
   node's rules are evaluated on its inputs' types (the op as its first backend sees it, as the
   converter op package does), and each native node whose outputs are still unknown is inferred
   on its own, so that a chain custom -> native -> custom advances in one walk;
4. the custom outputs are written (value_info, or the graph output's type) and 2-3 repeat until
   no custom node's inputs change.

A dim the rules give symbolically is written as a ``dim_param`` (its text); a dim the model gives
as a number wins over a symbol the rules give; two numbers, two ranks or two dtypes that differ
are an error naming the node (as is an input that contradicts a rule). What stays unknown is
listed with the reason the evaluator gives; no printing here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import onnx

from opgen.model import OpDef, Package
from opgen.onnx import tensors
from opgen.onnx.match import CustomNode, NodeMappingError, custom_nodes, node_params
from opgen.shapes import rules_of
from opgen.shapes.evaluate import OutputFacts, RuleError, TensorFacts, infer
from opgen.shapes.scope import bind_positions
from opgen.shapes.symbolic import SymDim


@dataclass(frozen=True)
class NodeProblem:
    """Something wrong with one node (``index`` in graph.node), or with the model (index None)."""

    index: int | None
    node: str
    op_type: str
    message: str


@dataclass(frozen=True)
class OutputStatus:
    """A custom node's output after annotation."""

    index: int
    node: str
    op_type: str
    package: str
    tensor: str
    dims: tuple[int | str | None, ...] | None
    elem_type: int
    reason: str | None = None
    """Why a part is unknown (None when the shape and dtype are known)."""

    @property
    def known(self) -> bool:
        return self.dims is not None and None not in self.dims and self.elem_type != 0

    @property
    def symbolic(self) -> bool:
        return self.dims is not None and any(isinstance(d, str) for d in self.dims)


@dataclass(frozen=True)
class Annotation:
    model: onnx.ModelProto
    custom: tuple[CustomNode, ...]
    outputs: tuple[OutputStatus, ...]
    errors: tuple[NodeProblem, ...]
    added_domains: tuple[str, ...]
    rounds: int
    written: tuple[str, ...] = field(default=())
    """The tensors whose type annotate wrote (in graph order)."""

    @property
    def unknown(self) -> tuple[OutputStatus, ...]:
        return tuple(o for o in self.outputs if not o.known)

    @property
    def needs_library(self) -> bool:
        """Whether the converter still needs the converter op package for some output: one the
        model cannot give, or one with a dim_param, which the converter reads as 0 (§1.6)."""
        return any(not o.known or o.symbolic for o in self.outputs)


class AnnotateError(Exception):
    """The model cannot be annotated at all (ONNX's own inference or checker refuses it)."""


def annotate(model: onnx.ModelProto, packages: Sequence[Package]) -> Annotation:
    """A copy of ``model`` with the custom outputs' types written (see the module docstring)."""
    out = onnx.ModelProto()
    out.CopyFrom(model)
    found = custom_nodes(out, packages)
    added = tensors.add_domains(out, (c.node.domain for c in found))
    run = _Run(out, found)
    rounds = 0
    while True:
        rounds += 1
        inferred = _infer(out)
        changed = run.walk(inferred)
        if not changed or rounds > len(found) + 1:
            out = inferred
            break
        run.write(out)
    return Annotation(
        model=out,
        custom=tuple(found),
        outputs=run.statuses(tensors.types_of(out.graph)),
        errors=tuple(run.errors.values()),
        added_domains=added,
        rounds=rounds,
        written=tuple(run.written),
    )


def check(model: onnx.ModelProto) -> None:
    """onnx.checker on an annotated model (raises :class:`AnnotateError`)."""
    try:
        onnx.checker.check_model(model)
    except onnx.checker.ValidationError as exc:
        raise AnnotateError(f"onnx.checker refuses the annotated model: {exc}") from None


# ---- the walk ------------------------------------------------------------------------------


class _Run:
    def __init__(self, model: onnx.ModelProto, found: Sequence[CustomNode]) -> None:
        self.graph = model.graph
        self.custom = {c.index: c for c in found}
        self.opsets = {o.domain: o.version for o in model.opset_import}
        self.ir_version = model.ir_version
        self.views: dict[tuple[int, str], OpDef] = {}
        self.params: dict[tuple[int, int | None], dict[str, object]] = {}
        self.results: dict[int, tuple[tuple[TensorFacts, ...], tuple[OutputFacts, ...]]] = {}
        self.errors: dict[tuple[int | None, str], NodeProblem] = {}
        self.written: dict[str, onnx.TypeProto] = {}
        # The dims the rules gave as expressions, by the dim_param text they were written as,
        # so that a custom node reading another's output gets the expression back, not a name.
        self.symbols: dict[str, SymDim] = {}
        self.initializers = {i.name: i for i in model.graph.initializer}

    def walk(self, model: onnx.ModelProto) -> bool:
        """Evaluate every custom node on ``model``'s types; True when a write changed."""
        types = tensors.types_of(model.graph)
        changed = False
        for index, node in enumerate(model.graph.node):
            c = self.custom.get(index)
            if c is None:
                self._native(node, types)
                continue
            for name, t in self._evaluate(c, types).items():
                types[name] = t
                old = self.written.get(name)
                if old is None or old.SerializeToString() != t.SerializeToString():
                    self.written[name] = t
                    changed = True
        return changed

    def _evaluate(
        self, c: CustomNode, types: dict[str, onnx.TypeProto]
    ) -> dict[str, onnx.TypeProto]:
        op = self._view(c)
        facts = _input_facts(c.node, types, self.symbols)
        rank = len(facts[0].shape) if facts and facts[0].shape is not None else None
        params = self._params(c, op, rank)
        if params is None:
            return {}
        cached = self.results.get(c.index)
        if cached is not None and cached[0] == facts:
            outs = cached[1]
        else:
            try:
                outs = infer(rules_of(op), op, facts, params)
            except RuleError as exc:
                self._error(c, exc.detail)
                return {}
            self.results[c.index] = (facts, outs)
        positions = bind_positions(op.outputs, len(c.node.output))
        if positions is None:
            self._error(
                c, f"{len(c.node.output)} output(s) do not bind to the declared {len(op.outputs)}"
            )
            return {}
        writes: dict[str, onnx.TypeProto] = {}
        for name, xml in zip(c.node.output, positions, strict=True):
            if not name:
                continue
            merged = self._merge(c, name, outs[xml], types.get(name))
            if merged is not None:
                writes[name] = merged
        return writes

    def _merge(
        self, c: CustomNode, name: str, facts: OutputFacts, model: onnx.TypeProto | None
    ) -> onnx.TypeProto | None:
        """The rules' facts combined with what the model already says (None: nothing to say)."""
        has = model is not None and model.WhichOneof("value") == "tensor_type"
        old_dims = tensors.dims_of(model) if model is not None and has else None
        old_elem = model.tensor_type.elem_type if model is not None and has else 0
        new_elem = tensors.elem_type_of(facts.dtype) if facts.dtype is not None else None
        if new_elem and old_elem and new_elem != old_elem:
            self._error(
                c,
                f"output '{name}': the model says {tensors.elem_type_name(old_elem)}, but the "
                f"dtype rule gives {facts.dtype.value if facts.dtype else '?'}",
            )
            return None
        elem = new_elem or old_elem
        dims: list[tensors.Dim] | None
        if facts.shape is None:
            dims = list(old_dims) if old_dims is not None else None
        elif old_dims is None:
            dims = list(facts.shape)
        elif len(old_dims) != len(facts.shape):
            self._conflict(c, name, old_dims, facts)
            return None
        else:
            dims = []
            for mine, theirs in zip(facts.shape, old_dims, strict=True):
                if isinstance(mine, int) and isinstance(theirs, int) and mine != theirs:
                    self._conflict(c, name, old_dims, facts)
                    return None
                # A number beats a name; a name the model gives beats the rules' expression.
                if isinstance(theirs, int) or (theirs is not None and not isinstance(mine, int)):
                    dims.append(theirs)
                else:
                    dims.append(mine)
        if not elem or (dims is None and old_elem):
            # ONNX cannot carry a shape without an element type: leave it to the library.
            return None
        for d in dims or ():
            if isinstance(d, SymDim):
                self.symbols.setdefault(str(d), d)
        return tensors.tensor_type(elem, dims)

    def _conflict(
        self, c: CustomNode, name: str, old: Sequence[object], facts: OutputFacts
    ) -> None:
        rule = f"shape rule '{facts.rule}'" if facts.rule else "shape rule"
        self._error(
            c,
            f"output '{name}': the model says {tensors.show_dims(old)}, but its {rule} gives "
            f"{tensors.show_dims(facts.shape)}",
        )

    def _native(self, node: onnx.NodeProto, types: dict[str, onnx.TypeProto]) -> None:
        """Infer one native node whose outputs are still unknown, if its inputs are known."""
        if node.domain not in tensors.STANDARD_DOMAINS or all(
            not o or tensors.is_complete(types.get(o)) for o in node.output
        ):
            return
        inputs = {i: types[i] for i in node.input if i and i in types}
        if len(inputs) != sum(1 for i in node.input if i) or any(
            not tensors.is_complete(t) for t in inputs.values()
        ):
            return
        version = self.opsets.get(
            node.domain, self.opsets.get("ai.onnx" if not node.domain else "")
        )
        if version is None:
            return
        try:
            schema = onnx.defs.get_schema(node.op_type, version, node.domain)
            result = onnx.shape_inference.infer_node_outputs(
                schema,
                node,
                inputs,
                input_data={i: self.initializers[i] for i in inputs if i in self.initializers},
                opset_imports=[onnx.helper.make_opsetid(d, v) for d, v in self.opsets.items()],
                ir_version=self.ir_version,
            )
        except (onnx.defs.SchemaError, onnx.shape_inference.InferenceError, RuntimeError):
            # Left to the next full inference round (subgraphs, data-dependent shapes...).
            return
        for name, t in result.items():
            if name and not tensors.is_complete(types.get(name)):
                types[name] = t

    # ---- per node ----------------------------------------------------------------------------

    def _view(self, c: CustomNode) -> OpDef:
        """The op as its first backend sees it (supplementals applied), as the converter
        op package compiles it."""
        key = (id(c.package), c.op.name)
        if key not in self.views:
            view = c.op
            if c.op.backends:
                for candidate in c.package.resolve(c.op.backends[0]).ops:
                    if candidate.name == c.op.name:
                        view = candidate
            self.views[key] = view
        return self.views[key]

    def _params(self, c: CustomNode, op: OpDef, rank: int | None) -> dict[str, object] | None:
        key = (c.index, rank)
        if key not in self.params:
            try:
                self.params[key] = node_params(c.node, op, input_rank=rank)
            except NodeMappingError as exc:
                if rank is None and exc.param is not None and _needs_rank(op, exc.param):
                    return None  # an `N-1` default: wait until in[0]'s rank is known
                self._error(c, str(exc))
                return None
        return self.params[key]

    def _error(self, c: CustomNode, message: str) -> None:
        key = (c.index, message)
        self.errors.setdefault(key, NodeProblem(c.index, c.label, c.node.op_type, message))

    # ---- results -----------------------------------------------------------------------------

    def write(self, model: onnx.ModelProto) -> None:
        """Put every written type into ``model``: the graph output's entry, else value_info."""
        graph = model.graph
        outputs = {o.name: o for o in graph.output}
        infos = {v.name: v for v in graph.value_info}
        for name, t in self.written.items():
            target = outputs.get(name) or infos.get(name)
            if target is None:
                target = graph.value_info.add()
                target.name = name
            target.type.CopyFrom(t)

    def statuses(self, types: dict[str, onnx.TypeProto]) -> tuple[OutputStatus, ...]:
        out: list[OutputStatus] = []
        for index in sorted(self.custom):
            c = self.custom[index]
            facts = self.results.get(index)
            op = self._view(c)
            positions = bind_positions(op.outputs, len(c.node.output)) or []
            for k, name in enumerate(c.node.output):
                if not name:
                    continue
                t = types.get(name)
                dims = tensors.dims_of(t) if t is not None else None
                elem = t.tensor_type.elem_type if t is not None and t.HasField("tensor_type") else 0
                reason = None
                if dims is None or None in dims or not elem:
                    reason = _reason(
                        facts[1][positions[k]] if facts and k < len(positions) else None
                    )
                out.append(
                    OutputStatus(
                        index, c.label, c.node.op_type, c.package.name, name, dims, elem, reason
                    )
                )
        return tuple(out)


def _needs_rank(op: OpDef, param: str) -> bool:
    spec = next((p for p in op.params if p.name == param), None)
    return spec is not None and spec.default is not None and "N" in spec.default.text


def _reason(facts: OutputFacts | None) -> str:
    if facts is None:
        return "the rules could not be evaluated (an input's type is unknown, or an error above)"
    parts = [r for r in (facts.shape_reason, facts.dtype_reason) if r]
    if not parts and facts.shape is not None and any(d is None for d in facts.shape):
        parts.append("a dim depends on an unknown input dim")
    return "; ".join(parts) or "an input's type is unknown"


# ---- ONNX plumbing ---------------------------------------------------------------------------


def _infer(model: onnx.ModelProto) -> onnx.ModelProto:
    try:
        return onnx.shape_inference.infer_shapes(
            model, check_type=False, strict_mode=False, data_prop=True
        )
    except (onnx.shape_inference.InferenceError, onnx.checker.ValidationError) as exc:
        raise AnnotateError(f"ONNX shape inference refuses the model: {exc}") from None


def _input_facts(
    node: onnx.NodeProto, types: dict[str, onnx.TypeProto], symbols: dict[str, SymDim]
) -> tuple[TensorFacts, ...]:
    names = list(node.input)
    while names and not names[-1]:
        names.pop()  # trailing absent optional inputs
    out: list[TensorFacts] = []
    for n in names:
        facts = tensors.facts_of(types.get(n)) if n else TensorFacts(None)
        if facts.shape is not None and symbols:
            shape = tuple(symbols.get(d, d) if isinstance(d, str) else d for d in facts.shape)
            facts = TensorFacts(shape, facts.dtype)
        out.append(facts)
    return tuple(out)


# ---- what consumes it ------------------------------------------------------------------------

CONVERTER = "qnn-onnx-converter"
_LIBRARY = "ConverterOpPackage/libConverterOpPackage.so"  # opgen.converter.LIBRARY (no jinja)
_PACKAGE_SUFFIX = "_Converter_Op_Package"


def converter_library(package: str) -> str:
    """Where `opgen generate --converter-op-package` builds a package's converter library,
    relative to the generation's output directory."""
    return f"{package}{_PACKAGE_SUFFIX}/{_LIBRARY}"


def converter_command(
    model: str, configs: Sequence[str], packages: Sequence[Package], *, library: bool
) -> list[str]:
    """The vendor converter's arguments for an annotated model.

    One ``--op_package_config`` per config (CONVERTER_FACTS §1.1: repeating the flag prepends
    each batch, and the converter reverses the ``--converter_op_package_lib`` list, so libraries
    listed in config order pair with their configs). With ``library``, one library per config,
    the config's package's converter library.
    """
    args = [CONVERTER, "--input_network", model]
    for config in configs:
        args += ["--op_package_config", config]
    if library:
        owner = _config_packages(packages)
        libs = [converter_library(owner.get(_key(c), "")) for c in configs if _key(c) in owner]
        if libs:
            args += ["--converter_op_package_lib", ",".join(libs)]
    return args


def _config_packages(packages: Sequence[Package]) -> dict[str, str]:
    return {_key(str(cfg.path)): p.name for p in packages for cfg in p.configs}


def _key(path: str) -> str:
    return str(Path(path).resolve())
