"""Running an ONNX model on the host: standard nodes through ``onnx.reference``, custom nodes
through compiled op packages in the companion runtime.

    outputs = opgen.onnx.run("model.onnx", ["libMyOps.so"], {"x": x})

The custom nodes are the ones the vendor converter would take for the packages' ops
(:func:`opgen.onnx.match.custom_nodes`, over the configs each package keeps next to its library,
as ``opgen info`` finds them). Each custom op type becomes an ``OpRun`` subclass handed to
``ReferenceEvaluator(new_ops=...)``; its ``_run`` maps the node's attributes to params
(:func:`opgen.onnx.match.node_params`: XML defaults applied, enum labels to indices), sizes the
outputs from the op's rules (or, where a rule leaves one to user code, from the model's own
static type of that output) and executes the op in the package (CPU, GPU or HTP emulation by the
spec's target). The package's declaration (its resolved config) types the params.

A *reference* (``reference=``: a module, a ``.py`` path or a mapping of functions) holds a numpy
implementation per op type: ``f(*inputs, **params) -> array | tuple``. :func:`compare` runs the
model twice, once with the packages and once with the reference in their place, and gives the
largest absolute difference per custom node output and per model output.

Everything a user can get wrong (inputs, op types no package has, a failing package, a reference
that raises) is a :class:`RunError` with a one-line message.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from os import PathLike
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from opgen.model import OpDef
from opgen.onnx.run_models import (
    EVALUATOR_ERRORS,
    RunError,
    check_feeds,
    labels,
    output_types,
    prepared,
    with_domains,
)
from opgen.onnx.run_reference import Reference, call_reference, load_reference
from opgen.runtime.errors import OpPackageError
from opgen.runtime.request import output_names
from opgen.shapes.evaluate import RuleError

if TYPE_CHECKING:
    import onnx

    from opgen.onnx.match import CustomNode
    from opgen.runtime.isolated import IsolatedOpPackage
    from opgen.runtime.package import OpPackage

    Registered = OpPackage | IsolatedOpPackage

__all__ = ["Comparison", "Difference", "RunError", "compare", "run"]

Arrays = dict[str, npt.NDArray[Any]]
#: What runs one custom node: (node, op, inputs) -> outputs.
Implementation = Callable[["onnx.NodeProto", OpDef, list[npt.NDArray[Any]]], list[Any]]


@dataclass(frozen=True)
class Difference:
    """The largest absolute difference between a tensor of the package run and of the reference
    run (``value``), or why they cannot be compared (``problem``: shapes differ)."""

    node: str | None
    """The custom node's label (its name, or ``OpType#index``); None for a model output."""
    op_type: str
    tensor: str
    value: float | None
    problem: str | None = None

    def to_json(self) -> dict[str, object]:
        value = None if self.value is None or math.isnan(self.value) else self.value
        return {
            "node": self.node,
            "op_type": self.op_type,
            "tensor": self.tensor,
            "max_abs_diff": value,
            "problem": self.problem,
        }


@dataclass(frozen=True)
class Comparison:
    """Both runs of :func:`compare` and their differences."""

    outputs: Arrays
    reference_outputs: Arrays
    nodes: tuple[Difference, ...]
    """Per custom node output, in the order the nodes ran."""
    model_outputs: tuple[Difference, ...]


def run(
    model: onnx.ModelProto | str | PathLike[str],
    op_packages: Sequence[str | Registered],
    inputs: Mapping[str, npt.ArrayLike],
    reference: Reference | None = None,
    *,
    isolate: bool = False,
    timeout: float | None = None,
) -> Arrays:
    """Run ``model`` on ``inputs`` (by graph input name); returns its outputs by name.

    ``op_packages`` holds ``LIB[:PROVIDER[:TARGET]]`` specs (registered here, in a worker process
    with ``isolate=True``, and closed afterwards) or packages already registered (left open);
    their configs say which nodes are custom. With ``reference``, the custom nodes run through
    its functions instead of the packages.
    """
    with _Session(op_packages, isolate, timeout) as session:
        loaded = prepared(model)
        impls = session.implementations(loaded)
        if reference is not None:
            ref = load_reference(reference)
            _check_reference(impls, ref)
            impls = {key: (op, _by_reference(ref)) for key, (op, _) in impls.items()}
        outputs, _ = _evaluate(loaded, inputs, impls)
        return outputs


def compare(
    model: onnx.ModelProto | str | PathLike[str],
    op_packages: Sequence[str | Registered],
    inputs: Mapping[str, npt.ArrayLike],
    reference: Reference,
    *,
    isolate: bool = False,
    timeout: float | None = None,
) -> Comparison:
    """Run ``model`` with the packages, then with ``reference`` in their place, and compare."""
    with _Session(op_packages, isolate, timeout) as session:
        loaded = prepared(model)
        ref = load_reference(reference)
        impls = session.implementations(loaded)
        _check_reference(impls, ref)
        expected_impls = {key: (op, _by_reference(ref)) for key, (op, _) in impls.items()}
        outputs, nodes = _evaluate(loaded, inputs, impls)
        expected, expected_nodes = _evaluate(loaded, inputs, expected_impls)
    node_diffs = [
        _difference(label, op_type, tensor, got, want)
        for label, (op_type, results) in nodes.items()
        for tensor, got, want in _zip_named(results, expected_nodes.get(label, ("", {}))[1])
    ]
    output_diffs = [
        _difference(None, "", name, outputs[name], expected[name])
        for name in outputs
        if name in expected
    ]
    return Comparison(outputs, expected, tuple(node_diffs), tuple(output_diffs))


# ---- packages ------------------------------------------------------------------------------


class _Session:
    """The packages of one run: registered here (and closed on exit) or given registered."""

    def __init__(
        self, specs: Sequence[str | Registered], isolate: bool, timeout: float | None
    ) -> None:
        self._specs = specs
        self._isolate = isolate
        self._timeout = timeout
        self._owned: list[Registered] = []
        self.packages: list[Registered] = []

    def __enter__(self) -> _Session:
        from opgen.runtime.package import OpPackage

        try:
            for spec in self._specs:
                if isinstance(spec, str):
                    registered = OpPackage.register(
                        spec, isolate=self._isolate, timeout=self._timeout
                    )
                    self._owned.append(registered)
                else:
                    registered = spec
                self.packages.append(registered)
        except OpPackageError as exc:
            self._close()
            raise RunError(str(exc)) from None
        return self

    def __exit__(self, *exc: object) -> None:
        self._close()

    def _close(self) -> None:
        problems = []
        for package in reversed(self._owned):
            try:
                package.close()
            except OpPackageError as exc:
                problems.append(str(exc))
        self._owned.clear()
        if problems:
            raise RunError("; ".join(problems))

    def custom_nodes(self, model: onnx.ModelProto) -> list[tuple[CustomNode, Registered]]:
        """The model's custom nodes and the registered package that runs each."""
        import opgen
        from opgen.onnx.match import custom_nodes

        declared: list[opgen.Package] = []
        owner: dict[str, Registered] = {}
        for package in self.packages:
            name = package.info.package_name
            configs = package.config_paths
            if not configs:
                raise RunError(
                    f"op package {name} ({package.info.library}): no configs next to the library "
                    "(<package>/config/*.xml), so its ops' params and outputs are unknown"
                )
            try:
                loaded = opgen.load_packages(configs)
            except opgen.ConfigError as exc:
                first = str(exc).splitlines()[0] if str(exc) else "invalid"
                raise RunError(f"op package {name}: its configs do not load: {first}") from None
            for each in loaded:
                if each.name == name and name not in owner:
                    declared.append(each)
                    owner[name] = package
        return [(node, owner[node.package.name]) for node in custom_nodes(model, declared)]

    def implementations(
        self, model: onnx.ModelProto
    ) -> dict[tuple[str, str], tuple[OpDef, Implementation]]:
        """Per (domain, op_type) of the model's custom nodes: the declaration and what runs it."""
        impls: dict[tuple[str, str], tuple[OpDef, Implementation]] = {}
        for custom, package in self.custom_nodes(model):
            node = custom.node
            key = (node.domain, node.op_type)
            if key in impls:
                continue
            op = package.declaration(custom.op.name)
            if op is None or custom.op.name not in package.info.operations:
                raise RunError(
                    f"op package {package.info.package_name} declares {custom.op.name} "
                    f"but its {package.target} library does not provide it "
                    f"(it has: {', '.join(package.info.operations) or 'none'})",
                    node=custom.label,
                    op_type=node.op_type,
                )
            impls[key] = (op, _by_package(package, model))
        from opgen.onnx.match import node_label

        for index, node in enumerate(model.graph.node):
            key = (node.domain, node.op_type)
            if key in impls or _standard(node.domain):
                continue
            have = "; ".join(
                f"{p.info.package_name}: {', '.join(p.info.operations)}" for p in self.packages
            )
            raise RunError(
                f"no op package has op {node.op_type} (domain '{node.domain}'; packages: "
                f"{have or 'none given'})",
                node=node_label(node, index),
                op_type=node.op_type,
            )
        return impls


def _standard(domain: str) -> bool:
    return domain in ("", "ai.onnx", "ai.onnx.ml", "ai.onnx.preview", "ai.onnx.preview.training")


def _by_package(package: Registered, model: onnx.ModelProto) -> Implementation:
    declared_types = output_types(model)

    def execute(node: onnx.NodeProto, op: OpDef, arrays: list[Any]) -> list[Any]:
        from opgen.onnx.match import node_params
        from opgen.runtime import sizing

        params = node_params(node, op)
        names = output_names(op, len(node.output))
        try:
            plans = sizing.plan_outputs(op, arrays, params, names) or []
        except RuleError as exc:
            raise RunError(str(exc)) from None
        outputs: list[Any] | None = [] if plans else None
        for plan, tensor in zip(plans, node.output, strict=False):
            if isinstance(plan, sizing.OutputPlan):
                assert outputs is not None
                outputs.append((plan.shape, plan.datatype))
                continue
            known = declared_types.get(tensor)
            if known is None:
                raise RunError(
                    f"output '{plan.name}' ({tensor}) needs user code ({plan.reason}) and the "
                    "model gives it no static shape and type: annotate the model (value_info)"
                )
            assert outputs is not None
            outputs.append(known)
        try:
            values: Any = params  # node_params gives the ParamValue kinds execute takes
            return list(package.execute(op.name, arrays, values, outputs))
        except OpPackageError as exc:
            raise RunError(str(exc)) from None

    return execute


def _by_reference(reference: Mapping[str, Callable[..., Any]]) -> Implementation:
    def execute(node: onnx.NodeProto, op: OpDef, arrays: list[Any]) -> list[Any]:
        from opgen.onnx.match import node_params

        params = node_params(node, op) if op.params else {}
        return call_reference(reference, op.name, arrays, params, len(node.output))

    return execute


def _check_reference(
    impls: Mapping[tuple[str, str], tuple[OpDef, Implementation]],
    reference: Mapping[str, Callable[..., Any]],
) -> None:
    missing = sorted({op.name for op, _ in impls.values()} - set(reference))
    if missing:
        raise RunError(
            f"the reference has no function for {', '.join(missing)} "
            f"(it defines: {', '.join(sorted(reference)) or 'none'})"
        )


# ---- evaluation ----------------------------------------------------------------------------


def _evaluate(
    model: onnx.ModelProto,
    inputs: Mapping[str, npt.ArrayLike],
    impls: Mapping[tuple[str, str], tuple[OpDef, Implementation]],
) -> tuple[Arrays, dict[str, tuple[str, dict[str, npt.NDArray[Any]]]]]:
    """The model's outputs, and each custom node's type and outputs by its label."""
    from onnx.reference import ReferenceEvaluator

    from opgen.onnx.run_models import custom_op_class

    feeds = check_feeds(model, inputs)
    records: dict[str, tuple[str, dict[str, npt.NDArray[Any]]]] = {}
    node_labels = labels(model)
    classes = [
        custom_op_class(domain, op_type, op, impl, records, node_labels)
        for (domain, op_type), (op, impl) in impls.items()
    ]
    try:
        evaluator = ReferenceEvaluator(with_domains(model, impls), new_ops=classes)
        results = evaluator.run(None, feeds)
    except RunError:
        raise
    except EVALUATOR_ERRORS as exc:  # onnx.reference on a model it cannot run
        raise RunError(f"onnx.reference: {type(exc).__name__}: {_first_line(exc)}") from None
    names = [o.name for o in model.graph.output]
    return {n: np.asarray(r) for n, r in zip(names, results, strict=True)}, records


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else "failed"


# ---- differences ---------------------------------------------------------------------------


def _zip_named(
    got: Mapping[str, npt.NDArray[Any]], want: Mapping[str, npt.NDArray[Any]]
) -> list[tuple[str, npt.NDArray[Any], npt.NDArray[Any]]]:
    return [(name, array, want[name]) for name, array in got.items() if name in want]


def _difference(
    node: str | None, op_type: str, tensor: str, got: npt.NDArray[Any], want: npt.NDArray[Any]
) -> Difference:
    a, b = np.asarray(got), np.asarray(want)
    if a.shape != b.shape:
        return Difference(
            node, op_type, tensor, None, f"shape {list(a.shape)} vs reference {list(b.shape)}"
        )
    if a.size == 0:
        return Difference(node, op_type, tensor, 0.0)
    x, y = a.astype(np.float64), b.astype(np.float64)
    both_nan = np.isnan(x) & np.isnan(y)
    diff = np.where(both_nan, 0.0, np.abs(x - y))
    equal_inf = np.isinf(x) & (x == y)
    diff = np.where(equal_inf, 0.0, diff)
    return Difference(node, op_type, tensor, float(np.max(diff)))
