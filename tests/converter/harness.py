"""Calling a built converter op package the way a converter does: hand-built Qnn_OpConfig_t.

Two layouts: opgen's bundled headers (the ABI mirror in opgen.runtime.abi) and a "newer SDK"
whose Qnn_Tensor_t also holds a version-2 tensor (`v2_sdk_headers` writes one by extending the
bundled QnnTypes.h; `V2` mirrors it here). A version-2 tensor begins with version 1's fields.
"""

from __future__ import annotations

import ctypes
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from opgen.resources import templates_dir
from opgen.runtime import abi

P = ctypes.POINTER


# ---- a header set with Qnn_TensorV2_t --------------------------------------------------------

_V2_EXTRA_FIELDS = """  uint8_t* isDynamicDimensions;
  struct { uint32_t type; uint32_t numSpecifiedElements; uint32_t numSparseDimensions; } sparse;
  uint8_t isProduced;
"""


def v2_sdk_headers(root: Path) -> Path:
    """`root/include/QNN`: the bundled headers, with QnnTypes.h declaring version-2 tensors.
    Returns `root` (a stand-in QNN_SDK_ROOT)."""
    target = root / "include" / "QNN"
    shutil.copytree(templates_dir() / "common" / "include" / "QNN", target)
    types = target / "QnnTypes.h"
    text = types.read_text()
    v1_start = text.index("typedef struct {\n  uint32_t id;")
    v1_end = text.index("} Qnn_TensorV1_t;")
    v2 = (
        text[v1_start:v1_end]
        + _V2_EXTRA_FIELDS
        + "} Qnn_TensorV2_t;\n#define QNN_TENSOR_V2_INIT {0}\n"
    )
    text = text.replace("} Qnn_TensorV1_t;", "} Qnn_TensorV1_t;\n\n" + v2, 1)
    text = text.replace(
        "QNN_TENSOR_VERSION_1 = 1,", "QNN_TENSOR_VERSION_1 = 1,\n  QNN_TENSOR_VERSION_2 = 2,", 1
    )
    text = text.replace(
        "    Qnn_TensorV1_t v1;\n  };\n} Qnn_Tensor_t;",
        "    Qnn_TensorV1_t v1;\n    Qnn_TensorV2_t v2;\n  };\n} Qnn_Tensor_t;",
        1,
    )
    assert text.count("Qnn_TensorV2_t v2;") == 1 and "QNN_TENSOR_VERSION_2 = 2" in text
    types.write_text(text)
    return root


class _Sparse(ctypes.Structure):
    _fields_ = (("type", ctypes.c_uint32), ("a", ctypes.c_uint32), ("b", ctypes.c_uint32))


class TensorV2(ctypes.Structure):
    _fields_ = (
        *abi.Qnn_TensorV1_t._fields_,
        ("isDynamicDimensions", P(ctypes.c_uint8)),
        ("sparse", _Sparse),
        ("isProduced", ctypes.c_uint8),
    )
    _anonymous_ = abi.Qnn_TensorV1_t._anonymous_


class _TensorU2(ctypes.Union):
    _fields_ = (("v1", abi.Qnn_TensorV1_t), ("v2", TensorV2))


class Tensor2(ctypes.Structure):
    _anonymous_ = ("_u",)
    _fields_ = (("version", ctypes.c_int32), ("_u", _TensorU2))


class _ParamU2(ctypes.Union):
    _fields_ = (("scalarParam", abi.Qnn_Scalar_t), ("tensorParam", Tensor2))


class Param2(ctypes.Structure):
    _anonymous_ = ("_u",)
    _fields_ = (("paramType", ctypes.c_int32), ("name", ctypes.c_char_p), ("_u", _ParamU2))


class OpConfigV1_2(ctypes.Structure):
    _fields_ = (
        ("name", ctypes.c_char_p),
        ("packageName", ctypes.c_char_p),
        ("typeName", ctypes.c_char_p),
        ("numOfParams", ctypes.c_uint32),
        ("params", P(Param2)),
        ("numOfInputs", ctypes.c_uint32),
        ("inputTensors", P(Tensor2)),
        ("numOfOutputs", ctypes.c_uint32),
        ("outputTensors", P(Tensor2)),
    )


class _OpConfigU2(ctypes.Union):
    _fields_ = (("v1", OpConfigV1_2),)


class OpConfig2(ctypes.Structure):
    _anonymous_ = ("_u",)
    _fields_ = (("version", ctypes.c_int32), ("_u", _OpConfigU2))


@dataclass(frozen=True)
class Layout:
    tensor: type[ctypes.Structure]
    param: type[ctypes.Structure]
    config: type[ctypes.Structure]


BUNDLED = Layout(abi.Qnn_Tensor_t, abi.Qnn_Param_t, abi.Qnn_OpConfig_t)
V2 = Layout(Tensor2, Param2, OpConfig2)

# ---- op configs ------------------------------------------------------------------------------

F32 = 0x0232
I32 = 0x0032
U32 = 0x0132
I8 = 0x0008
BOOL = 0x0508
UNDEFINED = 0x7FFFFFFF
_SCALAR_FIELD = {I32: "int32Value", U32: "uint32Value", BOOL: "bool8Value", F32: "floatValue"}
_ARRAY_TYPE = {I32: ctypes.c_int32, U32: ctypes.c_uint32}


@dataclass
class Node:
    """One custom node: inputs (dims, dtype), output ranks (dims storage pre-set to 0), params
    as (dtype, value) with a list value for a tensor param."""

    op: str
    inputs: Sequence[tuple[Sequence[int], int]]
    output_ranks: Sequence[int]
    params: dict[str, tuple[int, Any]] = field(default_factory=dict)
    tensor_version: int = 1
    output_dtypes: Sequence[int] | None = None


@dataclass
class Built:
    config: Any
    outputs: Any
    keep: list[Any]


def _tensor(
    slot: Any,
    layout: Layout,
    version: int,
    dims: Sequence[int],
    dtype: int,
    keep: list[Any],
    label: str,
) -> None:
    slot.version = version
    body = slot.v2 if version == 2 and layout is V2 else slot.v1
    name = label.encode()
    storage = (ctypes.c_uint32 * max(len(dims), 1))(*dims)
    keep += [name, storage]
    body.name = name
    body.dataType = dtype
    body.rank = len(dims)
    body.dimensions = ctypes.cast(storage, P(ctypes.c_uint32))


def build(node: Node, layout: Layout, package: str = "CopRules") -> Built:
    keep: list[Any] = []
    config = layout.config()
    config.version = 1
    v1 = config.v1
    names = [b"node0", package.encode(), node.op.encode()]
    keep += names
    v1.name, v1.packageName, v1.typeName = names
    inputs = (layout.tensor * max(len(node.inputs), 1))()
    for i, (dims, dtype) in enumerate(node.inputs):
        _tensor(inputs[i], layout, node.tensor_version, dims, dtype, keep, f"in{i}")
    outputs = (layout.tensor * max(len(node.output_ranks), 1))()
    for i, rank in enumerate(node.output_ranks):
        dtype = node.output_dtypes[i] if node.output_dtypes else UNDEFINED
        _tensor(outputs[i], layout, node.tensor_version, [0] * rank, dtype, keep, f"out{i}")
    params = (layout.param * max(len(node.params), 1))()
    for i, (name, (dtype, value)) in enumerate(node.params.items()):
        encoded = name.encode()
        keep.append(encoded)
        params[i].name = encoded
        if isinstance(value, list):
            params[i].paramType = 1
            array = (_ARRAY_TYPE[dtype] * max(len(value), 1))(*value)
            keep.append(array)
            _tensor(params[i].tensorParam, layout, 1, [len(value)], dtype, keep, name)
            t = params[i].tensorParam.v1
            t.type = 4  # STATIC
            t.memType = 0
            t.clientBuf.data = ctypes.cast(array, ctypes.c_void_p)
            t.clientBuf.dataSize = ctypes.sizeof(array) if value else 0
        else:
            params[i].paramType = 0
            params[i].scalarParam.dataType = dtype
            setattr(params[i].scalarParam, _SCALAR_FIELD[dtype], value)
    keep += [inputs, outputs, params]
    v1.numOfInputs = len(node.inputs)
    v1.inputTensors = ctypes.cast(inputs, P(layout.tensor))
    v1.numOfOutputs = len(node.output_ranks)
    v1.outputTensors = ctypes.cast(outputs, P(layout.tensor))
    v1.numOfParams = len(node.params)
    v1.params = ctypes.cast(params, P(layout.param))
    return Built(config, outputs, keep)


@dataclass(frozen=True)
class Result:
    code: int
    shapes: tuple[tuple[int, ...], ...]
    dtypes: tuple[int, ...]


class ConverterLibrary:
    def __init__(self, path: Path, layout: Layout, package: str = "CopRules") -> None:
        self.lib = ctypes.CDLL(str(path))
        self.layout = layout
        self.package = package
        last = getattr(self.lib, f"{package}ConverterLastError")
        last.restype = ctypes.c_char_p
        self._last = last

    def function(self, name: str) -> Any:
        fn = getattr(self.lib, name)
        fn.restype = ctypes.c_uint64
        fn.argtypes = (P(self.layout.config),)
        return fn

    def pointer(self, name: str) -> Any:
        """The function a `...Ptr` global points at."""
        proto = ctypes.CFUNCTYPE(ctypes.c_uint64, P(self.layout.config))
        return proto.in_dll(self.lib, name)

    def last_error(self) -> str:
        raw = self._last()
        return raw.decode() if raw else ""

    def run(self, node: Node, function: str) -> Result:
        built = build(node, self.layout, self.package)
        code = int(self.function(function)(ctypes.byref(built.config)))
        return self._result(node, built, code)

    def infer(self, node: Node) -> Result:
        """ShapeInference then DataTypeInference; the first failure's code."""
        built = build(node, self.layout, self.package)
        code = int(self.function(f"{node.op}ShapeInference")(ctypes.byref(built.config)))
        if code == 0:
            code = int(self.function(f"{node.op}DataTypeInference")(ctypes.byref(built.config)))
        return self._result(node, built, code)

    def _result(self, node: Node, built: Built, code: int) -> Result:
        shapes, dtypes = [], []
        for i, rank in enumerate(node.output_ranks):
            slot = built.outputs[i]
            body = slot.v2 if node.tensor_version == 2 and self.layout is V2 else slot.v1
            shapes.append(tuple(body.dimensions[d] for d in range(rank)))
            dtypes.append(int(body.dataType))
        return Result(code, tuple(shapes), tuple(dtypes))
