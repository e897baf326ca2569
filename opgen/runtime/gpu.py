"""The GPU (OpenCL) backend's side of the op-package interface, on any OpenCL device.

    with GpuOpPackage.register("Pkg/libs/x86_64-linux-clang/libPkg.so::GPU") as package:
        (out,) = package.execute("Swish", [x], {"beta": 2.0})
        with package.create("Swish", [x]) as op:  # reusable: kernels built once
            for _ in range(100):
                op.execute()

``init`` receives a ``QnnGpuOpPackage_GlobalInfrastructure_t`` whose device properties come from
the OpenCL device in use: the first one, or the one ``OPGEN_OPENCL_DEVICE`` names (a
case-insensitive substring of ``<platform> / <device>``; see :mod:`.opencl`). ``create``
validates the op config (validateOpConfig), wraps it in a ``QnnGpuOpPackage_Node_t`` and calls
createOpImpl (FP32 precision); it then builds each kernel of the returned ``QnnGpu_Operation_t``
(programs are cached per device by source and build options) and binds its arguments to device
buffers. ``execute`` copies the inputs to the device, enqueues the kernels in order with their
work sizes and reads the outputs back; ``free`` calls freeOpImpl.

What the package logs arrives through ``logInitialize`` (formatted with the C library where the
``va_list`` can be passed on: Linux x86_64 and aarch64); a failing call also quotes the package's
``<Package>_opgenLastError()`` when it exports one. Needs pyopencl: ``pip install 'opgen[gpu]'``.
"""

from __future__ import annotations

import contextlib
import ctypes
import weakref
from collections.abc import Sequence
from os import PathLike
from typing import Any

import numpy as np
import numpy.typing as npt

from opgen.runtime import abi
from opgen.runtime.errors import OpPackageError, OpRequestError
from opgen.runtime.executor import BoundOp, OpExecutor
from opgen.runtime.gpu_infra import INFRASTRUCTURES, Infrastructure
from opgen.runtime.gpu_operation import (
    DataArg,
    KernelLaunch,
    LocalArg,
    TensorArg,
    UnsupportedOperation,
    read_operation,
)
from opgen.runtime.guard import GuardedOutput, check_all
from opgen.runtime.library import Interface
from opgen.runtime.opconfig import build_op_config
from opgen.runtime.opencl import Device, DeviceInfo, select_device
from opgen.runtime.request import OpRequest

#: Canary bytes on each side of a GPU output (at least; rounded up to the base alignment).
GPU_GUARD_BYTES = 256

_OpConfigPointer = ctypes.POINTER(abi.Qnn_OpConfig_t)
_StoragePointer = ctypes.POINTER(abi.QnnGpu_TensorStorageType_t)


class GpuOpPackage(OpExecutor["GpuOp"]):
    """A GPU op package registered with the runtime; its kernels run on :attr:`device`."""

    target = "GPU"

    def __init__(
        self, interface: Interface, configs: Sequence[str | PathLike[str]] | None = None
    ) -> None:
        super().__init__(interface, configs)
        self.device: Device = select_device()

    def init(self) -> None:
        infrastructure = INFRASTRUCTURES.setdefault(self.interface.library, Infrastructure())
        self.device.fill_properties(infrastructure.properties)
        previous = infrastructure.owner
        infrastructure.owner = weakref.ref(self)
        table = self.interface.table
        if table.logInitialize:
            table.logInitialize(infrastructure.log_callback, abi.QnnLog_Level_t.QNN_LOG_LEVEL_DEBUG)
        try:
            super().init()
        except OpPackageError:
            infrastructure.owner = previous
            self._log_terminate()
            raise

    def close(self) -> None:
        was_registered = self.registered
        try:
            super().close()
        finally:
            if was_registered:
                self._log_terminate()

    def _log_terminate(self) -> None:
        """Remove the log callback logInitialize installed: the library outlives this object
        (and may be registered next as another target, whose messages must not end up here)."""
        table = self.interface.table
        if table.logTerminate:
            table.logTerminate()

    def _global_infrastructure(self) -> int | None:
        return ctypes.addressof(INFRASTRUCTURES[self.interface.library].struct)

    def device_info(self) -> DeviceInfo:
        return self.device.info

    def _new_op(self, request: OpRequest, node_name: str) -> GpuOp:
        return GpuOp(self, request, node_name)

    def last_error(self) -> str:
        """``<Package>_opgenLastError()``: why the last failing call failed ("" if unknown)."""
        try:
            function = getattr(self.interface.handle, f"{self.name}_opgenLastError")
        except AttributeError:  # not an opgen package (or not named as its getInfo says)
            return ""
        function.argtypes, function.restype = [], ctypes.c_char_p
        text = function()
        return text.decode("utf-8", "replace") if isinstance(text, bytes) else ""

    def _failure(self, stage: str, code: int, op: str | None, mark: int) -> OpPackageError:
        error = super()._failure(stage, code, op, mark)
        last = self.last_error()
        if last and not any(last in message for message in error.log):
            error = type(error)(
                error.message,
                package=error.package,
                op=error.op,
                stage=error.stage,
                code=error.code,
                log=(*error.log, last),
            )
        return error


class GpuOp(BoundOp):
    """An op created in a GPU package, its kernels built and bound: execute it any number of
    times, then free it.

    Outputs are read back into the same arrays on every execution (:attr:`outputs`); inputs are
    copied to the device on every execution, so changes to them are seen. ``execute`` may
    rebind inputs and outputs to new arrays of the same shapes and dtypes.
    """

    def __init__(self, package: GpuOpPackage, request: OpRequest, node_name: str) -> None:
        super().__init__(package, request.op_type)
        self._package: GpuOpPackage = package
        self._cl_kernels: list[tuple[tuple[str, str, str], Any]] = []
        self._inputs = [t.array for t in request.inputs]
        self.outputs: tuple[npt.NDArray[Any], ...] = tuple(t.array for t in request.outputs)
        built = build_op_config(request, package.name, node_name)
        configs = (_OpConfigPointer * 2)(ctypes.pointer(built.config))  # then NULL
        storage = (_StoragePointer * 1)()  # NULL-terminated and empty
        node = abi.QnnGpuOpPackage_Node_t(
            0,
            ctypes.cast(configs, ctypes.POINTER(_OpConfigPointer)),
            ctypes.cast(storage, ctypes.POINTER(_StoragePointer)),
        )
        graph = abi.QnnGpuOpPackage_GraphInfrastructure_t(
            abi.QnnGpu_Precision_t.QNN_GPU_PRECISION_FP32
        )
        handle = ctypes.c_void_p()
        mark = package._message_count
        code = package.interface.table.createOpImpl(
            ctypes.addressof(graph), ctypes.addressof(node), ctypes.byref(handle)
        )
        self._keep = (built, configs, storage, node, graph)  # a package may keep pointers
        if code != abi.QNN_SUCCESS:
            raise package._failure("createOpImpl", code, self.op_type, mark)
        if not handle.value:
            raise self._error("createOpImpl returned success but no operation (NULL)")
        self._handle = handle.value
        try:
            self.kernels = read_operation(handle.value, len(self._inputs), len(self.outputs))
            self._bind()
        except UnsupportedOperation as exc:
            self.free()
            message = f"createOpImpl returned an operation the runtime cannot run: {exc}"
            raise self._error(message) from None
        except BaseException:
            self.free()
            raise

    # ---- running ---------------------------------------------------------------------------

    def execute(
        self,
        inputs: Sequence[npt.ArrayLike] | None = None,
        outputs: Sequence[npt.NDArray[Any]] | None = None,
    ) -> list[npt.NDArray[Any]]:
        """Copy the inputs in, run the kernels in order, read the outputs back; returns them."""
        self._require_live()
        if inputs is not None:
            self._inputs = self._checked(self._inputs, inputs, "input")
        if outputs is not None:
            self.outputs = tuple(self._checked(self.outputs, outputs, "output"))
        device = self._package.device
        cl, queue = device.cl, device.queue
        current = ""
        try:
            for array, buffer in zip(self._inputs, self._input_buffers, strict=True):
                if array.nbytes:
                    cl.enqueue_copy(queue, buffer, array, is_blocking=False)
            for guard, whole in self._guards:
                guard.arm()
                cl.enqueue_copy(queue, whole, guard.raw, is_blocking=False)
            for launch, (_, kernel) in zip(self.kernels, self._cl_kernels, strict=True):
                current = f"kernel '{launch.name}': "
                if not launch.empty:
                    cl.enqueue_nd_range_kernel(queue, kernel, launch.global_size, launch.local_size)
            current = ""
            for guard, whole in self._guards:
                cl.enqueue_copy(queue, guard.raw, whole, is_blocking=False)
            queue.finish()
        except cl.Error as exc:
            _finish_quietly(cl, queue)
            raise self._error(f"{current}OpenCL failed: {exc}", stage="execute") from None
        guards = [guard for guard, _ in self._guards]
        check_all(guards, self._output_names, package=self._package.name, op=self.op_type)
        for array, guard in zip(self.outputs, guards, strict=True):
            np.copyto(array, guard.body)
        return list(self.outputs)

    def free(self) -> None:
        """freeOpImpl (and release the kernels); further executions raise. Safe to call twice."""
        kernels, self._cl_kernels = self._cl_kernels, []
        for key, kernel in kernels:
            self._package.device.release(key, kernel)
        super().free()

    # ---- building and binding ----------------------------------------------------------------

    def _bind(self) -> None:
        device = self._package.device
        cl = device.cl
        limit = device.info.max_mem_alloc_size
        for array in (*self._inputs, *self.outputs):
            if array.nbytes > limit:
                raise OpRequestError(
                    f"a tensor of {array.nbytes} bytes exceeds the device's largest buffer "
                    f"({limit} bytes)",
                    package=self._package.name,
                    op=self.op_type,
                )
        flags = cl.mem_flags.READ_WRITE
        try:
            self._input_buffers = [
                cl.Buffer(device.context, flags, size=max(a.nbytes, 1)) for a in self._inputs
            ]
            # Each output is a sub-buffer in the middle of a guarded buffer (see .guard); the
            # guard is a multiple of the device's base address alignment, as sub-buffers need.
            align = max(device.info.mem_base_addr_align_bits // 8, 1)
            guard_bytes = -(-GPU_GUARD_BYTES // align) * align
            self._guards: list[tuple[GuardedOutput, Any]] = []
            self._output_names = self._package.output_labels(self.op_type, len(self.outputs))
            self._output_buffers = []
            for array in self.outputs:
                guard = GuardedOutput(array.shape, array.dtype, guard_bytes)
                whole = cl.Buffer(device.context, flags, size=guard.raw.nbytes)
                self._guards.append((guard, whole))
                body = whole.get_sub_region(guard_bytes, max(array.nbytes, 1))
                self._output_buffers.append(body)
        except cl.Error as exc:
            raise self._error(f"cannot allocate device buffers: {exc}") from None
        for launch in self.kernels:
            self._kernel(launch)

    def _kernel(self, launch: KernelLaunch) -> None:
        device = self._package.device
        cl = device.cl
        program = device.program(
            launch.source,
            launch.build_options,
            launch.name,
            package=self._package.name,
            op=self.op_type,
            # A generated package embeds src/ops/<Op>.cl as the op's source text.
            source_name=f"src/ops/{self.op_type}.cl",
        )
        label = f"kernel '{launch.name}'"
        key = (launch.source, launch.build_options, launch.name)
        try:
            kernel = device.kernel(key, program)
        except cl.Error as exc:
            raise self._error(f"{label} is not in its program: {exc}", stage="build") from None
        self._cl_kernels.append((key, kernel))
        expected = kernel.num_args
        if expected != len(launch.args):
            raise self._error(
                f"{label} takes {expected} argument(s), the operation binds {len(launch.args)}"
            )
        for i, arg in enumerate(launch.args):
            value: Any
            if isinstance(arg, TensorArg):
                buffers = self._output_buffers if arg.output else self._input_buffers
                value = buffers[arg.index]
            elif isinstance(arg, DataArg):
                value = arg.value
            elif isinstance(arg, LocalArg):
                value = cl.LocalMemory(arg.size)
            else:
                value = None
            try:
                kernel.set_arg(i, value)
            except cl.Error as exc:
                raise self._error(f"{label} argument {i} ({_describe(arg)}): {exc}") from None

    def _error(self, message: str, stage: str = "createOpImpl") -> OpPackageError:
        return OpPackageError(message, package=self._package.name, op=self.op_type, stage=stage)


def _describe(arg: Any) -> str:
    if isinstance(arg, TensorArg):
        return f"{'output' if arg.output else 'input'} {arg.index}"
    if isinstance(arg, DataArg):
        return f"{arg.value.dtype} {arg.value}"
    if isinstance(arg, LocalArg):
        return f"__local {arg.size} bytes"
    return "NULL"


def _finish_quietly(cl: Any, queue: Any) -> None:
    with contextlib.suppress(cl.Error):
        queue.finish()
