"""A registered op package, whatever its target: init, getInfo, validateOpConfig, terminate.

:class:`OpPackage` holds what every target shares; a target's executor (``cpu.CpuOpPackage``,
``gpu.GpuOpPackage``, ``htp.HtpOpPackage``, ``dsp.DspOpPackage``) subclasses it with the global
infrastructure it passes to ``init`` and the way it creates and runs ops.
``OpPackage.register("libX.so:XInterfaceProvider:CPU")`` picks the executor from the target
through :data:`EXECUTORS`, which names the executor modules without importing them (an executor
imports this module, never the other way round).

Messages a package reports go to ``logging.getLogger("opgen.runtime.<package>")`` and are kept,
so an error can quote what the package said while the failing call ran.
"""

from __future__ import annotations

import ctypes
import importlib
import logging
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import replace
from os import PathLike
from types import TracebackType
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeVar, overload

import numpy.typing as npt

from opgen.model import OpDef
from opgen.runtime import abi
from opgen.runtime.declaration import declarations_for, find_configs
from opgen.runtime.errors import OpPackageError, OpRequestError, PackageLoadError, call_failed
from opgen.runtime.info import PackageInfo as PackageInfo  # re-exported
from opgen.runtime.library import Interface, PackageSpec, load_interface
from opgen.runtime.opconfig import build_op_config
from opgen.runtime.opencl import DeviceInfo
from opgen.runtime.request import (
    OpRequest,
    OutputRequest,
    ParamValue,
    build_request,
    output_names,
)
from opgen.runtime.target import a_target, detect_target, marker_conflict

if TYPE_CHECKING:
    from opgen.runtime.isolated import IsolatedOpPackage

# A library logs nowhere unless the application says where (messages still reach exceptions).
logging.getLogger("opgen.runtime").addHandler(logging.NullHandler())

#: The executor of each target the runtime can run: (module, class), imported on first use.
EXECUTORS: Mapping[str, tuple[str, str]] = {
    "CPU": ("opgen.runtime.cpu", "CpuOpPackage"),
    "GPU": ("opgen.runtime.gpu", "GpuOpPackage"),
    "HTP": ("opgen.runtime.htp", "HtpOpPackage"),
    "HTP_FP16": ("opgen.runtime.htp", "HtpFp16OpPackage"),
    "DSP": ("opgen.runtime.dsp", "DspOpPackage"),
}
HTP_TARGETS = ("HTP", "HTP_FP16")
#: Targets whose ops take quantization parameters per tensor (``execute(..., quant=...)``).
QUANTIZED_TARGETS = (*HTP_TARGETS, "DSP")
#: Targets the runtime can execute, and those it knows but cannot run yet.
SUPPORTED_TARGETS = tuple(EXECUTORS)
KNOWN_TARGETS = ("CPU", "GPU", "DSP", "HTP", "HTP_FP16")
#: The backend API major version a package of each target reports in getInfo's sdkApiVersion.
BACKEND_API_MAJOR = {
    "CPU": abi.QNN_CPU_API_VERSION_MAJOR,
    "GPU": abi.QNN_GPU_API_VERSION_MAJOR,
    "HTP": 5,  # QNN_HTP_API_VERSION_MAJOR (HTP/QnnHtpCommon.h)
    "HTP_FP16": 5,
    "DSP": 5,  # QNN_DSP_API_VERSION_MAJOR (DSP/QnnDspCommon.h)
}
#: getInfo claiming more operations than this is treated as corrupt.
MAX_OPERATIONS = 100_000

P = TypeVar("P", bound="OpPackage")


def executor_class(target: str) -> type[OpPackage]:
    """The OpPackage subclass that runs packages built for ``target``."""
    if target in EXECUTORS:
        module, name = EXECUTORS[target]
        executor: type[OpPackage] = getattr(importlib.import_module(module), name)
        return executor
    if target in KNOWN_TARGETS:
        raise PackageLoadError(
            f"target {target}: the runtime cannot run {target} op packages yet "
            f"(supported: {', '.join(SUPPORTED_TARGETS)})"
        )
    raise PackageLoadError(f"unknown target '{target}' (supported: {', '.join(SUPPORTED_TARGETS)})")


class OpPackage:
    """Base of the per-target executors. Use :meth:`register`, then :meth:`close` (or ``with``)."""

    target: ClassVar[str] = ""
    #: ``v1_4`` slots that must be non-NULL for this target.
    required_slots: ClassVar[tuple[str, ...]] = ("init", "terminate", "getInfo", "validateOpConfig")

    def __init__(
        self, interface: Interface, configs: Sequence[str | PathLike[str]] | None = None
    ) -> None:
        self.interface = interface
        self._configs = list(configs) if configs is not None else None
        self._name = interface.label
        self._logger = logging.getLogger(f"opgen.runtime.{self._name}")
        self._messages: deque[str] = deque(maxlen=64)
        self._message_count = 0
        self._registered = False
        self._info: PackageInfo | None = None
        self._declarations: dict[str, OpDef] | None = None

    @overload
    @classmethod
    def register(
        cls: type[P],
        spec: str | PackageSpec,
        *,
        configs: Sequence[str | PathLike[str]] | None = None,
        isolate: Literal[False] = False,
        timeout: float | None = None,
    ) -> P: ...

    @overload
    @classmethod
    def register(
        cls: type[P],
        spec: str | PackageSpec,
        *,
        configs: Sequence[str | PathLike[str]] | None = None,
        isolate: Literal[True],
        timeout: float | None = None,
    ) -> IsolatedOpPackage: ...

    @overload
    @classmethod
    def register(
        cls: type[P],
        spec: str | PackageSpec,
        *,
        configs: Sequence[str | PathLike[str]] | None = None,
        isolate: bool,
        timeout: float | None = None,
    ) -> P | IsolatedOpPackage: ...

    @classmethod
    def register(
        cls: type[P],
        spec: str | PackageSpec,
        *,
        configs: Sequence[str | PathLike[str]] | None = None,
        isolate: bool = False,
        timeout: float | None = None,
    ) -> P | IsolatedOpPackage:
        """Load ``LIB[:PROVIDER[:TARGET]]``, init it and read its info.

        ``configs`` names the OpDef configs that declare the ops; by default they are found next
        to a generated package's library (``<pkg>/config/*.xml``). Without a TARGET, the one the
        library was built for (see :mod:`.target`; a subclass registers its own). With
        ``isolate=True`` the library is loaded and run in a worker process (see
        :mod:`.isolated`): a crash, abort, ``exit()`` or (with ``timeout`` seconds) a hang of
        the package becomes an exception.
        """
        parsed = spec if isinstance(spec, PackageSpec) else PackageSpec.parse(spec)
        if parsed.target is None:  # the caller's class tells, or the library does
            target = cls.target or detect_target(parsed.library, parsed.provider, configs).target
            parsed = replace(parsed, target=target)
        assert parsed.target is not None
        conflict = marker_conflict(parsed.library, parsed.target)
        if conflict is not None:
            raise PackageLoadError(conflict)
        executor = executor_class(parsed.target)
        if not issubclass(executor, cls):
            raise PackageLoadError(f"{cls.__name__} cannot run {parsed.target} op packages")
        if isolate:
            from opgen.runtime.isolated import IsolatedOpPackage

            return IsolatedOpPackage.start(parsed, configs=configs, timeout=timeout)
        package = executor(load_interface(parsed, executor.required_slots), configs)
        package.init()
        return package

    # ---- lifecycle ---------------------------------------------------------------------------

    def init(self) -> None:
        """Call the package's init (again, after :meth:`close`), then getInfo."""
        if self._registered:
            return
        mark = self._message_count
        code = self.interface.table.init(self._global_infrastructure())
        if code != abi.QNN_SUCCESS:
            raise call_failed("init", code, package=self._name, log=self._since(mark))
        self._registered = True
        try:
            self._info = self._read_info()
            self._name = self._info.package_name
            self._logger = logging.getLogger(f"opgen.runtime.{self._name}")
            self._check_backend_api(self._info)
            if self._configs is not None:
                self._load_declarations()  # configs the user named must load: fail now
        except OpPackageError:
            self.close()
            raise

    def close(self) -> None:
        """Free the ops still alive and terminate the package (a no-op when not registered)."""
        if not self._registered:
            return
        self._free_all()
        mark = self._message_count
        self._registered = False
        code = self.interface.table.terminate()
        if code != abi.QNN_SUCCESS:
            raise call_failed("terminate", code, package=self._name, log=self._since(mark))

    def __enter__(self: P) -> P:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def registered(self) -> bool:
        return self._registered

    @property
    def info(self) -> PackageInfo:
        if self._info is None:
            raise PackageLoadError("the package was never registered", package=self._name)
        return self._info

    @property
    def name(self) -> str:
        return self._name

    @property
    def messages(self) -> tuple[str, ...]:
        """The most recent messages the package reported (oldest first)."""
        return tuple(self._messages)

    # ---- declarations and requests -----------------------------------------------------------

    @property
    def config_paths(self) -> list[str]:
        """The configs the declarations come from (explicit, or found next to the library)."""
        if self._configs is not None:
            return [str(c) for c in self._configs]
        return [str(c) for c in find_configs(self.interface.library)]

    def declaration(self, op_type: str) -> OpDef | None:
        """The op's declaration, when the package's configs are known."""
        return self._load_declarations().get(op_type)

    def _load_declarations(self) -> dict[str, OpDef]:
        if self._declarations is None:
            configs = self.config_paths
            explicit = self._configs is not None
            self._declarations = declarations_for(
                configs, self.info.library, self.info.package_name, self.target, explicit=explicit
            )
        return self._declarations

    def request(
        self,
        op_type: str,
        inputs: Sequence[npt.ArrayLike],
        params: Mapping[str, ParamValue] | None = None,
        outputs: Sequence[OutputRequest] | None = None,
        *,
        param_types: Mapping[str, Any] | None = None,
    ) -> OpRequest:
        """Check ``op_type`` against getInfo and bind the values (see :func:`build_request`)."""
        self._require_registered(op_type)
        return build_request(
            op_type,
            inputs,
            params,
            outputs,
            declaration=self.declaration(op_type),
            param_types=param_types,
            package=self._name,
            operations=self.info.operations,
        )

    def output_labels(self, op_type: str, count: int) -> list[str] | None:
        """The declared names of an op's ``count`` outputs (None when undeclared)."""
        declaration = self.declaration(op_type)
        return output_names(declaration, count) if declaration is not None else None

    def validate(self, request: OpRequest, node_name: str | None = None) -> None:
        """Run the package's validateOpConfig on the request; raises with its logged reason."""
        self._require_registered(request.op_type)
        built = build_op_config(request, self._name, node_name or f"{request.op_type}_0")
        mark = self._message_count
        code = self.interface.table.validateOpConfig(built.config)
        if code != abi.QNN_SUCCESS:
            raise self._failure("validateOpConfig", code, request.op_type, mark)

    def execute(
        self,
        op_type: str,
        inputs: Sequence[npt.ArrayLike],
        params: Mapping[str, ParamValue] | None = None,
        outputs: Sequence[OutputRequest] | None = None,
        *,
        param_types: Mapping[str, Any] | None = None,
    ) -> list[npt.NDArray[Any]]:
        """Run one op once and return its outputs (each executor implements it)."""
        raise NotImplementedError(f"{type(self).__name__} cannot execute ops")

    # ---- for executors -----------------------------------------------------------------------

    def device_info(self) -> DeviceInfo | None:
        """The device the executor runs kernels on (None for the CPU: the host itself)."""
        return None

    def describe(self) -> list[tuple[str, str]]:
        """Target-specific ``opgen info`` rows (label, text)."""
        return []

    def describe_json(self) -> dict[str, object]:
        """Target-specific ``opgen info --json`` entries."""
        return {}

    def _check_backend_api(self, info: PackageInfo) -> None:
        """A package built for another target would misread this executor's structures."""
        expected = BACKEND_API_MAJOR.get(self.target)
        if expected is None or info.backend_api_version is None:
            return
        major = info.backend_api_version[0]
        if major == expected:
            return
        version = ".".join(map(str, info.backend_api_version))
        other = next((t for t, m in BACKEND_API_MAJOR.items() if m == major), None)
        hint = (
            f": it is {a_target(other)} op package; register it as LIB::{other} (or as LIB alone: "
            "the runtime detects the target)"
            if other
            else ""
        )
        raise PackageLoadError(
            f"the package reports backend API {version}, not the {self.target} API "
            f"({expected}.x){hint}",
            package=self._name,
        )

    def _global_infrastructure(self) -> int | None:
        """Address of the target's global infrastructure for init (None passes NULL)."""
        return None

    def _free_all(self) -> None:
        """Free every op this executor created and has not freed (before terminate)."""

    def _require_registered(self, op_type: str | None = None) -> None:
        if not self._registered:
            raise OpRequestError(
                "the package is not registered (closed, or init failed)",
                package=self._name,
                op=op_type,
            )

    def _failure(self, stage: str, code: int, op: str | None, mark: int) -> OpPackageError:
        return call_failed(stage, code, package=self._name, op=op, log=self._since(mark))

    def _report(self, level: int, message: str) -> None:
        """A message from the package: kept for errors, and logged."""
        self._messages.append(message)
        self._message_count += 1
        self._logger.log(level, "%s", message)

    def _since(self, mark: int) -> list[str]:
        new = min(self._message_count - mark, len(self._messages))
        return list(self._messages)[len(self._messages) - new :] if new > 0 else []

    def _read_info(self) -> PackageInfo:
        pointer = ctypes.POINTER(abi.QnnOpPackage_Info_t)()
        mark = self._message_count
        code = self.interface.table.getInfo(ctypes.byref(pointer))
        if code != abi.QNN_SUCCESS:
            raise self._failure("getInfo", code, None, mark)
        if not pointer:
            raise PackageLoadError(
                "getInfo returned success but no info (NULL)", package=self._name
            )
        info = pointer.contents
        if not info.packageName:
            raise PackageLoadError("getInfo: the info has no package name", package=self._name)
        count = info.numOperations
        if count > MAX_OPERATIONS or (count and not info.operationNames):
            raise PackageLoadError(
                f"getInfo: the info claims {count} operation(s) but does not list them",
                package=self._name,
            )
        names = []
        for i in range(count):
            name = info.operationNames[i]
            if name is None:
                raise PackageLoadError(f"getInfo: operation name {i} is NULL", package=self._name)
            names.append(name.decode("utf-8", "replace"))
        api = info.sdkApiVersion.contents if info.sdkApiVersion else None
        opset = info.opsetVersion.contents if info.opsetVersion else None
        return PackageInfo(
            package_name=info.packageName.decode("utf-8", "replace"),
            operations=tuple(names),
            library=self.interface.library,
            interface_provider=self.interface.provider,
            interface_version=self.interface.version,
            target=self.target,
            sdk_build_id=info.sdkBuildId.decode("utf-8", "replace") if info.sdkBuildId else None,
            core_api_version=_version(api.coreApiVersion) if api else None,
            backend_api_version=_version(api.backendApiVersion) if api else None,
            opset_version=_version(opset) if opset else None,
        )


def _version(v: abi.Qnn_Version_t) -> tuple[int, int, int]:
    return (v.major, v.minor, v.patch)
