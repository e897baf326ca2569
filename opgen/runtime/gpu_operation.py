"""Reading the ``QnnGpu_Operation_t`` a GPU package's createOpImpl returns, as plain data.

:func:`read_operation` copies out every kernel (source text, name, build options, work sizes,
arguments) and checks what the runtime can run: TEXT sources; tensor arguments that name an
input or output of the node's one op config; DATA, LOCAL and NULL_PTR arguments; output claims
of plain buffers. Anything else raises :class:`UnsupportedOperation` with the reason, before a
kernel is built or run.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from typing import Any

import numpy as np

from opgen.runtime import abi

_ArgType = abi.QnnGpu_KernelArgType_t
_ClType = abi.QnnGpu_DataKernelArgType_t
_MemType = abi.QnnGpu_MemoryObjectType_t

#: A NULL-terminated array longer than this is treated as corrupt.
MAX_ENTRIES = 4096

#: CL type of a DATA argument -> (numpy type, member of the union holding the value).
DATA_TYPES: dict[int, tuple[type[np.generic], str]] = {
    _ClType.QNN_GPU_KERNEL_ARG_CL_TYPE_CHAR: (np.int8, "qnnChar"),
    _ClType.QNN_GPU_KERNEL_ARG_CL_TYPE_UCHAR: (np.uint8, "qnnUChar"),
    _ClType.QNN_GPU_KERNEL_ARG_CL_TYPE_SHORT: (np.int16, "qnnShort"),
    _ClType.QNN_GPU_KERNEL_ARG_CL_TYPE_USHORT: (np.uint16, "qnnUShort"),
    _ClType.QNN_GPU_KERNEL_ARG_CL_TYPE_INT: (np.int32, "qnnInt"),
    _ClType.QNN_GPU_KERNEL_ARG_CL_TYPE_UINT: (np.uint32, "qnnUInt"),
    _ClType.QNN_GPU_KERNEL_ARG_CL_TYPE_LONG: (np.int64, "qnnLong"),
    _ClType.QNN_GPU_KERNEL_ARG_CL_TYPE_ULONG: (np.uint64, "qnnULong"),
    _ClType.QNN_GPU_KERNEL_ARG_CL_TYPE_FLOAT: (np.float32, "qnnFloat"),
    _ClType.QNN_GPU_KERNEL_ARG_CL_TYPE_DOUBLE: (np.float64, "qnnDouble"),
}


class UnsupportedOperation(Exception):
    """The operation asks for something the runtime cannot do (or is malformed)."""


@dataclass(frozen=True)
class TensorArg:
    """The buffer of input or output ``index`` of the node."""

    output: bool
    index: int


@dataclass(frozen=True)
class DataArg:
    value: np.generic


@dataclass(frozen=True)
class LocalArg:
    size: int


#: None is a NULL_PTR argument.
KernelArg = TensorArg | DataArg | LocalArg | None


@dataclass(frozen=True)
class KernelLaunch:
    name: str
    source: str
    build_options: str
    global_size: tuple[int, ...]
    local_size: tuple[int, ...] | None
    """None: OpenCL chooses the work-group size."""
    args: tuple[KernelArg, ...]

    @property
    def empty(self) -> bool:
        """No work item to run (a global size of 0)."""
        return 0 in self.global_size


def read_operation(address: int, num_inputs: int, num_outputs: int) -> list[KernelLaunch]:
    """The kernels of the ``QnnGpu_Operation_t`` at ``address``, in launch order."""
    operation = abi.QnnGpu_Operation_t.from_address(address)
    for i, claim in enumerate(_entries(operation.outputClaims, "output claim")):
        _check_claim(i, claim, num_outputs)
    kernels = [
        _read_kernel(i, kernel, num_inputs, num_outputs)
        for i, kernel in enumerate(_entries(operation.kernels, "kernel"))
    ]
    if not kernels:
        raise UnsupportedOperation("the operation has no kernel")
    return kernels


def _entries(array: Any, what: str) -> list[Any]:
    """The structures a NULL-terminated array of pointers (NULL itself: none) points at."""
    if not array:
        return []
    found: list[Any] = []
    for i in range(MAX_ENTRIES + 1):
        if not array[i]:
            return found
        found.append(array[i].contents)
    raise UnsupportedOperation(f"the {what} array is not NULL-terminated (over {MAX_ENTRIES})")


def _check_claim(index: int, claim: abi.QnnGpu_OutputClaim_t, num_outputs: int) -> None:
    if claim.opConfigIndex != 0 or claim.outputIndex >= num_outputs:
        raise UnsupportedOperation(
            f"output claim {index} names output {claim.outputIndex} of op config "
            f"{claim.opConfigIndex}; the node has one op config with {num_outputs} output(s)"
        )
    buffer = _MemType.QNN_GPU_MEM_OBJ_TYPE_BUFFER
    kind = claim.memoryObject.contents.type if claim.memoryObject else buffer
    if kind != buffer:
        raise UnsupportedOperation(
            f"output claim {index} asks for a {_name(_MemType, kind)} for output "
            f"{claim.outputIndex}; the runtime stores tensors as buffers only"
        )


def _read_kernel(
    index: int, kernel: abi.QnnGpu_Kernel_t, num_inputs: int, num_outputs: int
) -> KernelLaunch:
    name = kernel.name.decode("utf-8", "replace") if kernel.name else None
    label = f"kernel {index}" + (f" ('{name}')" if name else "")
    if kernel.sourceType != abi.QnnGpu_KernelSourceType_t.QNN_GPU_KERNEL_SOURCE_TYPE_TEXT:
        raise UnsupportedOperation(
            f"{label} has source type {_name(abi.QnnGpu_KernelSourceType_t, kernel.sourceType)}; "
            "the runtime builds OpenCL C source text (TEXT) only"
        )
    if not name:
        raise UnsupportedOperation(f"{label} has no name (NULL or empty)")
    if not kernel.kernelSource:
        raise UnsupportedOperation(f"{label} has no source (NULL)")
    raw = (
        ctypes.string_at(kernel.kernelSource, kernel.sourceLength)
        if kernel.sourceLength
        else ctypes.string_at(kernel.kernelSource)
    )
    source = raw.rstrip(b"\0").decode("utf-8", "replace")
    global_dims = kernel.globalWorkDim
    if not 1 <= global_dims <= 3:
        raise UnsupportedOperation(f"{label} has {global_dims} global work dimensions (1 to 3)")
    global_size = tuple(int(s) for s in kernel.globalWorkSizes[:global_dims])
    local_size = None
    if kernel.localWorkDim:
        if kernel.localWorkDim != global_dims:
            raise UnsupportedOperation(
                f"{label} has {kernel.localWorkDim} local and {global_dims} global work dimensions"
            )
        local_size = tuple(int(s) for s in kernel.localWorkSizes[:global_dims])
        if 0 in local_size:
            raise UnsupportedOperation(f"{label} has a local work size of 0: {local_size}")
    args = tuple(
        _read_arg(f"{label} argument {i}", arg, num_inputs, num_outputs)
        for i, arg in enumerate(_entries(kernel.args, f"{label} argument"))
    )
    options = kernel.buildOptions.decode("utf-8", "replace") if kernel.buildOptions else ""
    return KernelLaunch(name, source, options, global_size, local_size, args)


def _read_arg(
    label: str, arg: abi.QnnGpu_KernelArg_t, num_inputs: int, num_outputs: int
) -> KernelArg:
    kind = arg.type
    if kind in (
        _ArgType.QNN_GPU_KERNEL_ARG_TYPE_OP_INPUT_READ,
        _ArgType.QNN_GPU_KERNEL_ARG_TYPE_OP_INPUT_READWRITE,
        _ArgType.QNN_GPU_KERNEL_ARG_TYPE_OP_OUTPUT_WRITE,
    ):
        output = kind == _ArgType.QNN_GPU_KERNEL_ARG_TYPE_OP_OUTPUT_WRITE
        tensor = arg.tensor
        count = num_outputs if output else num_inputs
        role = "output" if output else "input"
        if tensor.opConfigIndex != 0 or tensor.tensorIndex >= count:
            raise UnsupportedOperation(
                f"{label} names {role} {tensor.tensorIndex} of op config {tensor.opConfigIndex}; "
                f"the node has one op config with {count} {role}(s)"
            )
        if tensor.element != 0:
            raise UnsupportedOperation(
                f"{label} names element {tensor.element} of an aggregated memory object; the "
                "runtime stores tensors as plain buffers"
            )
        return TensorArg(output, tensor.tensorIndex)
    if kind == _ArgType.QNN_GPU_KERNEL_ARG_TYPE_DATA:
        found = DATA_TYPES.get(arg.data.type)
        if found is None:
            raise UnsupportedOperation(f"{label} is DATA of unknown CL type {arg.data.type}")
        numpy_type, member = found
        return DataArg(numpy_type(getattr(arg.data, member)))
    if kind == _ArgType.QNN_GPU_KERNEL_ARG_TYPE_LOCAL:
        if arg.local.size == 0:
            raise UnsupportedOperation(f"{label} is a __local buffer of 0 bytes")
        return LocalArg(arg.local.size)
    if kind == _ArgType.QNN_GPU_KERNEL_ARG_TYPE_NULL_PTR:
        return None
    if kind in (
        _ArgType.QNN_GPU_KERNEL_ARG_TYPE_INTERNAL_READ,
        _ArgType.QNN_GPU_KERNEL_ARG_TYPE_INTERNAL_READWRITE,
        _ArgType.QNN_GPU_KERNEL_ARG_TYPE_INTERNAL_WRITE,
    ):
        raise UnsupportedOperation(
            f"{label} has type {_name(_ArgType, kind)}; internal memory objects are not "
            "supported by the runtime (use OP_INPUT/OP_OUTPUT buffers, LOCAL or DATA arguments)"
        )
    raise UnsupportedOperation(f"{label} has an unknown argument type ({kind})")


def _name(enum: Any, value: int) -> str:
    try:
        return str(enum(value).name)
    except ValueError:
        return f"unknown ({value})"
