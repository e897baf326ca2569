"""Running RtPkg's real kernels through the CPU executor, compared with numpy."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from opgen.runtime import (
    CpuOp,
    CpuOpPackage,
    OpPackage,
    OpPackageError,
    OpRequestError,
    PackageLoadError,
    register,
)
from tests import factories as f

ARITHMETIC = [np.float32, np.int8, np.int16, np.int32, np.uint8, np.uint16, np.uint32]


def add_scaled(a: np.ndarray, b: np.ndarray, alpha: float, offset: int) -> np.ndarray:
    return (a.astype(np.float64) + alpha * b.astype(np.float64) + offset).astype(a.dtype)


def test_register_reads_the_info(package: CpuOpPackage, rt_library: Path) -> None:
    info = package.info
    assert info.package_name == "RtPkg"
    assert info.operations == ("AddScaled", "Concat", "RowMax", "Fail")
    assert info.interface_provider == "RtPkgInterfaceProvider"
    assert info.interface_version == (1, 4, 0)
    assert info.sdk_build_id == "v2.13.0.230725130242_60412"
    assert (info.core_api_version, info.backend_api_version) == ((2, 7, 2), (1, 1, 0))
    assert info.library == str(rt_library.resolve())
    assert package.config_paths == [str(rt_library.parents[2] / "config" / "RtPkg.xml")]


@pytest.mark.parametrize("dtype", ARITHMETIC, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("shape", [(5,), (2, 3), (2, 1, 4)], ids=str)
def test_add_scaled_matches_numpy(package: CpuOpPackage, dtype: type, shape: tuple[int]) -> None:
    rng = np.random.default_rng(7)
    a: np.ndarray = rng.integers(0, 20, size=shape).astype(dtype)
    b: np.ndarray = rng.integers(0, 20, size=shape).astype(dtype)
    (out,) = package.execute("AddScaled", [a, b], {"alpha": 2.0, "offset": 3})
    assert out.dtype == dtype and out.shape == shape
    np.testing.assert_array_equal(out, add_scaled(a, b, 2.0, 3))


def test_optional_params_take_their_defaults_or_the_given_values(package: CpuOpPackage) -> None:
    a = np.array([1.0, 2.0], np.float32)
    b = np.array([10.0, 20.0], np.float32)
    (omitted,) = package.execute("AddScaled", [a, b], {"offset": 0})
    np.testing.assert_array_equal(omitted, a + b)  # alpha 1.0, swap false
    (given,) = package.execute("AddScaled", [a, b], {"offset": 1, "alpha": 0.5, "swap": True})
    np.testing.assert_array_equal(given, b + 0.5 * a + 1)


@pytest.mark.parametrize("count", [1, 2, 3])
def test_repeated_input_takes_one_to_three_tensors(package: CpuOpPackage, count: int) -> None:
    parts = [np.full((2, i + 1), i, np.float32) for i in range(count)]
    expected = np.concatenate(parts, axis=1)
    (out,) = package.execute("Concat", parts, {"axis": 1}, [(expected.shape, np.float32)])
    np.testing.assert_array_equal(out, expected)
    (rows,) = package.execute("Concat", [p.T for p in parts], None, [(expected.T.shape, "f4")])
    np.testing.assert_array_equal(rows, expected.T)


@pytest.mark.parametrize(
    "dtype", [np.bool_, np.int8, np.uint16, np.int64, np.uint64, np.float16], ids=str
)
def test_every_datatype_crosses_intact(package: CpuOpPackage, dtype: type) -> None:
    a: np.ndarray = (np.arange(6) % 2 == 0) if dtype is np.bool_ else np.arange(6).astype(dtype)
    b: np.ndarray = np.ones(3, dtype)
    (out,) = package.execute("Concat", [a, b], outputs=[((9,), dtype)])
    np.testing.assert_array_equal(out, np.concatenate([a, b]))


def test_tensor_param_and_two_named_outputs(package: CpuOpPackage) -> None:
    x = np.array([[1, 5, 3], [4, 2, 0]], np.float32)
    outputs = [((2,), np.float32), ((2,), np.int32)]
    values, indices = package.execute("RowMax", [x], outputs=outputs)
    np.testing.assert_array_equal(values, x.max(axis=1))
    np.testing.assert_array_equal(indices, x.argmax(axis=1))
    weights = [3, 1, 1]  # a list: becomes the declared FLOAT_32 tensor
    values, indices = package.execute("RowMax", [x], {"weights": weights}, outputs)
    np.testing.assert_array_equal(values, (x * weights).max(axis=1))
    np.testing.assert_array_equal(indices, (x * weights).argmax(axis=1))


def test_a_reusable_op_runs_many_times_and_follows_rebound_arrays(
    package: CpuOpPackage,
) -> None:
    a = np.zeros(4, np.int32)
    b = np.arange(4, dtype=np.int32)
    with package.create("AddScaled", [a, b], {"offset": 1}) as op:
        for step in range(3):
            a[:] = step  # the op reads the arrays it was created with
            (out,) = op.execute()
            np.testing.assert_array_equal(out, step + b + 1)
        other = np.full(4, 100, np.int32)
        (out,) = op.execute([other, b])
        np.testing.assert_array_equal(out, 100 + b + 1)
        with pytest.raises(OpRequestError, match="shape"):
            op.execute([np.zeros(5, np.int32), b])
    with pytest.raises(OpRequestError, match="freed"):
        op.execute()


@pytest.mark.parametrize(
    ("inputs", "params", "reason"),
    [
        (1, {"offset": 1}, "AddScaled: expected 2 input(s), got 1"),
        (2, {}, "AddScaled: mandatory parameter 'offset' is missing"),
    ],
)
def test_validation_failures_quote_the_package(
    package: CpuOpPackage, inputs: int, params: dict[str, int], reason: str
) -> None:
    a = np.ones(3, np.float32)
    with pytest.raises(OpPackageError) as caught:
        package.execute("AddScaled", [a] * inputs, params)
    error = caught.value
    assert (error.package, error.op, error.stage, error.code) == (
        "RtPkg",
        "AddScaled",
        "validateOpConfig",
        3110,
    )
    assert str(error) == (
        "RtPkg: op AddScaled: validateOpConfig failed with error 3110 "
        f"(QNN_OP_PACKAGE_ERROR_VALIDATION_FAILURE); package log: {reason}"
    )


def test_a_datatype_the_op_does_not_declare_is_refused_by_the_package(
    package: CpuOpPackage,
) -> None:
    a = np.ones(3, np.float16)
    with pytest.raises(OpPackageError, match=r"has datatype QNN_DATATYPE_FLOAT_16, expected"):
        package.execute("AddScaled", [a, a], {"offset": 1})


def test_a_failing_kernel_raises_with_its_code_and_reason(package: CpuOpPackage) -> None:
    with pytest.raises(OpPackageError) as caught:
        package.execute("Fail", [np.ones(2, np.float32)])
    assert caught.value.stage == "execute"
    assert str(caught.value) == (
        "RtPkg: op Fail: execute failed with error 1100 (QNN_OP_PACKAGE_ERROR_GENERAL); "
        "package log: Fail: this kernel always fails"
    )


def test_a_kernel_that_refuses_its_arguments_raises(package: CpuOpPackage) -> None:
    a = np.ones((2, 2), np.float32)
    with pytest.raises(OpPackageError, match=r"the output has 4 element\(s\), the inputs 8"):
        package.execute("Concat", [a, a])  # default output: the first input's shape


def test_requests_are_checked_before_reaching_the_package(package: CpuOpPackage) -> None:
    a = np.ones(2, np.float32)
    with pytest.raises(OpRequestError, match=r"no such op \(the package has: AddScaled, Concat"):
        package.execute("Nope", [a])
    with pytest.raises(
        OpRequestError, match=r"parameter 'offset' expects UINT_32, got number 1\.5"
    ):
        package.execute("AddScaled", [a, a], {"offset": 1.5})
    with pytest.raises(OpRequestError, match="'offset' expects UINT_32, got integer -1"):
        package.execute("AddScaled", [a, a], {"offset": -1})
    with pytest.raises(OpRequestError, match="'swap' expects BOOL_8, got integer 1"):
        package.execute("AddScaled", [a, a], {"offset": 1, "swap": 1})
    with pytest.raises(OpRequestError, match=r"unknown parameter 'beta' \(parameters: alpha"):
        package.execute("AddScaled", [a, a], {"offset": 1, "beta": 2})


def test_package_messages_reach_python_logging(
    package: CpuOpPackage, caplog: pytest.LogCaptureFixture
) -> None:
    a = np.ones(3, np.float32)
    with caplog.at_level(logging.DEBUG, logger="opgen.runtime"):
        package.execute("AddScaled", [a, a], {"offset": 0})
        with pytest.raises(OpPackageError):
            package.execute("AddScaled", [a], {"offset": 0})
    records = [(r.name, r.levelno, r.getMessage()) for r in caplog.records]
    assert ("opgen.runtime.RtPkg", logging.DEBUG, "AddScaled: 3 element(s)") in records
    assert (
        "opgen.runtime.RtPkg",
        logging.ERROR,
        "AddScaled: expected 2 input(s), got 1",
    ) in records
    assert package.messages[-1] == "AddScaled: expected 2 input(s), got 1"


def test_terminate_then_init_again(rt_library: Path) -> None:
    a = np.ones(2, np.float32)
    package = register(str(rt_library))
    assert isinstance(package, CpuOpPackage)
    (first,) = package.execute("AddScaled", [a, a], {"offset": 1})
    op = package.create("AddScaled", [a, a], {"offset": 2})  # left for close() to free
    package.close()
    assert not package.registered
    with pytest.raises(OpRequestError, match="not registered"):
        package.execute("AddScaled", [a, a], {"offset": 1})
    with pytest.raises(OpRequestError, match="freed"):
        op.execute()
    package.init()
    (again,) = package.execute("AddScaled", [a, a], {"offset": 1})
    np.testing.assert_array_equal(first, again)
    package.close()
    with OpPackage.register(f"{rt_library}:RtPkgInterfaceProvider:CPU") as third:
        assert third.info.package_name == "RtPkg"


def test_a_second_registration_of_a_live_library_is_refused(package: CpuOpPackage) -> None:
    with pytest.raises(OpPackageError) as caught:
        CpuOpPackage.register(package.info.library)
    assert caught.value.stage == "init"
    assert "QNN_OP_PACKAGE_ERROR_LIBRARY_ALREADY_INITIALIZED" in str(caught.value)
    a = np.ones(2, np.float32)
    package.execute("AddScaled", [a, a], {"offset": 1})  # the first one still works


def test_param_types_replace_a_missing_declaration(rt_library: Path, tmp_path: Path) -> None:
    # A copy of the library away from its config/: the runtime falls back to Python types.
    lonely = tmp_path / "libRtPkg.so"
    lonely.write_bytes(rt_library.read_bytes())
    a = np.ones(2, np.float32)
    with CpuOpPackage.register(str(lonely)) as package:
        assert package.config_paths == []
        # A Python int travels as INT_32; the package reads any integer width for its UINT_32
        # param, and refuses only a value its declared datatype cannot hold.
        (out,) = package.execute("AddScaled", [a, a], {"offset": 1})
        np.testing.assert_array_equal(out, a + a + 1)
        with pytest.raises(OpPackageError, match=r"'offset' = -1 \(QNN_DATATYPE_INT_32\) is out"):
            package.execute("AddScaled", [a, a], {"offset": -1})
        types = {"offset": "UINT_32"}
        (out,) = package.execute("AddScaled", [a, a], {"offset": 1}, param_types=types)
        np.testing.assert_array_equal(out, a + a + 1)
        config = rt_library.parents[2] / "config" / "RtPkg.xml"
    with CpuOpPackage.register(str(lonely), configs=[config]) as package:
        (out,) = package.execute("AddScaled", [a, a], {"offset": 1})
        np.testing.assert_array_equal(out, a + a + 1)


def test_named_configs_must_declare_the_package(rt_library: Path, tmp_path: Path) -> None:
    other = tmp_path / "Other.xml"
    other.write_text(f.config("OtherPkg", [f.op("Noop")]), encoding="utf-8")
    with pytest.raises(PackageLoadError, match="they declare OtherPkg, not RtPkg"):
        CpuOpPackage.register(str(rt_library), configs=[other])
    broken = tmp_path / "Broken.xml"
    broken.write_text("<OpDefCollection", encoding="utf-8")
    with pytest.raises(PackageLoadError, match=r"the configs do not load: 1 error\(s\)"):
        CpuOpPackage.register(str(rt_library), configs=[broken])
    with CpuOpPackage.register(str(rt_library)) as package:  # the failures terminated cleanly
        assert package.registered


def test_create_op_impl_failures_are_reported_too(package: CpuOpPackage) -> None:
    # Skipping validateOpConfig (which would refuse first) reaches createOpImpl's own check.
    a = np.ones(2, np.float32)
    request = package.request("AddScaled", [a, a], {"alpha": 2.0})
    with pytest.raises(OpPackageError) as caught:
        CpuOp(package, request, "unvalidated")
    assert caught.value.stage == "createOpImpl"
    assert str(caught.value) == (
        "RtPkg: op AddScaled: createOpImpl failed with error 3200 "
        "(QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT); package log: "
        "AddScaled: mandatory parameter 'offset' is missing"
    )


def test_an_input_of_the_declared_rank_only(package: CpuOpPackage) -> None:
    outputs = [((4,), np.float32), ((4,), np.int32)]
    with pytest.raises(OpPackageError, match=r"rank 1, expected 2") as info:
        package.execute("RowMax", [np.zeros(4, np.float32)], outputs=outputs)
    assert "QNN_OP_PACKAGE_ERROR_VALIDATION_FAILURE" in str(info.value)


def test_registering_as_gpu_first_leaves_the_cpu_messages_alone(rt_library: Path) -> None:
    """The GPU executor installs a log callback (logInitialize); a failed GPU registration must
    remove it (logTerminate), or the CPU package's later messages go to the wrong place."""
    pytest.importorskip("pyopencl")
    with pytest.raises(PackageLoadError, match="it is a CPU op package"):
        register(f"{rt_library}::GPU")
    with register(str(rt_library)) as package, pytest.raises(OpPackageError) as caught:
        package.execute("AddScaled", [np.ones(3, np.float32)], {"offset": 1})
    assert caught.value.log == ("AddScaled: expected 2 input(s), got 1",)
