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
"""

from __future__ import annotations

from collections.abc import Sequence
from os import PathLike
from typing import TYPE_CHECKING

from opgen.runtime.cpu import CpuOp, CpuOpPackage
from opgen.runtime.errors import OpPackageError, OpRequestError, PackageLoadError
from opgen.runtime.gpu import GpuOp, GpuOpPackage
from opgen.runtime.library import PackageSpec
from opgen.runtime.opencl import DeviceInfo, KernelBuildError
from opgen.runtime.package import OpPackage, PackageInfo

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
    "KernelBuildError",
    "OpPackage",
    "OpPackageError",
    "OpRequestError",
    "PackageInfo",
    "PackageLoadError",
    "PackageSpec",
    "Quant",
    "register",
]


def register(
    spec: str | PackageSpec, *, configs: Sequence[str | PathLike[str]] | None = None
) -> OpPackage:
    """Load and init an op package; see :meth:`OpPackage.register`."""
    return OpPackage.register(spec, configs=configs)


def __getattr__(name: str) -> object:
    if name in _HTP_NAMES:
        from opgen.runtime import htp

        return getattr(htp, name)
    raise AttributeError(f"module 'opgen.runtime' has no attribute '{name}'")
