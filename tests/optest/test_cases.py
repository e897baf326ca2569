"""Cases drawn from declarations loaded through the real config loader: shapes obey patterns and
requires, params come from enums, defaults and ranges, what needs user code is a skip; and the
comparison's tolerance per datatype."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import opgen
from opgen.model import Datatype, OpDef
from opgen.optest.cases import generate_cases
from opgen.optest.compare import compare
from opgen.optest.values import Quant, output_quant
from tests import factories as f

F32 = "QNN_DATATYPE_FLOAT_32"


def _op(tmp_path: Path, op_xml: str) -> OpDef:
    path = tmp_path / "P.xml"
    path.write_text(f.config("P", [op_xml]))
    (package,) = opgen.load_packages([path])
    return package.ops[0]


def _shaped(tag: str, name: str, rule: str, rank: str = "ND", dts: tuple[str, ...] = (F32,)) -> str:
    text = f.tensor(tag, name, dts, rank)
    return text.replace(f"<Rank>{rank}</Rank>", f"<Rank>{rank}</Rank><Text>{rule}</Text>")


def test_pattern_names_bind_one_dim_across_inputs(tmp_path: Path) -> None:
    op = _op(
        tmp_path,
        f.op(
            "MatMul",
            inputs=[
                _shaped("Input", "a", "= [B..., M, K]"),
                _shaped("Input", "b", "= [K, N]", rank="2D"),
            ],
            outputs=[_shaped("Output", "out", "= [B..., M, N]")],
        ),
    )
    drawn = generate_cases(op, 12, [1], quantization=False)
    assert drawn.variants == 3 and len(drawn.cases) == 12 and not drawn.skipped
    assert {case.inputs[0].ndim for case in drawn.cases} == {2, 3, 4}  # B... of 0 to 2 dims
    for case in drawn.cases:
        a, b = case.inputs
        assert a.shape[-1] == b.shape[0]  # K
        assert case.outputs[0].shape == (*a.shape[:-1], b.shape[1])


def test_requires_and_declared_ranges_hold_in_every_case(tmp_path: Path) -> None:
    op = _op(
        tmp_path,
        f.op(
            "TopK",
            inputs=[_shaped("Input", "in[0]", "= [R, C]", rank="2D")],
            outputs=[_shaped("Output", "out[0]", "= [R, k]", rank="2D")],
            params=[
                f.param("k", "QNN_DATATYPE_UINT_32", mandatory=False, default="1").replace(
                    "<Name>k</Name>",
                    '<Name>k</Name><Constraint id="1" Type="Value">k fits a row'
                    "<Code>require 1 &lt;= k; k &lt;= in[0].shape[-1]</Code></Constraint>",
                ),
                f.param(
                    "mode",
                    "QNN_DATATYPE_UINT_32",
                    mandatory=False,
                    enum=["a", "b", "c"],
                    default="b",
                ),
                f.param("gain", mandatory=False, default="2.0"),
            ],
        ),
    )
    drawn = generate_cases(op, 40, [2], quantization=False)
    assert len(drawn.cases) == 40
    ks = [case.params.reference["k"] for case in drawn.cases]
    for case, k in zip(drawn.cases, ks, strict=True):
        assert isinstance(k, int) and 1 <= k <= case.inputs[0].shape[-1]
        assert case.outputs[0].shape == (case.inputs[0].shape[0], k)
    assert len(set(ks)) > 2  # varied within the range, not only the default
    # The first case keeps the defaults, passed to the package as absent; the reference sees them.
    assert drawn.cases[0].params.given == {}
    assert drawn.cases[0].params.reference == {"k": 1, "mode": 1, "gain": 2.0}
    assert {case.params.reference["mode"] for case in drawn.cases} == {0, 1, 2}
    gains = {case.params.reference["gain"] for case in drawn.cases}
    assert len(gains) > 10 and all(1.0 <= g <= 3.0 for g in gains)  # type: ignore[operator]


def test_every_datatype_and_rank_is_a_variant(tmp_path: Path) -> None:
    datatypes = (F32, "QNN_DATATYPE_INT_8", "QNN_DATATYPE_BOOL_8", "QNN_DATATYPE_UFIXED_POINT_8")
    op = _op(
        tmp_path,
        f.op(
            "Id",
            inputs=[f.tensor("Input", "in[0]", datatypes)],
            outputs=[_shaped("Output", "out[0]", "= like(in[0])", dts=datatypes)],
        ),
    )
    cpu = generate_cases(op, 16, [3], quantization=False)
    assert cpu.variants == 3 * 4
    assert cpu.skipped == (
        "QNN_DATATYPE_UFIXED_POINT_8: this target takes no scale and offset: not tested",
    )
    seen = {(c.datatypes[0], c.inputs[0].ndim) for c in cpu.cases}
    assert seen == {
        (Datatype[d.removeprefix("QNN_DATATYPE_")], r) for d in datatypes[:3] for r in range(1, 5)
    }
    htp = generate_cases(op, 16, [3], quantization=True)
    assert htp.variants == 16 and not htp.skipped
    quantized = [c for c in htp.cases if c.datatypes[0] is Datatype.UFIXED_POINT_8]
    assert quantized and all(
        c.quants[0] is not None and c.inputs[0].dtype == np.uint8 for c in quantized
    )
    case = quantized[0]
    q = case.quants[0]
    assert q is not None
    np.testing.assert_allclose(
        case.reference_inputs()[0], q.scale * (case.inputs[0] + q.offset.__float__()), rtol=1e-6
    )


def test_same_seed_same_cases_and_a_hook_output_is_a_skip(tmp_path: Path) -> None:
    op = _op(tmp_path, f.op("Id"))
    a, b = (generate_cases(op, 5, [9, 1], quantization=False) for _ in range(2))
    for x, y in zip(a.cases, b.cases, strict=True):
        np.testing.assert_array_equal(x.inputs[0], y.inputs[0])
    other = generate_cases(op, 5, [10, 1], quantization=False)
    assert any(
        x.inputs[0].shape != y.inputs[0].shape for x, y in zip(a.cases, other.cases, strict=True)
    )
    hooked = _op(
        tmp_path, f.op("Nms", outputs=[_shaped("Output", "out[0]", "= [?, 3]", rank="2D")])
    )
    drawn = generate_cases(hooked, 3, [0], quantization=False)
    assert drawn.cases == ()
    assert len(drawn.skipped) == 1 and drawn.skipped[0].startswith(
        "output 'out[0]' needs user code"
    )


def test_a_mandatory_tensor_param_without_default_is_a_skip(tmp_path: Path) -> None:
    op = _op(tmp_path, f.op("T", params=[f.param("perm", "QNN_DATATYPE_UINT_32", rank="1D")]))
    drawn = generate_cases(op, 3, [0], quantization=False)
    assert (
        drawn.cases == () and "mandatory tensor parameter 'perm' has no default" in drawn.skipped[0]
    )


@pytest.mark.parametrize(
    ("datatype", "got", "want", "ok"),
    [
        (Datatype.FLOAT_32, [1.0, 2.0], [1.0, 2.0001], True),
        (Datatype.FLOAT_32, [1.0, 2.0], [1.0, 2.01], False),
        (Datatype.FLOAT_16, [1.0], [1.005], True),
        (Datatype.FLOAT_32, [np.nan, np.inf], [np.nan, np.inf], True),
        (Datatype.FLOAT_32, [np.nan], [1.0], False),
        (Datatype.INT_32, [3, 4], [3, 4], True),
        (Datatype.INT_32, [3, 4], [3, 5], False),
        (Datatype.INT_64, [2**62 + 1], [2**62], False),  # float64 would call these equal
    ],
)
def test_tolerances(datatype: Datatype, got: list[float], want: list[float], ok: bool) -> None:
    dtype = {Datatype.FLOAT_16: np.float16, Datatype.INT_32: np.int32, Datatype.INT_64: np.int64}
    result = compare(
        "out", np.array(got, dtype=dtype.get(datatype, np.float32)), np.array(want), datatype, None
    )
    assert result.ok is ok, result.describe()


def test_quantized_outputs_are_within_one_step() -> None:
    expected = np.array([0.0, 0.25, 0.5, 0.99])
    quant = output_quant(Datatype.UFIXED_POINT_8, expected)
    assert quant.offset == 0 and quant.scale == pytest.approx(0.99 / 255)
    exact = np.rint(expected / quant.scale).astype(np.uint8)
    assert compare("out", exact, expected, Datatype.UFIXED_POINT_8, quant).ok
    assert (
        compare("out", exact + 1, expected[[0, 1, 2, 2]], Datatype.UFIXED_POINT_8, quant).ok
        is False
    )
    off_by_one = exact.copy()
    off_by_one[1] += 1
    assert compare("out", off_by_one, expected, Datatype.UFIXED_POINT_8, quant).ok  # one step
    off_by_two = exact.copy()
    off_by_two[1] += 2
    result = compare("out", off_by_two, expected, Datatype.UFIXED_POINT_8, quant)
    assert not result.ok and result.mismatches == 1 and result.where == (1,)
    # Values past what the encoding holds are compared clipped: saturation is right.
    signed = Quant(0.5, 0)
    assert compare(
        "out", np.array([127], np.int8), np.array([100.0]), Datatype.SFIXED_POINT_8, signed
    ).ok
    shape = compare("out", np.zeros((2, 2), np.float32), np.zeros(4), Datatype.FLOAT_32, None)
    assert not shape.ok and shape.problem == "shape [2, 2], the reference gives [4]"
