"""Test-side driver of a built GPU op package: the backend's half of the C contract, in ctypes.

It loads the library, builds op configs and nodes, calls the interface, reads back the
`QnnGpu_Operation_t` a package creates, and (with pyopencl) runs its kernel the way a GPU backend
would: compile the embedded source with the build options, bind the arguments in order, enqueue
the global/local work sizes. It exists to check generated packages; the companion runtime's GPU
executor is a separate, user-facing piece.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from opgen.runtime.abi import common as qnn
from opgen.runtime.abi import gpu as qgpu

CODES = {
    np.dtype(np.float32): 0x0232,
    np.dtype(np.float16): 0x0216,
    np.dtype(np.float64): 0x0264,
    np.dtype(np.int32): 0x0032,
    np.dtype(np.uint32): 0x0132,
    np.dtype(np.uint8): 0x0108,
    np.dtype(np.int8): 0x0008,
}
CL_DTYPES = {
    0: np.int8,
    1: np.uint8,
    2: np.int16,
    3: np.uint16,
    4: np.int32,
    5: np.uint32,
    6: np.int64,
    7: np.uint64,
    8: np.float32,
    9: np.float64,
}
SCALAR_MEMBERS = {
    0x0232: "floatValue",
    0x0216: "floatValue",
    0x0032: "int32Value",
    0x0132: "uint32Value",
    0x0016: "int16Value",
    0x0116: "uint16Value",
    0x0008: "int8Value",
    0x0108: "uint8Value",
    0x0508: "bool8Value",
    0x0064: "int32Value",  # a 64-bit datatype a Qnn_Scalar_t cannot carry: to test the refusal
}
DATA_FIELDS = {
    0: "qnnChar",
    1: "qnnUChar",
    2: "qnnShort",
    3: "qnnUShort",
    4: "qnnInt",
    5: "qnnUInt",
    6: "qnnLong",
    7: "qnnULong",
    8: "qnnFloat",
    9: "qnnDouble",
}


@dataclass
class Scalar:
    datatype: int
    value: float | int


@dataclass
class Node:
    """An op config (and the GPU node around it) that keeps its ctypes storage alive."""

    package: str
    op_type: str
    inputs: Sequence[np.ndarray]
    outputs: Sequence[np.ndarray]
    params: dict[str, Scalar | np.ndarray] = field(default_factory=dict)
    keep: list[Any] = field(default_factory=list)

    def _tensor(self, array: np.ndarray, target: qnn.Qnn_Tensor_t, with_data: bool) -> None:
        dims = (ctypes.c_uint32 * max(array.ndim, 1))(*array.shape)
        self.keep.append(dims)
        target.version = 1
        target.v1.dataType = CODES[array.dtype]
        target.v1.rank = array.ndim
        target.v1.dimensions = ctypes.cast(dims, ctypes.POINTER(ctypes.c_uint32))
        target.v1.memType = 0
        if with_data:
            data = np.ascontiguousarray(array)
            self.keep.append(data)
            target.v1.clientBuf.data = data.ctypes.data
            target.v1.clientBuf.dataSize = data.nbytes

    def config(self) -> qnn.Qnn_OpConfig_t:
        ins = (qnn.Qnn_Tensor_t * max(len(self.inputs), 1))()
        outs = (qnn.Qnn_Tensor_t * max(len(self.outputs), 1))()
        params = (qnn.Qnn_Param_t * max(len(self.params), 1))()
        self.keep += [ins, outs, params]
        for i, array in enumerate(self.inputs):
            self._tensor(array, ins[i], with_data=False)
        for i, array in enumerate(self.outputs):
            self._tensor(array, outs[i], with_data=False)
        for i, (name, value) in enumerate(self.params.items()):
            encoded = name.encode()
            self.keep.append(encoded)
            params[i].name = encoded
            if isinstance(value, Scalar):
                params[i].paramType = 0
                params[i].scalarParam.dataType = value.datatype
                setattr(params[i].scalarParam, SCALAR_MEMBERS[value.datatype], value.value)
            else:
                params[i].paramType = 1
                self._tensor(value, params[i].tensorParam, with_data=True)
        config = qnn.Qnn_OpConfig_t()
        config.version = 1
        v1 = config.v1
        for text, attr in ((self.op_type, "name"), (self.package, "packageName")):
            encoded = text.encode()
            self.keep.append(encoded)
            setattr(v1, attr, encoded)
        type_name = self.op_type.encode()
        self.keep.append(type_name)
        v1.typeName = type_name
        v1.numOfInputs, v1.inputTensors = len(self.inputs), ins
        v1.numOfOutputs, v1.outputTensors = len(self.outputs), outs
        v1.numOfParams, v1.params = len(self.params), params
        self.keep.append(config)
        return config

    def gpu_node(self) -> qgpu.QnnGpuOpPackage_Node_t:
        config = self.config()
        configs = (ctypes.POINTER(qnn.Qnn_OpConfig_t) * 2)(ctypes.pointer(config), None)
        node = qgpu.QnnGpuOpPackage_Node_t()
        node.optimization = 0
        node.configs = configs
        self.keep += [configs, node]
        return node


class GpuPackage:
    """A loaded GPU op package: its v1.4 interface plus the extra exports."""

    def __init__(self, library: Path, name: str) -> None:
        self.name = name
        self.lib = ctypes.CDLL(str(library))
        provider = self.lib[f"{name}InterfaceProvider"]
        provider.argtypes = [ctypes.POINTER(qnn.QnnOpPackage_Interface_t)]
        provider.restype = ctypes.c_uint64
        self.provider = provider
        self.interface = qnn.QnnOpPackage_Interface_t()
        assert provider(ctypes.byref(self.interface)) == 0
        self.api = self.interface.v1_4
        last = self.lib[f"{name}_opgenLastError"]
        last.restype = ctypes.c_char_p
        self._last_error = last

    def last_error(self) -> str:
        value = self._last_error()
        assert isinstance(value, bytes)
        return value.decode()

    @contextmanager
    def initialized(self) -> Iterator[GpuPackage]:
        infra = qgpu.QnnGpuOpPackage_GlobalInfrastructure_t()
        assert self.api.init(ctypes.addressof(infra)) == 0, self.last_error()
        try:
            yield self
        finally:
            assert self.api.terminate() == 0

    def validate(self, node: Node) -> int:
        result: int = self.api.validateOpConfig(node.config())
        return result

    def create(self, node: Node, precision: int = 0) -> tuple[int, int | None]:
        graph = qgpu.QnnGpuOpPackage_GraphInfrastructure_t(precision)
        gpu_node = node.gpu_node()
        out = ctypes.c_void_p()
        node.keep.append(graph)
        status = self.api.createOpImpl(
            ctypes.addressof(graph), ctypes.addressof(gpu_node), ctypes.byref(out)
        )
        return status, out.value

    def free(self, handle: int | None) -> int:
        result: int = self.api.freeOpImpl(handle)
        return result


@dataclass(frozen=True)
class KernelArg:
    kind: int
    tensor_index: int = 0
    cl_type: int = -1
    value: float | int = 0
    size: int = 0


@dataclass(frozen=True)
class Kernel:
    source: str
    name: str
    build_options: str
    global_size: tuple[int, ...]
    local_size: tuple[int, ...]
    args: tuple[KernelArg, ...]
    num_kernels: int
    num_output_claims: int
    num_memory_objects: int


def _count(array: Any) -> int:
    n = 0
    while array[n]:
        n += 1
    return n


def read_operation(handle: int) -> Kernel:
    """The first kernel of a `QnnGpu_Operation_t`, as plain data."""
    op = ctypes.cast(handle, ctypes.POINTER(qgpu.QnnGpu_Operation_t)).contents
    kernel = op.kernels[0].contents
    args = []
    i = 0
    while kernel.args[i]:
        raw = kernel.args[i].contents
        if raw.type in (0, 1, 2):
            args.append(KernelArg(raw.type, tensor_index=raw.tensor.tensorIndex))
        elif raw.type == 6:
            value = getattr(raw.data, DATA_FIELDS[raw.data.type])
            args.append(KernelArg(6, cl_type=raw.data.type, value=value))
        elif raw.type == 7:
            args.append(KernelArg(7, size=raw.local.size))
        else:
            args.append(KernelArg(raw.type))
        i += 1
    assert kernel.sourceType == 0
    assert kernel.kernelSource is not None and kernel.name is not None
    return Kernel(
        source=ctypes.string_at(kernel.kernelSource, kernel.sourceLength).decode(),
        name=kernel.name.decode(),
        build_options=(kernel.buildOptions or b"").decode(),
        global_size=tuple(kernel.globalWorkSizes[: kernel.globalWorkDim]),
        local_size=tuple(kernel.localWorkSizes[: kernel.localWorkDim]),
        args=tuple(args),
        num_kernels=_count(op.kernels),
        num_output_claims=_count(op.outputClaims),
        num_memory_objects=_count(op.memoryObjects),
    )


def run_kernel(
    kernel: Kernel, inputs: Sequence[np.ndarray], outputs: Sequence[np.ndarray]
) -> list[np.ndarray]:
    """Run `kernel` with pyopencl as a GPU backend would; returns the outputs' new contents."""
    import pyopencl as cl  # an optional test dependency: imported only when a kernel runs

    device = cl.get_platforms()[0].get_devices()[0]
    context = cl.Context(devices=[device])
    queue = cl.CommandQueue(context)
    program = cl.Program(context, kernel.source).build(options=kernel.build_options.split())
    flags = cl.mem_flags
    in_buffers = [
        cl.Buffer(context, flags.READ_ONLY | flags.COPY_HOST_PTR, hostbuf=np.ascontiguousarray(a))
        for a in inputs
    ]
    out_buffers = [cl.Buffer(context, flags.READ_WRITE, size=max(a.nbytes, 1)) for a in outputs]
    values: list[Any] = []
    for arg in kernel.args:
        if arg.kind == 0:
            values.append(in_buffers[arg.tensor_index])
        elif arg.kind == 2:
            values.append(out_buffers[arg.tensor_index])
        elif arg.kind == 6:
            values.append(CL_DTYPES[arg.cl_type](arg.value))
        elif arg.kind == 7:
            values.append(cl.LocalMemory(arg.size))
        elif arg.kind == 8:
            values.append(None)
        else:
            raise AssertionError(f"unexpected kernel argument type {arg.kind}")
    function = cl.Kernel(program, kernel.name)
    function.set_args(*values)
    cl.enqueue_nd_range_kernel(queue, function, kernel.global_size, kernel.local_size or None)
    results = []
    for array, buffer in zip(outputs, out_buffers, strict=True):
        result = np.empty_like(array)
        cl.enqueue_copy(queue, result, buffer)
        results.append(result)
    queue.finish()
    return results
