"""The DSP executor on HandDsp, a package written by hand against the UDO function table
(tests/dsp/handpkg/HandDsp.cpp): registration and info, quantized and float ops against numpy,
params through the Qnn_Param_t -> Udo_Param_t conversion, bad requests, and kernels that get the
protocol wrong. Each is an exception naming package, op and step, never a wrong answer."""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from opgen.runtime import OpPackage
from opgen.runtime.dsp import DspOpPackage, UdoCallError
from opgen.runtime.errors import KernelCrashed, OpPackageError, OpRequestError, PackageLoadError
from tests import factories as f
from tests.dsp import hand_dsp

RNG = np.random.default_rng(13)


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return hand_dsp.library(tmp_path_factory)


@pytest.fixture
def package(library: Path) -> Iterator[DspOpPackage]:
    # A library is initialised once per process: each test registers (and closes) it anew.
    with OpPackage.register(hand_dsp.spec(library)) as registered:
        assert isinstance(registered, DspOpPackage)
        yield registered


def _live(library: Path) -> int:
    """HandDsp's count of factories and operations not released (same loaded library)."""
    counter = ctypes.CDLL(str(library.resolve()), mode=ctypes.RTLD_LOCAL).HandDspLiveObjects
    counter.restype = ctypes.c_int
    return int(counter())


def relu8_reference(
    q: np.ndarray, quant_in: tuple[float, int], quant_out: tuple[float, int]
) -> np.ndarray:
    real = quant_in[0] * (q.astype(np.float64) + quant_in[1])
    out = np.round(np.maximum(real, 0.0) / quant_out[0]) - quant_out[1]
    return np.clip(out, 0, 255).astype(np.uint8)


def test_registration_reads_the_function_tables(package: DspOpPackage) -> None:
    info = package.info
    assert info.package_name == "HandDsp"
    assert info.target == "DSP"
    assert info.backend_api_version == (5, 0, 1)
    assert info.operations[:3] == ("Relu8", "ScaleBias", "Threaded")
    entry = package.operation_info("ScaleBias")
    assert (entry.static_params, entry.inputs, entry.outputs) == (3, 1, 1)
    rows = dict(package.describe())
    assert "Hexagon NN v2, UDO API 1.6.0" in rows["UDO infrastructure"]
    assert rows["  Relu8"] == "0 static param(s), 1 input(s), 1 output(s)"
    assert package.describe_json()["operation_info"]["ScaleBias"] == {  # type: ignore[index]
        "static_params": 3,
        "inputs": 1,
        "outputs": 1,
    }
    assert package.declaration("Relu8") is not None  # config/HandDsp.xml found by itself


@pytest.mark.parametrize(
    ("quant_in", "quant_out"),
    [((0.05, -128), (0.05, -128)), ((0.1, -200), (0.02, 0)), ((1.0 / 255, 0), (0.5, -3))],
)
def test_quantized_relu_matches_numpy(
    package: DspOpPackage, quant_in: tuple[float, int], quant_out: tuple[float, int]
) -> None:
    q = RNG.integers(0, 256, size=(2, 5, 7, 3), dtype=np.uint8)
    (out,) = package.execute("Relu8", [q], quant={"in": quant_in, "out": quant_out})
    assert out.dtype == np.uint8 and out.shape == q.shape
    difference = np.abs(out.astype(int) - relu8_reference(q, quant_in, quant_out).astype(int))
    assert difference.max() <= 1  # within one quantization step


def test_float_op_with_scalar_bool_and_tensor_params(package: DspOpPackage) -> None:
    x = RNG.standard_normal((3, 4, 6), dtype=np.float32)
    bias = np.array([0.5, -1.0, 2.0], np.float32)
    (out,) = package.execute("ScaleBias", [x], {"factor": 1.5, "negate": True, "bias": bias})
    expected = -1.5 * x + np.resize(bias, x.size).reshape(x.shape)
    np.testing.assert_allclose(out, expected, rtol=1e-6)
    (plain,) = package.execute("ScaleBias", [x], {"factor": 2.0, "negate": False, "bias": [0.0]})
    np.testing.assert_allclose(plain, 2.0 * x, rtol=1e-6)


def test_worker_threads_run(package: DspOpPackage) -> None:
    x = RNG.standard_normal((101,), dtype=np.float32)
    (out,) = package.execute("Threaded", [x])  # the op fails unless all 4 workers ran
    np.testing.assert_array_equal(out, 2.0 * x)


def test_scalar_datatypes_reach_validate_op(package: DspOpPackage) -> None:
    x = np.ones((4,), np.float32)
    with pytest.raises(UdoCallError) as caught:  # factor must arrive as a UDO FLOAT_32 scalar
        package.execute(
            "ScaleBias", [x], {"factor": 2, "bias": [0.0]}, param_types={"factor": "INT_32"}
        )
    error = caught.value
    assert (error.package, error.op, error.stage, error.code) == (
        "HandDsp",
        "ScaleBias",
        "validateOp",
        2,
    )
    assert error.code_name == "UDO_INVALID_ARGUMENT"
    assert "validateOp failed with UDO error 2 (UDO_INVALID_ARGUMENT)" in str(error)


def test_missing_param_is_refused_by_validate_op(package: DspOpPackage) -> None:
    with pytest.raises(UdoCallError, match="validateOp failed"):
        package.execute("ScaleBias", [np.ones(3, np.float32)], {"negate": True, "bias": [0.0]})


@pytest.mark.parametrize(
    ("op", "inputs", "kwargs", "error", "message"),
    [
        ("Nope", [np.ones(2, np.float32)], {}, OpRequestError, "no such op"),
        (
            "Threaded",
            [np.ones(2, np.float32), np.ones(2, np.float32)],
            {},
            OpPackageError,
            "validateOpConfig failed with error 3110",
        ),
        # The package's createOperation checks the element type (the request layer does not).
        ("Threaded", [np.ones(2, np.uint8)], {}, UdoCallError, "createOperation failed"),
        (
            "Relu8",
            [np.ones(2, np.float32)],
            {"quant": {"out": (0.1, 0)}},
            OpRequestError,
            r"input 0 'in' is TF-quantized \(queryOp\) but the request gives FLOAT_32",
        ),
        ("Relu8", [np.ones(2, np.uint8)], {}, OpRequestError, "scale and offset"),
        (
            "Relu8",
            [np.ones(2, np.uint8)],
            {"quant": {"in": (0.1, 0), "out": (0.1, 0), "gamma": (1.0, 0)}},
            OpRequestError,
            "names no tensor: gamma",
        ),
        (
            "Relu8",
            [np.ones(2, np.uint8)],
            {"quant": {"in": (0.0, 0), "out": (0.1, 0)}},
            OpRequestError,
            "scale must be positive",
        ),
        ("Threaded", [np.ones(2, np.float32)], {"params": {"bogus": 1}}, OpRequestError, "bogus"),
    ],
)
def test_bad_requests(
    package: DspOpPackage,
    library: Path,
    op: str,
    inputs: list[np.ndarray],
    kwargs: dict[str, object],
    error: type[Exception],
    message: str,
) -> None:
    with pytest.raises(error, match=message):
        package.execute(op, inputs, **kwargs)  # type: ignore[arg-type]
    assert _live(library) == 0


@pytest.mark.parametrize(
    ("op", "error", "message"),
    [
        (
            "FailExec",
            UdoCallError,
            r"executeOp failed with UDO error 3 \(UDO_UNSUPPORTED_FEATURE\)",
        ),
        ("NoSize", OpPackageError, "never called udoSetOutputTensorSize for output 0 'out'"),
        ("BigSize", OpPackageError, "output 0 needs 97 bytes, but 96 are allocated"),
        ("Shrink", OpPackageError, r"dimensions of output 0 'out' to \[1, 3, 8\].*\[2, 3, 8\]"),
    ],
)
def test_protocol_faults_are_errors(
    package: DspOpPackage, library: Path, op: str, error: type[Exception], message: str
) -> None:
    x = np.ones((2, 3, 4), np.float32)
    if op == "Shrink":
        x = np.ones((2, 3, 8), np.float32)
    with pytest.raises(error, match=message) as caught:
        package.execute(op, [x])
    assert isinstance(caught.value, OpPackageError)
    assert (caught.value.package, caught.value.op, caught.value.stage) == (
        "HandDsp",
        op,
        "executeOp",
    )
    assert _live(library) == 0  # releaseOp and releaseOpFactory ran all the same
    (out,) = package.execute("Threaded", [x])  # and the package still works
    np.testing.assert_array_equal(out, 2 * x)


def test_query_op_decides_what_is_quantized(library: Path, tmp_path: Path) -> None:
    """Declared as plain UINT_8 / FLOAT_32 here: queryOp's TF and NONE still rule."""
    config = tmp_path / "Plain.xml"

    def op(name: str, datatype: str) -> str:
        io = (f.tensor("Input", "in", (datatype,)), f.tensor("Output", "out", (datatype,)))
        return f.op(name, "DSP", inputs=[io[0]], outputs=[io[1]])

    config.write_text(
        f.config(
            "HandDsp", [op("Relu8", "QNN_DATATYPE_UINT_8"), op("Threaded", "QNN_DATATYPE_UINT_8")]
        )
    )
    with OpPackage.register(hand_dsp.spec(library), configs=[config]) as package:
        assert isinstance(package, DspOpPackage)
        q = np.arange(10, dtype=np.uint8)
        with pytest.raises(
            OpRequestError, match=r"TF-quantized \(queryOp\).*--quant in=SCALE,OFFSET"
        ):
            package.execute("Relu8", [q])
        with pytest.raises(OpRequestError, match=r"not quantized \(queryOp\)"):
            package.execute("Threaded", [q], quant={"in": (1.0, 0), "out": (1.0, 0)})
        (out,) = package.execute("Relu8", [q], quant={"in": (0.5, -5), "out": (0.5, 0)})
        np.testing.assert_array_equal(out, relu8_reference(q, (0.5, -5), (0.5, 0)))


def test_close_and_register_again(library: Path) -> None:
    package = OpPackage.register(hand_dsp.spec(library))
    package.close()
    with pytest.raises(OpRequestError, match="not registered"):
        package.execute("Threaded", [np.ones(2, np.float32)])
    package.init()
    (out,) = package.execute("Threaded", [np.ones(2, np.float32)])
    np.testing.assert_array_equal(out, [2.0, 2.0])
    package.close()


def test_registered_as_another_target_is_refused(library: Path) -> None:
    with pytest.raises(PackageLoadError, match=r"left interface function.*NULL: createOpImpl"):
        OpPackage.register(f"{library}:{hand_dsp.PROVIDER}:CPU")
    with pytest.raises(PackageLoadError, match="opgen_htp_registry"):
        OpPackage.register(f"{library}:{hand_dsp.PROVIDER}:HTP")


def test_isolated_run_and_crash(library: Path) -> None:
    q = RNG.integers(0, 256, size=(4, 4), dtype=np.uint8)
    quant = {"in": (0.05, -128), "out": (0.05, -128)}
    with OpPackage.register(hand_dsp.spec(library), isolate=True, timeout=60) as package:
        assert package.describe()[0][0] == "UDO infrastructure"
        (out,) = package.execute("Relu8", [q], quant=quant)
        np.testing.assert_array_equal(out, relu8_reference(q, *quant.values()))
        with pytest.raises(OpPackageError, match="UDO_UNSUPPORTED_FEATURE") as failed:
            package.execute("FailExec", [np.ones(3, np.float32)])
        assert (failed.value.stage, failed.value.code) == ("executeOp", 3)
        with pytest.raises(KernelCrashed) as caught:
            package.execute("Crash", [np.ones(3, np.float32)])
    assert caught.value.signal_name == "SIGSEGV"
    assert caught.value.stage == "executeOp"
    assert "HandDsp: op Crash: executeOp crashed the worker process" in str(caught.value)
