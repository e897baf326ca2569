"""Companion runtime: loads compiled op packages and plays the backend side of their C interface.

    >>> from opgen.runtime import register
    >>> with register("RtPkg/libs/x86_64-linux-clang/libRtPkg.so") as package:
    ...     (out,) = package.execute("AddScaled", [a, b], {"offset": 2})

``register`` takes ``LIB[:PROVIDER[:TARGET]]`` (the vendor tools' ``--op_packages`` syntax) and
returns the target's executor (:class:`~opgen.runtime.cpu.CpuOpPackage` for CPU,
:class:`~opgen.runtime.gpu.GpuOpPackage` for GPU: OpenCL through pyopencl, imported only when a
GPU package is registered; :class:`~opgen.runtime.htp.HtpOpPackage` for HTP packages built against
opgen's host emulation). Failures raise :class:`OpPackageError` naming the package, op, stage
and error code.

``register(..., isolate=True, timeout=SECONDS)`` runs the package in a worker process instead
(:class:`~opgen.runtime.isolated.IsolatedOpPackage`, same API): a crash, abort, ``exit()`` or
hang of a kernel raises :class:`KernelCrashed` / :class:`KernelTimeout` and this interpreter
lives on. Either way outputs are guarded (:mod:`opgen.runtime.guard`): a kernel that writes
outside an output raises :class:`OutputOverrun`, one that leaves it unwritten
:class:`OutputUnwritten`.
"""

from __future__ import annotations

from collections.abc import Sequence
from os import PathLike
from typing import TYPE_CHECKING, Literal, overload

from opgen.runtime.cpu import CpuOp, CpuOpPackage
from opgen.runtime.errors import (
    IsolationError,
    KernelCrashed,
    KernelTimeout,
    OpPackageError,
    OpRequestError,
    OutputCheckError,
    OutputOverrun,
    OutputUnwritten,
    PackageLoadError,
)
from opgen.runtime.gpu import GpuOp, GpuOpPackage
from opgen.runtime.info import PackageInfo
from opgen.runtime.isolated import IsolatedOpPackage
from opgen.runtime.library import PackageSpec
from opgen.runtime.opencl import DeviceInfo, KernelBuildError
from opgen.runtime.package import OpPackage

if TYPE_CHECKING:
    from opgen.runtime.htp import GraphStatusError, HtpOpPackage, Quant

#: Names of opgen.runtime.htp, imported when first used (commands that never run an HTP
#: package do not pay for it).
_HTP_NAMES = ("GraphStatusError", "HtpOpPackage", "Quant")

__all__ = [
    "CpuOp",
    "CpuOpPackage",
    "DeviceInfo",
    "GpuOp",
    "GpuOpPackage",
    "GraphStatusError",
    "HtpOpPackage",
    "IsolatedOpPackage",
    "IsolationError",
    "KernelBuildError",
    "KernelCrashed",
    "KernelTimeout",
    "OpPackage",
    "OpPackageError",
    "OpRequestError",
    "OutputCheckError",
    "OutputOverrun",
    "OutputUnwritten",
    "PackageInfo",
    "PackageLoadError",
    "PackageSpec",
    "Quant",
    "register",
]


@overload
def register(
    spec: str | PackageSpec,
    *,
    configs: Sequence[str | PathLike[str]] | None = None,
    isolate: Literal[False] = False,
    timeout: float | None = None,
) -> OpPackage: ...


@overload
def register(
    spec: str | PackageSpec,
    *,
    configs: Sequence[str | PathLike[str]] | None = None,
    isolate: Literal[True],
    timeout: float | None = None,
) -> IsolatedOpPackage: ...


@overload
def register(
    spec: str | PackageSpec,
    *,
    configs: Sequence[str | PathLike[str]] | None = None,
    isolate: bool,
    timeout: float | None = None,
) -> OpPackage | IsolatedOpPackage: ...


def register(
    spec: str | PackageSpec,
    *,
    configs: Sequence[str | PathLike[str]] | None = None,
    isolate: bool = False,
    timeout: float | None = None,
) -> OpPackage | IsolatedOpPackage:
    """Load and init an op package; see :meth:`OpPackage.register`."""
    return OpPackage.register(spec, configs=configs, isolate=isolate, timeout=timeout)


def __getattr__(name: str) -> object:
    if name in _HTP_NAMES:
        from opgen.runtime import htp

        return getattr(htp, name)
    raise AttributeError(f"module 'opgen.runtime' has no attribute '{name}'")
