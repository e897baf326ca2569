"""Binding user values to an op request (no package involved): datatypes from the declaration,
fallbacks from Python types, refusals that say what was expected."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import opgen
from opgen.model import Datatype, OpDef
from opgen.runtime.errors import OpRequestError
from opgen.runtime.request import (
    ScalarParam,
    TensorParam,
    bind_specs,
    build_request,
    output_names,
)
from tests import factories as f


@pytest.fixture(scope="module")
def ops(tmp_path_factory: pytest.TempPathFactory) -> dict[str, OpDef]:
    config = f.config(
        "ReqPkg",
        [
            f.op(
                "Mixed",
                inputs=[
                    f.tensor("Input", "x", ["QNN_DATATYPE_UFIXED_POINT_8", "QNN_DATATYPE_INT_8"]),
                    f.tensor("Input", "rest", repeated=True, mandatory=False),
                    f.tensor("Input", "last"),
                ],
                outputs=[f.tensor("Output", "y"), f.tensor("Output", "parts", repeated=True)],
                params=[
                    f.param("mode", "QNN_DATATYPE_UINT_32", mandatory=False, enum=["A", "B"]),
                    f.param("count", "QNN_DATATYPE_UINT_8"),
                    f.param("scale", "QNN_DATATYPE_FLOAT_32"),
                    f.param("wide", "QNN_DATATYPE_INT_64"),
                    f.param("pads", "QNN_DATATYPE_INT_32", rank="2D"),
                ],
            )
        ],
    )
    path = f.write(tmp_path_factory.mktemp("req"), "req.xml", config)
    return {op.name: op for op in opgen.load_packages([Path(path)])[0].ops}


def test_declared_param_datatypes_and_enum_labels(ops: dict[str, OpDef]) -> None:
    x = np.zeros(2, np.uint8)
    request = build_request(
        "Mixed",
        [x, x],
        {"mode": "B", "count": 200, "scale": 2, "pads": [[1, 2], [3, 4]]},
        declaration=ops["Mixed"],
    )
    mode, count, scale, pads = request.params
    assert mode == ScalarParam("mode", Datatype.UINT_32, 1)
    assert count == ScalarParam("count", Datatype.UINT_8, 200)
    assert scale == ScalarParam("scale", Datatype.FLOAT_32, 2)  # an int widens to float
    assert isinstance(pads, TensorParam) and pads.tensor.datatype is Datatype.INT_32
    assert pads.tensor.array.dtype == np.int32 and pads.tensor.array.shape == (2, 2)
    # uint8 data for a tensor declared UFIXED_POINT_8 travels as UFIXED_POINT_8; for one that
    # declares no 8-bit unsigned storage it keeps UINT_8 (and the package refuses it).
    assert request.inputs[0].datatype is Datatype.UFIXED_POINT_8
    assert request.inputs[1].datatype is Datatype.UINT_8


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"count": 256}, "parameter 'count' expects UINT_8, got integer 256"),
        ({"count": True}, "parameter 'count' expects UINT_8, got boolean true"),
        ({"mode": "C"}, "parameter 'mode' expects one of A, B, got 'C'"),
        ({"scale": "fast"}, "parameter 'scale' expects FLOAT_32, got string 'fast'"),
        ({"scale": [1.0]}, "parameter 'scale' is a scalar, got a list"),
        ({"wide": 1}, "parameter 'wide' is declared INT_64, which a Qnn_Scalar_t cannot carry"),
        ({"pads": [[0.5]]}, "parameter 'pads' expects INT_32, got a list"),
        ({"pads": [[1], [2, 3]]}, "parameter 'pads': "),
        ({"other": 1}, "unknown parameter 'other' (parameters: mode, count, scale, wide, pads)"),
    ],
)
def test_refusals_say_what_was_expected(
    ops: dict[str, OpDef], params: dict[str, object], message: str
) -> None:
    x = np.zeros(2, np.uint8)
    with pytest.raises(OpRequestError) as caught:
        build_request("Mixed", [x, x], params, declaration=ops["Mixed"], package="ReqPkg")  # type: ignore[arg-type]
    assert str(caught.value).startswith(f"ReqPkg: op Mixed: {message}")


def test_python_types_decide_without_a_declaration() -> None:
    x = np.zeros(3, np.float32)
    request = build_request(
        "Any",
        [x],
        {"flag": True, "n": -3, "big": 2**31, "f": 0.25, "t": [1.5, 2.5], "a": np.arange(3)},
    )
    kinds = {
        p.name: (p.datatype if isinstance(p, ScalarParam) else p.tensor.datatype)
        for p in request.params
    }
    assert kinds == {
        "flag": Datatype.BOOL_8,
        "n": Datatype.INT_32,
        "big": Datatype.UINT_32,
        "f": Datatype.FLOAT_32,
        "t": Datatype.FLOAT_32,
        "a": Datatype.INT_64,  # an array keeps its dtype
    }
    with pytest.raises(OpRequestError, match="fits UINT_32"):
        build_request("Any", [x], {"huge": 2**40})
    typed = build_request("Any", [x], {"n": 3}, param_types={"n": "QNN_DATATYPE_UINT_16"})
    assert typed.params[0] == ScalarParam("n", Datatype.UINT_16, 3)


def test_outputs_default_to_the_first_input_and_can_be_given() -> None:
    x = np.zeros((2, 3), np.int16)
    (out,) = build_request("Any", [x]).outputs
    assert (out.array.shape, out.array.dtype, out.datatype) == ((2, 3), np.int16, Datatype.INT_16)
    given = np.empty(4, np.bool_)
    outputs = build_request("Any", [x], outputs=[given, ((5,), "float32")]).outputs
    assert outputs[0].array is given and outputs[0].datatype is Datatype.BOOL_8
    assert outputs[1].array.shape == (5,) and outputs[1].datatype is Datatype.FLOAT_32
    with pytest.raises(OpRequestError, match="writable C-contiguous"):
        build_request("Any", [x], outputs=[np.empty((4, 4), np.float32)[:, ::2]])
    with pytest.raises(OpRequestError, match="no inputs to take output shapes from"):
        build_request("Any", [])
    big_endian = np.arange(3, dtype=">i4")
    (bound,) = build_request("Any", [big_endian]).inputs
    assert bound.array.dtype == np.int32 and bound.array.tolist() == [0, 1, 2]


def test_binding_follows_the_repeated_tensor(ops: dict[str, OpDef]) -> None:
    x, rest, last = ops["Mixed"].inputs
    assert bind_specs(ops["Mixed"].inputs, 2) == [x, last]
    assert bind_specs(ops["Mixed"].inputs, 4) == [x, rest, rest, last]
    assert bind_specs(ops["Mixed"].inputs, 1) == [None]
    assert output_names(ops["Mixed"]) == ["y", "parts"]
    assert output_names(ops["Mixed"], 4) == ["y", "parts", "parts[1]", "parts[2]"]
    assert output_names(None, 3) == ["out[0]", "out[1]", "out[2]"]
