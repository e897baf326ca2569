"""The CPU backend's side of the op-package interface: global infrastructure, nodes, op impls.

    with CpuOpPackage.register("RtPkg/libs/x86_64-linux-clang/libRtPkg.so") as package:
        (out,) = package.execute("AddScaled", [a, b], {"offset": 2})
        with package.create("AddScaled", [a, b], {"offset": 2}) as op:  # reusable
            for _ in range(1000):
                op.execute()

``create`` validates the op config (validateOpConfig), builds a ``QnnCpuOpPackage_Node_t`` whose
tensors point at the numpy arrays, and calls createOpImpl; ``execute`` calls the opImpl's
``opImplFn(userData)``; ``free`` calls freeOpImpl. ``close`` frees what is left and terminates.
"""

from __future__ import annotations

import ctypes
import logging
import platform
import weakref
from collections.abc import Sequence
from os import PathLike
from typing import Any

import numpy as np
import numpy.typing as npt

from opgen.runtime import abi
from opgen.runtime.errors import OpPackageError
from opgen.runtime.executor import BoundOp, OpExecutor
from opgen.runtime.guard import GuardedOutput, check_all
from opgen.runtime.library import Interface
from opgen.runtime.opconfig import datatype_code, dimensions, scalar_value
from opgen.runtime.request import (
    OpRequest,
    Param,
    ScalarParam,
    Tensor,
)

_MsgType = abi.QnnCpuOpPackage_MsgType_t
MESSAGE_LEVELS = {
    _MsgType.QNN_CPU_MSG_ERROR: logging.ERROR,
    _MsgType.QNN_CPU_MSG_HIGH: logging.WARNING,
    _MsgType.QNN_CPU_MSG_MED: logging.INFO,
    _MsgType.QNN_CPU_MSG_LOW: logging.DEBUG,
    _MsgType.QNN_CPU_MSG_DEBUG: logging.DEBUG,
}

#: Where ``reportMessage(type, "%s", message)`` can be read by a three-argument callback.
VARARGS_IN_REGISTERS = platform.system() == "Linux" and platform.machine() in (
    "x86_64",
    "aarch64",
)

_ParamPointer = ctypes.POINTER(abi.QnnCpuOpPackage_Param_t)
_TensorPointer = ctypes.POINTER(abi.QnnCpuOpPackage_Tensor_t)
_DimsPointer = ctypes.POINTER(ctypes.c_uint32)


class _Infrastructure:
    """The ``QnnCpuOpPackage_GlobalInfra_t`` given to one library's init.

    A library stays loaded for the life of the process and may keep the pointer, so the
    structure and its callbacks do too (one per library, see ``_INFRASTRUCTURES``); the package
    object they report to is only weakly referenced.
    """

    def __init__(self) -> None:
        self.owner: weakref.ref[CpuOpPackage] | None = None
        self._report_callback = abi.QnnCpuOpPackage_ReportMessageStrFn_t(self._report_message)
        self._profile_callback = abi.QnnCpuOpPackage_ProfileFn_t(self._profile)
        self.struct = abi.QnnCpuOpPackage_GlobalInfra_t()
        self.struct.reportMessage = ctypes.cast(
            self._report_callback, abi.QnnCpuOpPackage_ReportMessageFn_t
        )
        self.struct.profile = self._profile_callback

    def _report_message(self, msg_type: int, fmt: bytes | None, argument: int | None) -> None:
        if fmt == b"%s" and argument and VARARGS_IN_REGISTERS:
            text = ctypes.string_at(argument)
        else:  # never format: the arguments cannot be read safely
            text = fmt or b""
        level = MESSAGE_LEVELS.get(msg_type, logging.WARNING)  # type: ignore[call-overload]
        message = text.decode("utf-8", "replace")
        owner = self.owner() if self.owner else None
        if owner is None:
            logging.getLogger("opgen.runtime").log(level, "%s", message)
        else:
            owner._report(level, message)

    def _profile(self, profile_type: int, milliseconds: float) -> None:
        owner = self.owner() if self.owner else None
        logger = owner._logger if owner else logging.getLogger("opgen.runtime")
        logger.debug("profile (type %d): %.3f ms", profile_type, milliseconds)


_INFRASTRUCTURES: dict[str, _Infrastructure] = {}


class CpuOpPackage(OpExecutor["CpuOp"]):
    """A CPU op package registered with the runtime."""

    target = "CPU"

    def __init__(
        self, interface: Interface, configs: Sequence[str | PathLike[str]] | None = None
    ) -> None:
        super().__init__(interface, configs)

    def init(self) -> None:
        infrastructure = _INFRASTRUCTURES.setdefault(self.interface.library, _Infrastructure())
        previous = infrastructure.owner
        infrastructure.owner = weakref.ref(self)
        try:
            super().init()
        except OpPackageError:
            infrastructure.owner = previous  # a still-registered sibling keeps its messages
            raise

    def _global_infrastructure(self) -> int | None:
        return ctypes.addressof(_INFRASTRUCTURES[self.interface.library].struct)

    def _new_op(self, request: OpRequest, node_name: str) -> CpuOp:
        return CpuOp(self, request, node_name)


class CpuOp(BoundOp):
    """An op created in a CPU package (an opImpl): execute it any number of times, then free it.

    Outputs are written into the same arrays on every execution; :attr:`outputs` holds them.
    ``execute`` may rebind inputs and outputs to new arrays of the same shapes and dtypes.
    The kernel writes into guarded buffers (see :mod:`.guard`), copied to :attr:`outputs` only
    when the guards show it wrote every output and nothing outside them.
    """

    def __init__(self, package: CpuOpPackage, request: OpRequest, node_name: str) -> None:
        super().__init__(package, request.op_type)
        self._package: CpuOpPackage = package
        self._keep: list[Any] = []
        self._inputs = [self._tensor(t) for t in request.inputs]
        self._guards = [GuardedOutput(t.array.shape, t.array.dtype) for t in request.outputs]
        self._outputs = [
            self._tensor(Tensor(g.body, t.datatype))
            for g, t in zip(self._guards, request.outputs, strict=True)
        ]
        self.outputs: tuple[npt.NDArray[Any], ...] = tuple(t.array for t in request.outputs)
        self._output_names = package.output_labels(request.op_type, len(request.outputs))
        self._input_arrays = [t.array for t in request.inputs]
        params = [self._param(p) for p in request.params]
        names = [node_name.encode(), package.name.encode(), request.op_type.encode()]
        self._keep.extend(names)
        self._node = abi.QnnCpuOpPackage_Node_t(
            names[0],
            names[1],
            names[2],
            len(params),
            self._pointers(params, _ParamPointer),
            len(self._inputs),
            self._pointers([c for c, _ in self._inputs], _TensorPointer),
            len(self._outputs),
            self._pointers([c for c, _ in self._outputs], _TensorPointer),
        )
        handle = ctypes.c_void_p()
        table = package.interface.table
        mark = package._message_count
        code = table.createOpImpl(None, ctypes.addressof(self._node), ctypes.byref(handle))
        if code != abi.QNN_SUCCESS:
            raise package._failure("createOpImpl", code, self.op_type, mark)
        if not handle.value:
            raise OpPackageError(
                "createOpImpl returned success but no opImpl (NULL)",
                package=package.name,
                op=self.op_type,
            )
        self._handle = handle.value
        impl = abi.QnnCpuOpPackage_OpImpl_t.from_address(handle.value)
        self._function = impl.opImplFn
        self._user_data = impl.userData
        if not self._function:
            self.free()
            raise OpPackageError(
                "createOpImpl returned an opImpl without opImplFn (NULL)",
                package=package.name,
                op=self.op_type,
            )

    def execute(
        self,
        inputs: Sequence[npt.ArrayLike] | None = None,
        outputs: Sequence[npt.NDArray[Any]] | None = None,
    ) -> list[npt.NDArray[Any]]:
        """Run the kernel once; returns the output arrays (the same ones each time)."""
        self._require_live()
        if inputs is not None:
            self._input_arrays = self._rebind(self._inputs, inputs, "input")
        if outputs is not None:
            self.outputs = tuple(self._checked(list(self.outputs), outputs, "output"))
        for guard in self._guards:
            guard.arm()
        mark = self._package._message_count
        code = self._function(self._user_data)
        if code != abi.QNN_SUCCESS:
            raise self._package._failure("execute", code, self.op_type, mark)
        check_all(self._guards, self._output_names, package=self._package.name, op=self.op_type)
        for guard, array in zip(self._guards, self.outputs, strict=True):
            np.copyto(array, guard.body)
        return list(self.outputs)

    # ---- building the node ---------------------------------------------------------------------

    def _tensor(self, tensor: Tensor) -> tuple[abi.QnnCpuOpPackage_Tensor_t, Tensor]:
        dims = ctypes.cast(dimensions(tensor, self._keep), _DimsPointer)
        raw = abi.QnnCpuOpPackage_Tensor_t(
            abi.QNN_TENSOR_DATA_FORMAT_FLAT_BUFFER,
            datatype_code(tensor.datatype),
            tensor.array.ndim,
            dims,
            dims,
            tensor.array.ctypes.data,
        )
        self._keep.extend((raw, tensor.array))
        return raw, tensor

    def _param(self, param: Param) -> abi.QnnCpuOpPackage_Param_t:
        raw = abi.QnnCpuOpPackage_Param_t()
        raw.name = param.name.encode()
        if isinstance(param, ScalarParam):
            raw.type = abi.QnnCpuOpPackage_ParamType_t.QNN_CPU_PARAMTYPE_SCALAR
            raw.scalarParam = float(scalar_value(param))
        else:
            raw.type = abi.QnnCpuOpPackage_ParamType_t.QNN_CPU_PARAMTYPE_TENSOR
            raw.tensorParam = ctypes.pointer(self._tensor(param.tensor)[0])
        self._keep.append(raw)
        return raw

    def _pointers(self, items: Sequence[Any], pointer_type: Any) -> Any:
        array = (pointer_type * max(len(items), 1))(*(ctypes.pointer(i) for i in items))
        self._keep.append(array)
        return ctypes.cast(array, ctypes.POINTER(pointer_type))

    def _rebind(
        self,
        bound: list[tuple[abi.QnnCpuOpPackage_Tensor_t, Tensor]],
        arrays: Sequence[Any],
        role: str,
    ) -> list[npt.NDArray[Any]]:
        new = self._checked([tensor.array for _, tensor in bound], arrays, role)
        for (raw, _), array in zip(bound, new, strict=True):
            raw.data = array.ctypes.data
        return new  # the caller keeps them: the node now points at them
