"""OpenCL for the GPU executor: choosing the device, describing it, building kernel programs.

pyopencl is imported only when a GPU package is registered, so the CPU executor works without
it; when it is missing the error says ``pip install 'opgen[gpu]'`` (pyopencl, and pocl, an
OpenCL implementation that runs kernels on the host CPU).

The device is the first one OpenCL lists, unless the environment variable
``OPGEN_OPENCL_DEVICE`` names another: a case-insensitive substring of ``<platform> / <device>``
(e.g. ``OPGEN_OPENCL_DEVICE=adreno`` or ``OPGEN_OPENCL_DEVICE="portable computing"``). One
context, one in-order command queue and one cache of built programs (by source and build
options) per device serve every GPU package of the process.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from opgen.runtime import abi
from opgen.runtime.errors import OpPackageError, PackageLoadError

ENV_DEVICE = "OPGEN_OPENCL_DEVICE"
INSTALL_HINT = "pip install 'opgen[gpu]'"
#: An exception quotes at most this many characters of a build log (``build_log`` has it all).
MAX_QUOTED_LOG = 4000


class KernelBuildError(OpPackageError):
    """The OpenCL compiler refused a kernel's source; ``build_log`` is what it said."""

    def __init__(
        self, message: str, *, build_log: str, kernel: str, package: str | None, op: str | None
    ) -> None:
        self.build_log = build_log
        self.kernel = kernel
        super().__init__(message, package=package, op=op, stage="build")


def import_pyopencl() -> ModuleType:
    """pyopencl, or PackageLoadError saying how to install it."""
    try:
        import pyopencl
    except ImportError as exc:
        raise PackageLoadError(
            f"running GPU op packages needs pyopencl and an OpenCL implementation ({exc}): "
            f"{INSTALL_HINT}"
        ) from None
    return pyopencl


@dataclass(frozen=True)
class DeviceInfo:
    """What ``opgen info`` shows about the OpenCL device GPU packages run on."""

    name: str
    platform: str
    vendor: str
    version: str
    """The device's OpenCL version string, e.g. ``OpenCL 3.0 PoCL ...``."""
    opencl_c_version: str
    driver_version: str
    max_work_group_size: int
    max_mem_alloc_size: int
    mem_base_addr_align_bits: int
    image_support: bool
    image2d_max: tuple[int, int]
    image_max_array_size: int

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "platform": self.platform,
            "vendor": self.vendor,
            "opencl_version": self.version,
            "opencl_c_version": self.opencl_c_version,
            "driver_version": self.driver_version,
            "max_work_group_size": self.max_work_group_size,
            "max_mem_alloc_size": self.max_mem_alloc_size,
            "image_support": self.image_support,
        }

    def rows(self) -> list[tuple[str, str]]:
        return [
            ("OpenCL device", self.name),
            ("OpenCL platform", self.platform),
            ("OpenCL version", self.version),
            ("max workgroup size", str(self.max_work_group_size)),
        ]

    @property
    def version_numbers(self) -> tuple[int, int]:
        match = re.match(r"OpenCL (\d+)\.(\d+)", self.version)
        return (int(match[1]), int(match[2])) if match else (0, 0)


def _get(device: Any, attribute: str, default: Any) -> Any:
    try:
        return getattr(device, attribute)
    except Exception:  # an attribute the device or the OpenCL version does not have
        return default


def _describe(device: Any) -> DeviceInfo:
    images = bool(_get(device, "image_support", False))
    return DeviceInfo(
        name=str(device.name).strip(),
        platform=str(device.platform.name).strip(),
        vendor=str(_get(device, "vendor", "")).strip(),
        version=str(device.version).strip(),
        opencl_c_version=str(_get(device, "opencl_c_version", "")).strip(),
        driver_version=str(_get(device, "driver_version", "")).strip(),
        max_work_group_size=int(device.max_work_group_size),
        max_mem_alloc_size=int(device.max_mem_alloc_size),
        mem_base_addr_align_bits=int(_get(device, "mem_base_addr_align", 0)),
        image_support=images,
        image2d_max=(
            (int(device.image2d_max_width), int(device.image2d_max_height)) if images else (0, 0)
        ),
        image_max_array_size=int(_get(device, "image_max_array_size", 0)) if images else 0,
    )


class Device:
    """One OpenCL device with its context and in-order queue (see :func:`select_device`)."""

    def __init__(self, cl: ModuleType, device: Any) -> None:
        self.cl = cl
        self.device = device
        self.context = cl.Context(devices=[device])
        self.queue = cl.CommandQueue(self.context)
        self.info = _describe(device)
        self._programs: dict[tuple[str, str], Any] = {}
        self._idle_kernels: dict[tuple[str, str, str], list[Any]] = {}

    def program(
        self,
        source: str,
        options: str,
        kernel: str,
        *,
        package: str | None,
        op: str | None,
        source_name: str | None = None,
    ) -> Any:
        """The built program of ``source`` with ``options``: built once per device, then
        shared by every op and package that runs the same source (failures are not kept).
        ``source_name`` is what build errors call the source (see :func:`name_source`)."""
        key = (source, options)
        if key not in self._programs:
            self._programs[key] = self.build(
                source, options, kernel, package=package, op=op, source_name=source_name
            )
        return self._programs[key]

    def kernel(self, key: tuple[str, str, str], program: Any) -> Any:
        """A kernel object for function ``key[2]`` of ``program`` (built from source
        ``key[0]`` with options ``key[1]``): an idle one when there is one (creating one costs
        more than a small launch). The caller sets every argument, and returns it with
        :meth:`release` when done."""
        idle = self._idle_kernels.get(key)
        return idle.pop() if idle else self.cl.Kernel(program, key[2])

    def release(self, key: tuple[str, str, str], kernel: Any) -> None:
        self._idle_kernels.setdefault(key, []).append(kernel)

    def fill_properties(self, props: abi.QnnGpu_DeviceProperties_t) -> None:
        """``QnnGpu_DeviceProperties_t`` from the device. ``baseAddrAlignment`` is in bytes
        (OpenCL reports bits); ``tierName`` is empty (Adreno tiers only); ``compilerVersion``
        holds the first four numbers of the driver version."""
        info = self.info
        props.deviceVersion = info.version.encode("utf-8", "replace")[:127]
        props.interfaceVersion[0], props.interfaceVersion[1] = info.version_numbers
        props.tierName = b""
        numbers = [int(n) for n in re.findall(r"\d+", info.driver_version)[:4]]
        for i in range(4):
            props.compilerVersion[i] = numbers[i] & 0xFFFFFFFF if i < len(numbers) else 0
        props.maxWorkGroupSize = info.max_work_group_size
        props.image2dMaxWidth, props.image2dMaxHeight = info.image2d_max
        props.maxBufferAllocSize = info.max_mem_alloc_size
        props.baseAddrAlignment = info.mem_base_addr_align_bits // 8
        props.image2dArrayMaxWidth, props.image2dArrayMaxHeight = info.image2d_max
        props.image2dArrayMaxDepth = info.image_max_array_size

    def build(
        self,
        source: str,
        options: str,
        kernel: str,
        *,
        package: str | None,
        op: str | None,
        source_name: str | None = None,
    ) -> Any:
        """Compile ``source`` with ``options``; KernelBuildError carries the build log (with
        the compiler's name for the source replaced by ``source_name``, when given)."""
        cl = self.cl
        program = cl.Program(self.context, source)
        # pyopencl warns when a successful build logs anything, and some compilers also print
        # their diagnostics on the process's stderr: the build log has them, so both are muted.
        with warnings.catch_warnings(), _native_stderr_muted():
            warnings.simplefilter("ignore")
            try:
                return program.build(options=options)
            except cl.Error as exc:
                log = _build_log(cl, program, self.device) or str(exc)
        if source_name is not None:
            log = name_source(log, source_name)
        quoted = log.strip()
        if len(quoted) > MAX_QUOTED_LOG:
            quoted = quoted[:MAX_QUOTED_LOG] + " [...]"
        with_options = f" with options '{options}'" if options else ""
        raise KernelBuildError(
            f"kernel '{kernel}' does not build{with_options} on {self.info.name}; "
            f"build log: {quoted}",
            build_log=log,
            kernel=kernel,
            package=package,
            op=op,
        )


@contextlib.contextmanager
def _native_stderr_muted() -> Iterator[None]:
    """File descriptor 2 goes to /dev/null for the duration (not Python's sys.stderr only)."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no usable descriptor 2: nothing to mute
        yield
        return
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


# Where a compiler's diagnostic names the source it was given: pocl writes it to a temporary
# file (`/tmp/pocl.../x.cl`, `~/.cache/pocl/kcache/tempfile_X.cl`), others say `<kernel>`
# or `<source>`. Optionally preceded by the level, as pocl does (`error: FILE:L:C: text`).
_LOCATION = re.compile(
    r"^(?P<level>(?:fatal )?error: |warning: |note: )?"
    r"(?P<file>[^\s:]+\.cl|<kernel>|<source>|<stdin>|<input>)"
    r":(?P<line>\d+)(?::(?P<col>\d+))?:[ ]?",
    re.MULTILINE,
)


def name_source(log: str, name: str) -> str:
    """``log`` with each ``FILE:LINE[:COL]:`` naming the compiled source renamed ``name``, in
    gcc's order (``name:LINE:COL: error: ...``). The runtime compiles the source text exactly
    as the package gives it (nothing prepended), so the lines are those of the user's file."""

    def rename(m: re.Match[str]) -> str:
        where = f"{name}:{m['line']}" + (f":{m['col']}" if m["col"] else "")
        return f"{where}: {m['level'] or ''}"

    return _LOCATION.sub(rename, log)


def _build_log(cl: ModuleType, program: Any, device: Any) -> str:
    try:
        return str(program.get_build_info(device, cl.program_build_info.LOG))
    except cl.Error:
        return ""


_DEVICES: dict[tuple[str, str], Device] = {}


def select_device(selector: str | None = None) -> Device:
    """The device ``selector`` (default: ``$OPGEN_OPENCL_DEVICE``) names, or the first one."""
    cl = import_pyopencl()
    wanted = (os.environ.get(ENV_DEVICE, "") if selector is None else selector).strip()
    try:
        candidates = [(p, d) for p in cl.get_platforms() for d in p.get_devices()]
    except cl.Error as exc:
        raise PackageLoadError(
            f"no OpenCL platform is usable ({exc}); {INSTALL_HINT} installs pocl, which runs "
            "kernels on the CPU"
        ) from None
    if not candidates:
        raise PackageLoadError(f"OpenCL lists no device; {INSTALL_HINT} installs pocl")
    labels = [f"{p.name.strip()} / {d.name.strip()}" for p, d in candidates]
    chosen = next((i for i, label in enumerate(labels) if wanted.lower() in label.lower()), None)
    if chosen is None:
        raise PackageLoadError(
            f"{ENV_DEVICE}='{wanted}' matches no OpenCL device (devices: {'; '.join(labels)})"
        )
    key = (labels[chosen], str(chosen))
    if key not in _DEVICES:
        try:
            _DEVICES[key] = Device(cl, candidates[chosen][1])
        except cl.Error as exc:
            raise PackageLoadError(f"cannot use OpenCL device {labels[chosen]}: {exc}") from None
    return _DEVICES[key]
