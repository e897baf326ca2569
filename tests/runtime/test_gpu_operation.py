"""Reading a QnnGpu_Operation_t (no OpenCL needed): what the runtime runs and what it refuses."""

from __future__ import annotations

import ctypes
import re
from typing import Any

import numpy as np
import pytest

from opgen.runtime import abi
from opgen.runtime.gpu_operation import (
    DataArg,
    LocalArg,
    TensorArg,
    UnsupportedOperation,
    read_operation,
)

ArgType = abi.QnnGpu_KernelArgType_t
ClType = abi.QnnGpu_DataKernelArgType_t
SOURCE = b"__kernel void k(__global float* x) { x[0] = 1.0f; }"


class Operation:
    """One kernel with the given arguments, in ctypes, kept alive for read_operation."""

    def __init__(self, args: list[abi.QnnGpu_KernelArg_t]) -> None:
        self.source = ctypes.create_string_buffer(SOURCE)
        self.kernel = abi.QnnGpu_Kernel_t()
        kernel = self.kernel
        kernel.kernelSource = ctypes.addressof(self.source)
        kernel.sourceLength = len(SOURCE)
        kernel.name = b"k"
        kernel.buildOptions = b"-DX=1"
        kernel.globalWorkDim = 2
        kernel.globalWorkSizes[:] = [5, 3, 99]
        self.args = args
        self.arg_pointers = (ctypes.POINTER(abi.QnnGpu_KernelArg_t) * (len(args) + 1))(
            *(ctypes.pointer(a) for a in args)
        )
        kernel.args = ctypes.cast(self.arg_pointers, ctypes.POINTER(type(self.arg_pointers[0])))
        self.kernels = (ctypes.POINTER(abi.QnnGpu_Kernel_t) * 2)(ctypes.pointer(kernel))
        self.claims = (ctypes.POINTER(abi.QnnGpu_OutputClaim_t) * 2)()
        self.struct = abi.QnnGpu_Operation_t()
        self.struct.kernels = ctypes.cast(self.kernels, ctypes.POINTER(type(self.kernels[0])))
        self.struct.outputClaims = ctypes.cast(self.claims, ctypes.POINTER(type(self.claims[0])))

    def read(self, inputs: int = 2, outputs: int = 1) -> Any:
        return read_operation(ctypes.addressof(self.struct), inputs, outputs)


def tensor(kind: int, index: int, config: int = 0, element: int = 0) -> abi.QnnGpu_KernelArg_t:
    arg = abi.QnnGpu_KernelArg_t()
    arg.type = kind
    arg.tensor.opConfigIndex, arg.tensor.tensorIndex, arg.tensor.element = config, index, element
    return arg


def data(cl_type: int, member: str, value: float) -> abi.QnnGpu_KernelArg_t:
    arg = abi.QnnGpu_KernelArg_t()
    arg.type = ArgType.QNN_GPU_KERNEL_ARG_TYPE_DATA
    arg.data.type = cl_type
    setattr(arg.data, member, value)
    return arg


def other(kind: int, size: int = 0) -> abi.QnnGpu_KernelArg_t:
    arg = abi.QnnGpu_KernelArg_t()
    arg.type = kind
    arg.local.size = size
    return arg


def test_a_kernel_is_read_in_full() -> None:
    op = Operation(
        [
            tensor(ArgType.QNN_GPU_KERNEL_ARG_TYPE_OP_INPUT_READ, 1),
            tensor(ArgType.QNN_GPU_KERNEL_ARG_TYPE_OP_INPUT_READWRITE, 0),
            tensor(ArgType.QNN_GPU_KERNEL_ARG_TYPE_OP_OUTPUT_WRITE, 0),
            data(ClType.QNN_GPU_KERNEL_ARG_CL_TYPE_USHORT, "qnnUShort", 7),
            data(ClType.QNN_GPU_KERNEL_ARG_CL_TYPE_DOUBLE, "qnnDouble", 0.5),
            other(ArgType.QNN_GPU_KERNEL_ARG_TYPE_LOCAL, 256),
            other(ArgType.QNN_GPU_KERNEL_ARG_TYPE_NULL_PTR),
        ]
    )
    (kernel,) = op.read()
    assert (kernel.name, kernel.source, kernel.build_options) == ("k", SOURCE.decode(), "-DX=1")
    assert kernel.global_size == (5, 3) and kernel.local_size is None and not kernel.empty
    ushort, double = kernel.args[3].value, kernel.args[4].value
    assert kernel.args[:3] == (TensorArg(False, 1), TensorArg(False, 0), TensorArg(True, 0))
    assert (ushort.dtype, int(ushort)) == (np.dtype(np.uint16), 7)
    assert (double.dtype, float(double)) == (np.dtype(np.float64), 0.5)
    assert isinstance(kernel.args[3], DataArg)
    assert kernel.args[5:] == (LocalArg(256), None)


def test_local_sizes_and_an_empty_launch() -> None:
    op = Operation([])
    op.kernel.localWorkDim = 2
    op.kernel.localWorkSizes[:] = [5, 1, 0]
    op.kernel.globalWorkSizes[1] = 0
    (kernel,) = op.read()
    assert kernel.local_size == (5, 1) and kernel.empty and kernel.args == ()


def test_a_nul_terminated_source_without_length() -> None:
    op = Operation([])
    op.kernel.sourceLength = 0
    assert op.read()[0].source == SOURCE.decode()


def _binary(op: Operation) -> None:
    op.kernel.sourceType = abi.QnnGpu_KernelSourceType_t.QNN_GPU_KERNEL_SOURCE_TYPE_BINARY


def _image_claim(op: Operation) -> None:
    memory = abi.QnnGpu_MemoryObject_t()
    memory.type = abi.QnnGpu_MemoryObjectType_t.QNN_GPU_MEM_OBJ_TYPE_IMAGE2D
    claim = abi.QnnGpu_OutputClaim_t(0, 0, ctypes.pointer(memory))
    op.args.append(claim)  # type: ignore[arg-type]  # kept alive
    op.claims[0] = ctypes.pointer(claim)


def _no_kernels(op: Operation) -> None:
    op.kernels[0] = None  # type: ignore[call-overload]


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (_binary, "source type QNN_GPU_KERNEL_SOURCE_TYPE_BINARY"),
        (lambda op: setattr(op.kernel, "name", None), "kernel 0 has no name"),
        (lambda op: setattr(op.kernel, "kernelSource", None), "kernel 0 ('k') has no source"),
        (lambda op: setattr(op.kernel, "globalWorkDim", 4), "4 global work dimensions (1 to 3)"),
        (lambda op: setattr(op.kernel, "localWorkDim", 1), "1 local and 2 global work dim"),
        (_image_claim, "asks for a QNN_GPU_MEM_OBJ_TYPE_IMAGE2D for output 0"),
        (_no_kernels, "the operation has no kernel"),
    ],
)
def test_what_the_runtime_refuses(change: Any, fragment: str) -> None:
    op = Operation([])
    change(op)
    with pytest.raises(UnsupportedOperation, match=re.escape(fragment)):
        op.read()


@pytest.mark.parametrize(
    ("arg", "fragment"),
    [
        (
            tensor(ArgType.QNN_GPU_KERNEL_ARG_TYPE_OP_OUTPUT_WRITE, 1),
            "names output 1 of op config 0",
        ),
        (tensor(ArgType.QNN_GPU_KERNEL_ARG_TYPE_OP_INPUT_READ, 0, config=1), "of op config 1"),
        (tensor(ArgType.QNN_GPU_KERNEL_ARG_TYPE_OP_INPUT_READ, 0, element=2), "element 2"),
        (tensor(ArgType.QNN_GPU_KERNEL_ARG_TYPE_INTERNAL_WRITE, 0), "INTERNAL_WRITE"),
        (other(99), "has an unknown argument type (99)"),
        (other(ArgType.QNN_GPU_KERNEL_ARG_TYPE_LOCAL, 0), "__local buffer of 0 bytes"),
        (data(77, "qnnInt", 1), "DATA of unknown CL type 77"),
    ],
)
def test_arguments_the_runtime_refuses(arg: abi.QnnGpu_KernelArg_t, fragment: str) -> None:
    with pytest.raises(UnsupportedOperation, match=re.escape(fragment)):
        Operation([arg]).read()
