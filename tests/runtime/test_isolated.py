"""The isolated package (worker process) behaves as the in-process one: same results, same
errors, same messages; the GPU executor runs isolated too; errors cross the pipe intact."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from opgen.runtime import (
    IsolatedOpPackage,
    KernelBuildError,
    OpPackage,
    OpPackageError,
    OpRequestError,
    OutputOverrun,
    OutputUnwritten,
    PackageLoadError,
    channel,
    register,
)
from opgen.runtime.errors import OutputCheckError
from tests.runtime import gpurtpkg

Package = OpPackage | IsolatedOpPackage  # the tests use only the API both present

ARITHMETIC = [np.float32, np.int8, np.int16, np.int32, np.uint8, np.uint16, np.uint32]


@pytest.fixture(scope="module", params=["in-process", "isolated"])
def any_package(request: pytest.FixtureRequest, rt_library: Path) -> Iterator[Package]:
    """RtPkg, registered once per mode for this module."""
    with register(str(rt_library), isolate=request.param == "isolated") as package:
        yield package


def test_the_info_is_the_same(any_package: Package, rt_library: Path) -> None:
    with register(str(rt_library), isolate=True) as isolated:
        assert isolated.info == any_package.info
        assert isolated.config_paths == any_package.config_paths
        assert isolated.declaration("RowMax") == any_package.declaration("RowMax")
        assert isolated.device_info() is None


@pytest.mark.parametrize("dtype", ARITHMETIC, ids=lambda d: np.dtype(d).name)
def test_results_match_numpy(any_package: Package, dtype: type) -> None:
    a = np.arange(6).reshape(2, 3).astype(dtype)
    b = np.ones((2, 3), dtype)
    (out,) = any_package.execute("AddScaled", [a, b], {"alpha": 2.0, "offset": 3})
    assert out.dtype == dtype and out.shape == (2, 3)
    np.testing.assert_array_equal(out, (a + 2 * b + 3).astype(dtype))


def test_repeated_inputs_two_outputs_and_given_arrays(any_package: Package) -> None:
    parts = [np.full((2, i + 1), i, np.float32) for i in range(3)]
    expected = np.concatenate(parts, axis=1)
    given = np.empty(expected.shape, np.float32)
    (out,) = any_package.execute("Concat", parts, {"axis": 1}, [given])
    assert out is given  # written into the caller's array, isolated or not
    np.testing.assert_array_equal(given, expected)
    x = np.array([[1, 5, 3], [4, 2, 0]], np.float32)
    values, indices = any_package.execute(
        "RowMax", [x], {"weights": [3, 1, 1]}, [((2,), np.float32), ((2,), np.int32)]
    )
    np.testing.assert_array_equal(values, (x * [3, 1, 1]).max(axis=1))
    np.testing.assert_array_equal(indices, (x * [3, 1, 1]).argmax(axis=1))


def test_package_errors_are_the_same(any_package: Package) -> None:
    a = np.ones(3, np.float32)
    with pytest.raises(OpPackageError) as caught:
        any_package.execute("AddScaled", [a], {"offset": 1})
    assert type(caught.value) is OpPackageError
    assert (caught.value.stage, caught.value.code) == ("validateOpConfig", 3110)
    assert str(caught.value) == (
        "RtPkg: op AddScaled: validateOpConfig failed with error 3110 "
        "(QNN_OP_PACKAGE_ERROR_VALIDATION_FAILURE); package log: AddScaled: expected 2 "
        "input(s), got 1"
    )
    with pytest.raises(OpPackageError, match="package log: Fail: this kernel always fails"):
        any_package.execute("Fail", [a])
    with pytest.raises(OpRequestError, match="'offset' expects UINT_32, got integer -1"):
        any_package.execute("AddScaled", [a, a], {"offset": -1})
    with pytest.raises(OpRequestError, match=r"no such op \(the package has: AddScaled"):
        any_package.execute("Nope", [a])


def test_messages_reach_python_logging(
    any_package: Package, caplog: pytest.LogCaptureFixture
) -> None:
    a = np.ones(3, np.float32)
    with caplog.at_level(logging.DEBUG, logger="opgen.runtime"):
        any_package.execute("AddScaled", [a, a], {"offset": 0})
    records = [(r.name, r.levelno, r.getMessage()) for r in caplog.records]
    assert ("opgen.runtime.RtPkg", logging.DEBUG, "AddScaled: 3 element(s)") in records
    assert any_package.messages[-1] == "AddScaled: 3 element(s)"


def test_closing_and_using_a_closed_package(rt_library: Path) -> None:
    package = register(str(rt_library), isolate=True)
    package.close()
    package.close()  # twice is fine
    with pytest.raises(OpRequestError, match="not registered"):
        package.execute("Fail", [np.ones(2, np.float32)])


def test_registration_failures_come_back_as_the_same_error(tmp_path: Path) -> None:
    missing = tmp_path / "libNope.so"
    with pytest.raises(PackageLoadError) as isolated:
        register(str(missing), isolate=True)
    with pytest.raises(PackageLoadError) as in_process:
        register(str(missing))
    assert str(isolated.value) == str(in_process.value)


@pytest.mark.parametrize(
    "error",
    [
        OpPackageError("m", package="P", op="O", stage="execute", code=1100, log=["a", "b"]),
        OpRequestError("m", package="P", op="O"),
        OutputOverrun("past", package="P", op="O", stage="execute"),
        OutputUnwritten("unwritten", package="P", op="O", stage="execute"),
        KernelBuildError("nope", build_log="line 1", kernel="K", package="P", op="O"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_errors_cross_the_pipe_intact(error: OpPackageError) -> None:
    back = channel.error_from_wire(channel.error_to_wire(error))
    assert type(back) is type(error) and str(back) == str(error)
    assert (back.package, back.op, back.stage, back.code, back.log) == (
        error.package,
        error.op,
        error.stage,
        error.code,
        error.log,
    )
    if isinstance(error, KernelBuildError):
        assert isinstance(back, KernelBuildError)
        assert (back.build_log, back.kernel) == ("line 1", "K")
    assert isinstance(back, OutputCheckError) == isinstance(error, OutputCheckError)


# ---- GPU -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def isolated_gpu_rt(gpu_rt_library: Path) -> Iterator[IsolatedOpPackage]:
    with register(f"{gpu_rt_library}::GPU", isolate=True, timeout=120) as package:
        yield package


def test_gpu_example_runs_isolated(gpu_example_library: Path) -> None:
    x = np.linspace(-2, 2, 9, dtype=np.float32)
    with register(f"{gpu_example_library}::GPU", isolate=True, timeout=120) as package:
        assert package.target == "GPU"
        device = package.device_info()
        assert device is not None and device.name
        (out,) = package.execute("Relu", [x])
        np.testing.assert_array_equal(out, np.maximum(x, 0))
        (axpy,) = package.execute("Axpy", [x, x], {"alpha": 2.0})
        np.testing.assert_allclose(axpy, 3 * x)


def test_gpu_build_errors_and_canaries_isolated(isolated_gpu_rt: IsolatedOpPackage) -> None:
    x = np.arange(5, dtype=np.float32)
    with pytest.raises(KernelBuildError) as caught:
        isolated_gpu_rt.execute("Broken", [x])
    assert caught.value.kernel == "Broken" and "error:" in caught.value.build_log
    for mode, kind in ((8, OutputOverrun), (9, OutputUnwritten)):
        with pytest.raises(kind, match=re.escape(gpurtpkg.ODD_MODES[mode])):
            isolated_gpu_rt.execute("Odd", [x], {"mode": mode})
    np.testing.assert_array_equal(isolated_gpu_rt.execute("Odd", [x], {"mode": 0})[0], 2 * x)
