"""Running cases: each on a registered package (in a worker process) and on the reference.

:class:`PackageRunner` keeps one package registered in a worker (``OpPackage.register(...,
isolate=True)``, as ``opgen run`` does): a kernel that crashes or hangs fails its case, and the
next case registers the package again. :func:`run_case` runs one case both ways and compares;
a reference that cannot be called is a :class:`ReferenceModuleError` for the caller (every
case of the op would fail the same way), a package that fails is the case's failure.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy.typing as npt

from opgen.model import Backend, OpDef, Package
from opgen.optest.cases import Case
from opgen.optest.compare import Comparison, compare
from opgen.optest.values import Quant, output_quant
from opgen.runtime.errors import IsolationError, KernelCrashed, KernelTimeout, OpPackageError
from opgen.runtime.isolated import IsolatedOpPackage
from opgen.runtime.library import PackageSpec
from opgen.runtime.package import QUANTIZED_TARGETS, OpPackage
from opgen.runtime.reference import call_reference

Functions = Mapping[str, Callable[..., Any]]


@dataclass(frozen=True, eq=False)
class CaseResult:
    case: Case
    comparisons: tuple[Comparison, ...]
    error: str | None
    """The package's failure, when it failed (then nothing was compared)."""
    expected: tuple[npt.NDArray[Any], ...]
    got: tuple[npt.NDArray[Any], ...]
    output_quants: tuple[Quant | None, ...]

    @property
    def ok(self) -> bool:
        return self.error is None and all(c.ok for c in self.comparisons)

    def describe(self) -> str:
        if self.error is not None:
            return self.error
        return "; ".join(c.describe() for c in self.comparisons if not c.ok)


@dataclass(frozen=True, eq=False)
class OpReport:
    """One op on one package: its cases, skips, and an op-level error (the reference)."""

    package: str
    target: str
    op: str
    results: tuple[CaseResult, ...]
    skipped: tuple[str, ...] = ()
    variants: int = 0
    error: str | None = None

    @property
    def failed(self) -> tuple[CaseResult, ...]:
        return tuple(r for r in self.results if not r.ok)

    @property
    def ok(self) -> bool:
        return self.error is None and not self.failed

    @property
    def worst_abs(self) -> float:
        return max((c.worst_abs for r in self.results for c in r.comparisons), default=0.0)

    @property
    def worst_rel(self) -> float:
        return max((c.worst_rel for r in self.results for c in r.comparisons), default=0.0)


class PackageRunner:
    """One package spec, registered in a worker, registered again after a crash."""

    def __init__(self, spec: str, configs: Sequence[str], timeout: float | None) -> None:
        self.spec = PackageSpec.parse(spec)
        self._configs = list(configs)
        self._timeout = timeout
        self._package: IsolatedOpPackage | None = None
        self.package = self._register()
        # The target the runtime detected when the spec gives none: replay commands name it.
        self.spec = dataclasses.replace(self.spec, target=self.package.target)

    @property
    def target(self) -> str:
        assert self.spec.target is not None
        return self.spec.target

    @property
    def quantization(self) -> bool:
        """Whether the target takes a scale and offset per tensor."""
        return self.target in QUANTIZED_TARGETS

    def _register(self) -> IsolatedOpPackage:
        self._package = OpPackage.register(
            self.spec, configs=self._configs, isolate=True, timeout=self._timeout
        )
        return self._package

    def execute(self, case: Case, quant: dict[str, tuple[float, int]]) -> list[npt.NDArray[Any]]:
        package = self._package if self._package is not None else self._register()
        outputs: list[Any] = [(p.shape, p.datatype) for p in case.outputs]
        params: dict[str, Any] = dict(case.params.given)  # values of the kinds execute takes
        try:
            return package.execute(case.op, list(case.inputs), params, outputs, quant=quant or None)
        except (KernelCrashed, KernelTimeout, IsolationError):
            self.close()  # the worker is gone: the next case starts another
            raise

    def close(self) -> None:
        package, self._package = self._package, None
        if package is not None:
            # Closing a package whose worker died: nothing is left to do.
            with contextlib.suppress(OpPackageError):
                package.close()


def declared_ops(packages: Sequence[Package], name: str, target: str) -> tuple[OpDef, ...] | None:
    """The ops the configs declare for package ``name`` on ``target``; None when none declare
    that package."""
    package = next((p for p in packages if p.name == name), None)
    backend = next((b for b in Backend if b.value == target), None)
    if package is None or backend is None:
        return None
    return package.resolve(backend).ops


def run_case(runner: PackageRunner, case: Case, reference: Functions) -> CaseResult:
    """Raises ReferenceModuleError when the reference cannot give the expected outputs."""
    expected = tuple(
        call_reference(
            reference, case.op, case.reference_inputs(), case.params.reference, len(case.outputs)
        )
    )
    out_quants = tuple(
        output_quant(p.datatype, e) if p.datatype.is_fixed_point else None
        for p, e in zip(case.outputs, expected, strict=True)
    )
    quant = {f"in[{i}]": (q.scale, q.offset) for i, q in enumerate(case.quants) if q}
    quant.update({f"out[{i}]": (q.scale, q.offset) for i, q in enumerate(out_quants) if q})
    try:
        got = tuple(runner.execute(case, quant))
    except OpPackageError as exc:
        return CaseResult(case, (), " ".join(str(exc).split()), expected, (), out_quants)
    comparisons = tuple(
        compare(p.name, g, e, p.datatype, q)
        for p, g, e, q in zip(case.outputs, got, expected, out_quants, strict=True)
    )
    return CaseResult(case, comparisons, None, expected, got, out_quants)
