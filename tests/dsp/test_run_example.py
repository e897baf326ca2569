"""Generated DSP packages through the runtime: the implemented example
examples/dsp/ExampleDspOpPackage (quantized Relu, float Scale) against numpy, in-process and
with `opgen run`; and a generated package with every kind of param, whose op's own checks
(validateOp, createOpFactory) accept each param as the runtime converts it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

import opgen
from opgen.generate import generate
from opgen.runtime import OpPackage
from opgen.runtime.dsp import DspOpPackage, UdoCallError
from opgen.runtime.errors import OpPackageError
from tests.dsp.test_run_hand import relu8_reference

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "dsp" / "ExampleDspOpPackage"
RNG = np.random.default_rng(4)


def build_dsp(package: Path) -> Path:
    """`make dsp_x86` in `package` (g++, -Werror); the library it builds."""
    if shutil.which("g++") is None:
        pytest.skip("needs g++")
    env = {k: v for k, v in os.environ.items() if k not in ("QNN_SDK_ROOT", "HEXAGON_SDK_ROOT")}
    env["CXX"] = "g++ -Werror"
    result = subprocess.run(
        ["make", "-j2", "dsp_x86"],
        cwd=package,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (library,) = (package / "build" / "x86_64-linux-clang").glob("lib*.so")
    return library


@pytest.fixture
def example(example_dsp_library: Path) -> Path:
    return example_dsp_library


@pytest.fixture
def package(example: Path) -> Iterator[DspOpPackage]:
    with OpPackage.register(f"{example}::DSP") as registered:  # provider found in the symbols
        assert isinstance(registered, DspOpPackage)
        yield registered


@pytest.mark.parametrize("quant_in", [(0.1, -128), (0.02, 0), (0.5, -250)])
@pytest.mark.parametrize("quant_out", [(0.05, 0), (0.1, -128)])
def test_relu_matches_numpy(
    package: DspOpPackage, quant_in: tuple[float, int], quant_out: tuple[float, int]
) -> None:
    q = RNG.integers(0, 256, size=(1, 6, 5, 8), dtype=np.uint8)
    (out,) = package.execute("Relu", [q], quant={"in[0]": quant_in, "out[0]": quant_out})
    expected = relu8_reference(q, quant_in, quant_out)
    assert np.abs(out.astype(int) - expected.astype(int)).max() <= 1  # within one step


def test_scale_matches_numpy(package: DspOpPackage) -> None:
    x = RNG.standard_normal((2, 3, 4, 5), dtype=np.float32)
    (out,) = package.execute("Scale", [x], {"scale": -1.25, "bias": 0.75})
    np.testing.assert_allclose(out, x * -1.25 + 0.75, rtol=1e-6)
    (default_bias,) = package.execute("Scale", [x], {"scale": 3.0})
    np.testing.assert_allclose(default_bias, x * 3.0, rtol=1e-6)


def test_the_example_refuses_bad_requests_with_its_reason(package: DspOpPackage) -> None:
    x = np.ones((2, 2), np.float32)
    with pytest.raises(OpPackageError, match="package log: Scale: mandatory parameter 'scale'"):
        package.execute("Scale", [x], {"bias": 1.0})
    with pytest.raises(
        OpPackageError, match="input 'in\\[0\\]' has datatype QNN_DATATYPE_FLOAT_32"
    ):
        package.execute("Relu", [x], quant={"out[0]": (0.1, 0)})
    with pytest.raises(OpPackageError, match="validateOpConfig failed with error 3110"):
        package.execute("Scale", [x, x], {"scale": 1.0})


def test_opgen_run_the_example(example: Path, tmp_path: Path) -> None:
    q = RNG.integers(0, 256, size=(4, 16), dtype=np.uint8)
    np.save(tmp_path / "q.npy", q)
    command = [
        sys.executable, "-m", "opgen", "run", "--op_packages", f"{example}::DSP", "--op", "Relu",
        "-i", str(tmp_path / "q.npy"), "--quant", "in[0]=0.04,-64", "--quant", "out[0]=0.02,0",
        "-o", str(tmp_path / "out.npz"),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    out = np.load(tmp_path / "out.npz")["out[0]"]
    expected = relu8_reference(q, (0.04, -64), (0.02, 0))
    assert np.abs(out.astype(int) - expected.astype(int)).max() <= 1


# ---- every kind of param -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def every_kind(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.dsp.test_gen_package import every_kind_config

    root = tmp_path_factory.mktemp("dsp-every-kind")
    generate(opgen.load_packages([every_kind_config(root)]), root / "out")
    return build_dsp(root / "out" / "DspParamPkg")


def test_every_param_kind_reaches_the_op(every_kind: Path) -> None:
    """Echo's skeleton kernel is not written: executeOp reports it. Getting there means the
    op's validateOp and createOpFactory read every param as converted (bool as uint8, enum as
    an index, 8/16/32-bit scalars, 1D and 2D tensors)."""
    q = np.zeros((1, 2, 2, 3), np.uint8)
    params = {
        "flag": False,
        "mode": "nearest",
        "scale": 0.25,
        "small": -7,
        "count": 9,
        "pads": [[0, 1], [2, 3]],
        "fill": [1.0, 2.0, 3.0],
        "on": True,
        "k": 4_000_000_000,
    }
    quant = {"in[0]": (0.1, 0), "out[0]": (0.1, 0)}
    with OpPackage.register(f"{every_kind}::DSP") as package:
        assert isinstance(package, DspOpPackage)
        with pytest.raises(UdoCallError) as caught:
            package.execute("Echo", [q], params, quant=quant)
        error = caught.value
        assert error.stage == "executeOp" and error.code_name == "UDO_UNSUPPORTED_FEATURE"
        assert "Echo: kernel not implemented yet" in str(error)
        # A param of another datatype than declared is the package's to refuse.
        wrong = {"count": "FLOAT_32"}
        with pytest.raises(OpPackageError, match=r"failed with error 3110.*package log: .*count"):
            package.execute("Echo", [q], {**params, "count": 1.5}, param_types=wrong, quant=quant)
