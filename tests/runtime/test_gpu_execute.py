"""Running GPU op packages' OpenCL kernels through the GPU executor (pocl on the CPU when no GPU
is present), compared with numpy."""

from __future__ import annotations

import ctypes
import logging
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from opgen.runtime import (
    GpuOp,
    GpuOpPackage,
    KernelBuildError,
    OpPackage,
    OpPackageError,
    OpRequestError,
    PackageLoadError,
    gpu_infra,
    register,
)
from opgen.runtime import opencl as opencl_module
from opgen.runtime.gpu_infra import INFRASTRUCTURES
from opgen.runtime.opencl import ENV_DEVICE, Device
from tests.runtime import gpurtpkg

#: Sizes that are multiples of no work-group size, and some that are.
SHAPES = [(1,), (7,), (3, 5), (2, 3, 17), (64,), (257,), (4099,), (100_003,)]


def data(shape: tuple[int, ...], seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).uniform(-4, 4, size=shape).astype(np.float32)


def swish(x: np.ndarray, beta: float) -> np.ndarray:
    result: np.ndarray = (x / (1 + np.exp(-beta * x.astype(np.float64)))).astype(np.float32)
    return result


# ---- registration ------------------------------------------------------------------------------


def test_register_reads_the_info_and_describes_the_device(
    example: GpuOpPackage, opencl_device: Device
) -> None:
    info = example.info
    assert isinstance(example, GpuOpPackage)
    assert (info.package_name, info.target) == ("ExampleGpuOpPackage", "GPU")
    assert info.operations == ("Relu", "Swish", "Axpy")
    assert (info.core_api_version, info.backend_api_version) == ((2, 7, 2), (3, 2, 0))
    device = example.device_info()
    assert device is opencl_device.info
    assert device.name and device.platform and device.version.startswith("OpenCL ")
    assert device.max_work_group_size >= 1


def test_init_gets_the_device_properties(example: GpuOpPackage, opencl_device: Device) -> None:
    infrastructure = INFRASTRUCTURES[example.interface.library]
    assert example._global_infrastructure() == ctypes.addressof(infrastructure.struct)
    struct = infrastructure.struct
    api = struct.sdkApiVersion.contents
    assert (api.backendApiVersion.major, api.coreApiVersion.major) == (3, 2)
    assert struct.driverPath is None
    props = struct.deviceProperties.contents
    cl_device = opencl_device.device
    assert props.deviceVersion == cl_device.version.strip().encode()[:127]
    assert tuple(props.interfaceVersion) == opencl_device.info.version_numbers
    assert props.maxWorkGroupSize == cl_device.max_work_group_size
    assert props.maxBufferAllocSize == cl_device.max_mem_alloc_size
    assert props.baseAddrAlignment == cl_device.mem_base_addr_align // 8
    if cl_device.image_support:
        assert props.image2dMaxWidth == cl_device.image2d_max_width


def test_importing_the_runtime_does_not_import_pyopencl() -> None:
    code = "import sys, opgen.runtime; assert 'pyopencl' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_missing_pyopencl_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyopencl", None)
    with pytest.raises(PackageLoadError, match=r"pip install 'opgen\[gpu\]'"):
        opencl_module.import_pyopencl()


def test_the_device_can_be_chosen_by_name(
    gpu_example_library: Path, opencl_device: Device, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_DEVICE, opencl_device.info.name.upper()[:6])
    with GpuOpPackage.register(f"{gpu_example_library}::GPU") as package:
        assert package.device is opencl_device
    monkeypatch.setenv(ENV_DEVICE, "no such device anywhere")
    with pytest.raises(PackageLoadError, match=r"matches no OpenCL device \(devices: .+\)"):
        GpuOpPackage.register(f"{gpu_example_library}::GPU")


def test_a_package_of_another_target_is_refused(
    gpu_example_library: Path, rt_library: Path
) -> None:
    with pytest.raises(PackageLoadError, match=r"it is a CPU op package; register it as LIB::CPU"):
        register(f"{rt_library}::GPU")
    # Refused before init: the library's marker says GPU.
    with pytest.raises(
        PackageLoadError, match=r"exports QnnGpuOpPackage_getKernelBinary: it is a GPU"
    ):
        register(f"{gpu_example_library}::CPU")
    with register(f"{gpu_example_library}::GPU") as package:  # both terminated cleanly
        assert package.registered


# ---- the example's kernels ---------------------------------------------------------------------


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_example_ops_match_numpy(example: GpuOpPackage, shape: tuple[int, ...]) -> None:
    x, y = data(shape, 1), data(shape, 2)
    (relu,) = example.execute("Relu", [x])
    assert relu.shape == shape and relu.dtype == np.float32
    np.testing.assert_array_equal(relu, np.maximum(x, 0))
    (default,) = example.execute("Swish", [x])
    np.testing.assert_allclose(default, swish(x, 1.0), rtol=1e-5, atol=1e-6)
    (given,) = example.execute("Swish", [x], {"beta": 2.5})
    np.testing.assert_allclose(given, swish(x, 2.5), rtol=1e-5, atol=1e-6)
    (axpy,) = example.execute("Axpy", [x, y], {"alpha": -1.5})
    np.testing.assert_allclose(axpy, -1.5 * x + y, rtol=1e-6, atol=1e-6)


def test_an_empty_tensor_runs_no_work_item(example: GpuOpPackage) -> None:
    (out,) = example.execute("Relu", [np.zeros((0, 3), np.float32)])
    assert out.shape == (0, 3)


def test_a_reusable_op_sees_new_and_changed_inputs(example: GpuOpPackage) -> None:
    x = data((10,))
    with example.create("Swish", [x], {"beta": 0.5}) as op:
        assert isinstance(op, GpuOp) and len(op.kernels) == 1
        assert op.kernels[0].name == "Swish" and op.kernels[0].global_size == (10,)
        first = op.execute()
        np.testing.assert_allclose(first[0], swish(x, 0.5), rtol=1e-5, atol=1e-6)
        x[:] = 1.0  # changed in place: copied again on the next execution
        second = op.execute()
        assert second[0] is first[0]
        np.testing.assert_allclose(second[0], swish(x, 0.5), rtol=1e-5)
        other = data((10,), 5)
        np.testing.assert_allclose(op.execute([other])[0], swish(other, 0.5), rtol=1e-5)
        mine = np.empty(10, np.float32)
        assert op.execute(outputs=[mine])[0] is mine
        with pytest.raises(OpRequestError, match=r"input 0 must be a C-contiguous float32"):
            op.execute([np.zeros(11, np.float32)])
        with pytest.raises(OpRequestError, match="created with 1 input"):
            op.execute([x, x])
    with pytest.raises(OpRequestError, match="the op was freed"):
        op.execute()
    assert not example._live


def test_close_frees_live_ops_and_register_works_again(gpu_example_library: Path) -> None:
    spec = f"{gpu_example_library}::GPU"
    package = GpuOpPackage.register(spec)
    op = package.create("Relu", [np.ones(3, np.float32)])
    package.close()
    with pytest.raises(OpRequestError, match="freed"):
        op.execute()
    with GpuOpPackage.register(spec) as again:
        np.testing.assert_array_equal(again.execute("Relu", [-np.ones(2, np.float32)])[0], 0)


# ---- bad requests ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("op", "inputs", "params", "error", "fragment"),
    [
        ("Axpy", 2, {}, OpPackageError, "mandatory parameter 'alpha' is missing"),
        ("Axpy", 1, {"alpha": 1.0}, OpPackageError, "Axpy: expected 2 input(s), got 1"),
        ("Relu", 2, {}, OpPackageError, "Relu: expected 1 input(s), got 2"),
        ("Swish", 1, {"beta": "big"}, OpRequestError, "'beta' expects FLOAT_32"),
        ("Swish", 1, {"gamma": 1.0}, OpRequestError, "unknown parameter 'gamma'"),
        ("Gelu", 1, {}, OpRequestError, "no such op (the package has: Relu, Swish, Axpy)"),
    ],
)
def test_bad_requests_fail_cleanly(
    example: GpuOpPackage,
    op: str,
    inputs: int,
    params: dict[str, object],
    error: type[Exception],
    fragment: str,
) -> None:
    x = np.ones(4, np.float32)
    with pytest.raises(error) as caught:
        example.execute(op, [x] * inputs, params)  # type: ignore[arg-type]
    assert fragment in str(caught.value)
    assert not example._live
    np.testing.assert_array_equal(example.execute("Relu", [x])[0], x)  # still usable


def test_a_node_refused_by_configure_launch_quotes_the_reason(
    example: GpuOpPackage, caplog: pytest.LogCaptureFixture
) -> None:
    x = np.ones(4, np.float32)
    with (
        caplog.at_level(logging.ERROR, logger="opgen.runtime"),
        pytest.raises(OpPackageError) as caught,
    ):
        example.execute("Axpy", [x, np.ones(5, np.float32)], {"alpha": 1.0})
    assert caught.value.stage == "createOpImpl"
    assert caught.value.code_name == "QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT"
    assert "Axpy: in[0], in[1] and out[0] must have one shape" in str(caught.value)
    assert example.last_error() == "Axpy: in[0], in[1] and out[0] must have one shape"
    assert "Axpy: in[0], in[1] and out[0] must have one shape" in caplog.messages  # formatted


def test_a_wrong_datatype_is_refused_by_validation(example: GpuOpPackage) -> None:
    with pytest.raises(OpPackageError, match="validateOpConfig failed"):
        example.execute("Relu", [np.ones(3, np.float64)])


# ---- GpuRtPkg: local memory, build options, NULL, 2-D launches, every DATA type ---------------


def tiled(x: np.ndarray, y: np.ndarray | None, scale: float) -> np.ndarray:
    group = gpurtpkg.GROUP
    padded = np.zeros(-(-x.size // group) * group, np.float32)
    padded[: x.size] = x
    mirrored = padded.reshape(-1, group)[:, ::-1].reshape(-1)[: x.size]
    result: np.ndarray = scale * mirrored + (0 if y is None else y) + np.float32(gpurtpkg.BIAS)
    return result


@pytest.mark.parametrize("size", [1, 63, 64, 65, 200, 5000])
def test_local_memory_build_options_and_null_inputs(gpu_rt: GpuOpPackage, size: int) -> None:
    x, y = data((size,), 3), data((size,), 4)
    (alone,) = gpu_rt.execute("Tiled", [x])
    np.testing.assert_allclose(alone, tiled(x, None, 1.0), rtol=1e-6)
    (both,) = gpu_rt.execute("Tiled", [x, y], {"scale": 3.0})
    np.testing.assert_allclose(both, tiled(x, y, 3.0), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("shape", [(1, 1), (3, 5), (17, 33), (300, 7)], ids=str)
def test_a_two_dimensional_launch(gpu_rt: GpuOpPackage, shape: tuple[int, int]) -> None:
    x = data(shape)
    (out,) = gpu_rt.execute("Transpose", [x], outputs=[((shape[1], shape[0]), np.float32)])
    np.testing.assert_array_equal(out, x.T)


def test_every_cl_type_of_data_arguments(gpu_rt: GpuOpPackage) -> None:
    (out,) = gpu_rt.execute("Scalars", [np.zeros(10, np.float32)])
    expected = [-3, 250, -300, 60000, -70000, 3e9, -(2.0**40), 2.0**63, 0.25, 0.125]
    np.testing.assert_array_equal(out, np.array(expected, np.float32))


def test_a_kernel_with_a_syntax_error_raises_with_its_build_log(gpu_rt: GpuOpPackage) -> None:
    with pytest.raises(KernelBuildError) as caught:
        gpu_rt.execute("Broken", [np.ones(3, np.float32)])
    error = caught.value
    assert (error.package, error.op, error.stage) == ("GpuRtPkg", "Broken", "build")
    assert error.kernel == "Broken"
    assert "error:" in error.build_log
    assert "kernel 'Broken' does not build" in str(error)
    assert "build log: " in str(error) and "error:" in str(error)
    assert not gpu_rt._live  # the operation was freed
    with pytest.raises(KernelBuildError):  # failures are not cached as programs
        gpu_rt.execute("Broken", [np.ones(3, np.float32)])


@pytest.mark.parametrize("mode", sorted(gpurtpkg.ODD_MODES))
def test_misbehaving_operations_fail_cleanly(gpu_rt: GpuOpPackage, mode: int) -> None:
    x = np.arange(5, dtype=np.float32)
    with pytest.raises(OpPackageError) as caught:
        gpu_rt.execute("Odd", [x], {"mode": mode})
    assert gpurtpkg.ODD_MODES[mode] in str(caught.value)
    assert caught.value.op == "Odd"
    assert not gpu_rt._live
    np.testing.assert_array_equal(gpu_rt.execute("Odd", [x], {"mode": 0})[0], 2 * x)


def test_programs_are_built_once_per_device(gpu_rt: GpuOpPackage, opencl_device: Device) -> None:
    x = np.ones(8, np.float32)
    gpu_rt.execute("Odd", [x], {"mode": 0})
    count = len(opencl_device._programs)
    for mode in (0, 0):
        gpu_rt.execute("Odd", [x], {"mode": mode})
    assert len(opencl_device._programs) == count


def test_the_executor_is_picked_by_target(gpu_rt_library: Path) -> None:
    with OpPackage.register(f"{gpu_rt_library}:GpuRtPkgInterfaceProvider:gpu") as package:
        assert isinstance(package, GpuOpPackage)


def test_without_va_list_formatting_the_last_error_is_quoted(
    example: GpuOpPackage, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gpu_infra, "_VSNPRINTF", None)  # as where va_list cannot be passed on
    with pytest.raises(OpPackageError) as caught:
        example.execute("Axpy", [np.ones(2, np.float32)] * 2)
    assert "%" in caught.value.log[0]  # the bare format
    assert caught.value.log[-1] == "Axpy: mandatory parameter 'alpha' is missing"
