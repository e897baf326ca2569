"""GPU (OpenCL) package generation: layout, golden example, determinism, builds, OpenCL validity,
and the C contract of the built library (driven through ctypes, kernels run with pyopencl)."""

from __future__ import annotations

import ctypes
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import opgen
from opgen.backends import opencl
from opgen.generate import generate
from opgen.runtime.abi import common as qnn
from tests import factories as f
from tests.conftest import ROOT, build_package
from tests.generate.gpu_harness import GpuPackage, Node, Scalar, read_operation, run_kernel

VALID = ROOT / "tests" / "configs" / "valid"
EXAMPLE_CONFIG = ROOT / "examples" / "gpu" / "ExampleGpuOpPackage.xml"
EXAMPLE_GPU = ROOT / "examples" / "gpu" / "ExampleGpuOpPackage"
EXAMPLE = "ExampleGpuOpPackage"
F32, F16, I32 = 0x0232, 0x0216, 0x0032

# DATA argument CL types (QnnGpu_DataKernelArgType_t) and argument kinds (QnnGpu_KernelArgType_t).
CHAR, UCHAR, SHORT, USHORT, INT, UINT, LONG, ULONG, FLOAT = range(9)
IN, OUT, DATA, NULL = 0, 2, 6, 8


def tree(directory: Path) -> dict[str, bytes]:
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file() and not {"libs", "obj"} & set(p.relative_to(directory).parts)
    }


def run_generator(*args: str) -> subprocess.CompletedProcess[str]:
    code = "from opgen.cli import vendor_main; vendor_main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120
    )


def as_gpu_config(source: Path, directory: Path) -> Path:
    """A copy of a CPU test config that targets the GPU instead."""
    text = source.read_text(encoding="utf-8")
    target = directory / source.name
    target.write_text(text.replace(">CPU</SupportedBackend>", ">GPU</SupportedBackend>"))
    return target


def opencl_context() -> Any:
    cl = pytest.importorskip("pyopencl")
    try:
        devices = [d for p in cl.get_platforms() for d in p.get_devices()]
    except cl.Error as exc:  # no ICD loader or no platform
        pytest.skip(f"no OpenCL platform: {exc}")
    if not devices:
        pytest.skip("no OpenCL device")
    return cl.Context(devices=devices[:1])


# ---- layout, ownership, golden example, determinism ---------------------------------------------


def test_vendor_layout(tmp_path: Path) -> None:
    result = run_generator("-p", str(EXAMPLE_CONFIG), "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr
    files = set(tree(tmp_path / EXAMPLE))
    for expected in (
        "Makefile",
        "makefiles/Makefile.linux-x86_64",
        "makefiles/Kernels.mk",
        "makefiles/Android.mk",
        "makefiles/Application.mk",
        "config/ExampleGpuOpPackage.xml",
        "include/QNN/QnnOpPackage.h",
        "include/QNN/GPU/QnnGpuOpPackage.h",
        "include/opgen/GpuOpSupport.hpp",
        "include/opgen/OpConfigSupport.hpp",
        "include/ops/Swish.hpp",
        "src/ExampleGpuOpPackageInterface.cpp",
        "src/utils/GpuOpSupport.cpp",
        "src/utils/OpConfigSupport.cpp",
        *(f"src/ops/{op}.{ext}" for op in ("Relu", "Swish", "Axpy") for ext in ("cl", "cpp")),
    ):
        assert expected in files
    assert not [p for p in files if p.startswith("include/QNN/CPU/")]
    assert "ExampleGpuOpPackageInterfaceProvider" in result.stdout


def test_opgen_owned_files_say_so_on_their_first_line(tmp_path: Path) -> None:
    (out,) = generate(opgen.load_packages([EXAMPLE_CONFIG]), tmp_path)
    package, report = out
    user = sorted(r.relpath for r in package.files if r.owner.value == "user")
    assert user == [
        f"src/ops/{op}.{ext}" for op in ("Axpy", "Relu", "Swish") for ext in ("cl", "cpp")
    ]
    for rendered in package.files:
        if rendered.relpath.startswith("config/"):
            continue
        first = rendered.content.split(b"\n", 1)[0]
        if rendered.owner.value == "opgen":
            assert b"opgen-owned" in first, rendered.relpath
        else:
            assert b"opgen-owned" not in rendered.content, rendered.relpath
    assert sorted(report.created) == sorted(f.relpath for f in package.files)


def test_committed_example_matches_the_generator(tmp_path: Path) -> None:
    """Golden check: every opgen-owned file of the example is what opgen generates today.

    After a deliberate template change, regenerate it with:
        qnn-op-package-generator -p examples/gpu/ExampleGpuOpPackage.xml -o examples/gpu
    """
    generate(opgen.load_packages([EXAMPLE_CONFIG]), tmp_path)
    fresh = tree(tmp_path / EXAMPLE)
    committed = tree(EXAMPLE_GPU)
    owned = [p for p in fresh if not p.startswith("src/ops/")]
    assert {p: committed.get(p) for p in owned} == {p: fresh[p] for p in owned}
    assert sorted(p for p in committed if p.startswith("src/ops/")) == sorted(
        p for p in fresh if p.startswith("src/ops/")
    )


def test_output_is_deterministic(tmp_path: Path) -> None:
    configs = [VALID / "gpu_kernels.xml", EXAMPLE_CONFIG]
    generate(opgen.load_packages(configs), tmp_path / "a")
    generate(opgen.load_packages(configs), tmp_path / "b")
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def test_a_package_for_cpu_and_gpu_gets_one_directory_per_backend(tmp_path: Path) -> None:
    text = f.config("Both", [f.op("OnCpu", "CPU"), f.op("OnGpu", "GPU")])
    generate(opgen.load_packages([f.write(tmp_path, "both.xml", text)]), tmp_path / "out")
    cpu, gpu = tmp_path / "out" / "Both" / "CPU", tmp_path / "out" / "Both" / "GPU"
    assert (cpu / "src" / "ops" / "OnCpu.cpp").exists() and not (
        cpu / "src" / "ops" / "OnGpu.cpp"
    ).exists()
    assert sorted(p.name for p in (gpu / "src" / "ops").iterdir()) == ["OnGpu.cl", "OnGpu.cpp"]


# ---- OpenCL naming rules -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("op", "kernel"),
    [("Relu", "Relu"), ("relu", "relu_op"), ("clamp", "clamp_op"), ("MAX", "MAX_op")],
)
def test_kernel_names_cannot_clash_with_opencl(op: str, kernel: str) -> None:
    assert opencl.kernel_name(op) == kernel


def test_kernel_argument_names_avoid_opencl_keywords() -> None:
    taken: set[str] = set()
    names = ("local", "half4", "beta", "M_PI", "max", "convert_int", "local_")
    assert [opencl.identifier(n, taken) for n in names] == [
        "local_",
        "half4_",
        "beta",
        "M_PI_",
        "max_",
        "convert_int_",
        "local_2",
    ]


# ---- building ------------------------------------------------------------------------------------

SKELETON_CONFIGS = ["tensors_and_params.xml", "symbolic_defaults.xml", "all_datatypes.xml"]


@pytest.fixture(scope="module")
def gpu_skeletons(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Skeletons of configs with every kind of input, output, param and datatype, generated once.

    MixedKinds' kernel is marked implemented (its marker line deleted, as a user would once the
    kernel is written) so its launch can be inspected; clamp keeps the skeleton's marker.
    """
    configs = tmp_path_factory.mktemp("gpu_configs")
    out = tmp_path_factory.mktemp("gpu_skeletons")
    paths = [VALID / "gpu_kernels.xml"] + [
        as_gpu_config(VALID / n, configs) for n in SKELETON_CONFIGS
    ]
    generate(opgen.load_packages(paths), out)
    kernel = out / "GpuKernelPkg" / "src" / "ops" / "MixedKinds.cl"
    lines = kernel.read_text().splitlines(keepends=True)
    kernel.write_text("".join(line for line in lines if "OPGEN_KERNEL_NOT_IMPLEMENTED" not in line))
    return out


def build_all(root: Path, compiler: str) -> dict[str, Path]:
    packages = sorted(p for p in root.iterdir() if p.is_dir())
    with ThreadPoolExecutor(max_workers=4) as pool:
        libraries = pool.map(lambda p: build_package(p, "gpu_x86", compiler), packages)
        return {p.name: lib for p, lib in zip(packages, libraries, strict=True)}


@pytest.fixture(scope="module")
def skeleton_libraries(gpu_skeletons: Path) -> dict[str, Path]:
    """The skeletons built once with g++ -Werror."""
    return build_all(gpu_skeletons, "g++")


def exported_symbols(library: Path) -> list[str]:
    symbols = subprocess.run(
        ["nm", "-D", "--defined-only", str(library)], capture_output=True, text=True, check=True
    )
    return sorted(line.split()[-1] for line in symbols.stdout.splitlines() if " T " in line)


def expected_exports(package: str) -> list[str]:
    return sorted(
        [
            f"{package}InterfaceProvider",
            f"{package}_opgenLastError",
            "QnnGpuOpPackage_getKernelBinary",
        ]
    )


@pytest.mark.parametrize("compiler", ["g++", "clang++"])
def test_skeletons_compile_warning_free(
    gpu_skeletons: Path,
    skeleton_libraries: dict[str, Path],
    compiler: str,
    tmp_path: Path,
) -> None:
    if shutil.which(compiler) is None:
        pytest.skip(f"{compiler} is not installed")
    if compiler == "g++":
        libraries = skeleton_libraries
    else:
        copy = tmp_path / "copy"
        shutil.copytree(gpu_skeletons, copy, ignore=shutil.ignore_patterns("libs", "obj"))
        libraries = build_all(copy, compiler)
    assert sorted(libraries) == ["DatatypePkg", "GpuKernelPkg", "SymbolicPkg", "TensorParamPkg"]
    for name, library in libraries.items():
        assert exported_symbols(library) == expected_exports(name)


@pytest.fixture(scope="module")
def example_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The implemented example GPU package, copied out of the tree and built once."""
    copy = tmp_path_factory.mktemp("example_gpu") / EXAMPLE
    shutil.copytree(EXAMPLE_GPU, copy, ignore=shutil.ignore_patterns("libs", "obj"))
    library = build_package(copy, "gpu_x86")
    assert exported_symbols(library) == expected_exports(EXAMPLE)
    return library


def test_opencl_kernels_compile(gpu_skeletons: Path) -> None:
    """Every generated skeleton kernel and every example kernel is valid OpenCL C, warning-free,
    and defines the kernel function the generated code names."""
    cl = pytest.importorskip("pyopencl")
    context = opencl_context()
    kernels = sorted(gpu_skeletons.glob("*/src/ops/*.cl")) + sorted(
        EXAMPLE_GPU.glob("src/ops/*.cl")
    )
    assert {"MixedKinds", "clamp", "ScaleShift", "Relu", "Swish", "Axpy"} <= {
        p.stem for p in kernels
    }
    for path in kernels:
        program = cl.Program(context, path.read_text()).build(options=["-Werror"])
        assert [k.function_name for k in program.all_kernels()] == [opencl.kernel_name(path.stem)]


def test_skeleton_kernel_signature_follows_the_declaration(gpu_skeletons: Path) -> None:
    cl = pytest.importorskip("pyopencl")
    context = opencl_context()
    source = (gpu_skeletons / "GpuKernelPkg" / "src" / "ops" / "MixedKinds.cl").read_text()
    program = cl.Program(context, source).build(options=["-cl-kernel-arg-info"])
    kernel = cl.Kernel(program, "MixedKinds")
    info = cl.kernel_arg_info
    signature = [
        (kernel.get_arg_info(i, info.NAME), kernel.get_arg_info(i, info.TYPE_NAME))
        for i in range(kernel.num_args)
    ]
    assert signature == [
        ("in_0", "half*"),
        ("extra", "float*"),
        ("mask", "uchar*"),
        ("out_0", "half*"),
        ("indices", "int*"),
        ("scale", "float"),
        ("gain", "float"),
        ("shift", "char"),
        ("lanes", "ushort"),
        ("offset", "short"),
        ("axis", "int"),
        ("count", "uint"),
        ("seed", "long"),
        ("limit", "ulong"),
        ("local_", "uchar"),
        ("max_", "float"),
        ("mode", "uint"),
    ]


def make(package: Path, *targets: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", *targets],
        cwd=package,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_compile_error_fails_the_build(tmp_path: Path) -> None:
    generate(opgen.load_packages([EXAMPLE_CONFIG]), tmp_path)
    package = tmp_path / EXAMPLE
    (package / "src" / "ops" / "Relu.cpp").write_text("this is not C++\n")
    result = make(package, "gpu_x86")
    assert result.returncode != 0
    assert not list(package.glob("libs/*/*.so"))


def test_kernel_text_that_would_end_the_embedding_fails_the_build(tmp_path: Path) -> None:
    generate(opgen.load_packages([EXAMPLE_CONFIG]), tmp_path)
    package = tmp_path / EXAMPLE
    kernel = package / "src" / "ops" / "Relu.cl"
    kernel.write_text(kernel.read_text() + '// )opgen_cl"\n')
    result = make(package, "-f", "makefiles/Kernels.mk", "KERNEL_DIR=k", "kernels")
    assert result.returncode != 0
    assert "src/ops/Relu.cl: contains )opgen_cl" in result.stderr
    assert not (package / "k" / "Relu.cl.inc").exists()


def test_edited_kernel_is_embedded_on_rebuild(tmp_path: Path) -> None:
    generate(opgen.load_packages([EXAMPLE_CONFIG]), tmp_path)
    package = tmp_path / EXAMPLE
    shutil.copytree(EXAMPLE_GPU / "src" / "ops", package / "src" / "ops", dirs_exist_ok=True)
    library = build_package(package, "gpu_x86")
    kernel = package / "src" / "ops" / "Relu.cl"
    kernel.write_text(kernel.read_text() + "// edited\n")
    rebuilt = make(package, "gpu_x86", CXX="g++ -Werror")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "-c src/ops/Relu.cpp" not in rebuilt.stdout  # only the interface embeds kernels
    assert "-c src/ExampleGpuOpPackageInterface.cpp" in rebuilt.stdout
    loaded = GpuPackage(library, EXAMPLE)  # first load of this path: sees the rebuilt library
    x = np.zeros((2, 3), np.float32)
    with loaded.initialized():
        status, handle = loaded.create(Node(EXAMPLE, "Relu", [x], [x]))
        assert status == 0, loaded.last_error()
        assert read_operation(handle).source == kernel.read_text()


def test_qnn_sdk_root_switches_to_the_sdk_headers(tmp_path: Path) -> None:
    generate(opgen.load_packages([EXAMPLE_CONFIG]), tmp_path)
    package = tmp_path / EXAMPLE
    sdk = tmp_path / "sdk"
    (sdk / "include").mkdir(parents=True)
    shutil.move(package / "include" / "QNN", sdk / "include" / "QNN")
    target = (
        "-f",
        "makefiles/Makefile.linux-x86_64",
        "obj/x86_64-linux-clang/utils/GpuOpSupport.o",
    )
    without = make(package, *target, QNN_SDK_ROOT="")
    assert without.returncode != 0
    with_sdk = make(package, *target, QNN_SDK_ROOT=str(sdk), CXX="g++ -Werror")
    assert with_sdk.returncode == 0, with_sdk.stderr
    assert f"-I{sdk}/include/QNN" in with_sdk.stdout


def test_make_clean_needs_no_ndk_and_android_needs_it(tmp_path: Path) -> None:
    generate(opgen.load_packages([EXAMPLE_CONFIG]), tmp_path)
    package = tmp_path / EXAMPLE
    for built in ("libs/x86_64-linux-clang", "obj/x86_64-linux-clang", "obj/aarch64-android"):
        (package / built).mkdir(parents=True)
    env = {"PATH": "/usr/bin:/bin"}
    clean = subprocess.run(["make", "clean"], cwd=package, env=env, capture_output=True, text=True)
    assert clean.returncode == 0, clean.stderr
    assert not (package / "libs").exists() or not any((package / "libs").iterdir())
    assert not (package / "obj").exists() or not any((package / "obj").iterdir())
    android = subprocess.run(
        ["make", "gpu_android"], cwd=package, env=env, capture_output=True, text=True
    )
    assert android.returncode != 0
    assert "ANDROID_NDK_ROOT is not set" in android.stderr


def test_gpu_android_embeds_the_kernels_before_ndk_build(tmp_path: Path) -> None:
    """With a stand-in ndk-build that checks what Android.mk will need and fakes its output."""
    generate(opgen.load_packages([EXAMPLE_CONFIG]), tmp_path)
    package = tmp_path / EXAMPLE
    ndk = tmp_path / "ndk"
    ndk.mkdir()
    script = ndk / "ndk-build"
    script.write_text(
        "#!/bin/sh\n"
        "for op in Relu Swish Axpy; do\n"
        "  test -s obj/aarch64-android/kernels/$op.cl.inc || { echo missing $op >&2; exit 1; }\n"
        "done\n"
        'echo "ndk-build $*" > ndk-args.txt\n'
        "mkdir -p libs/arm64-v8a obj/local/arm64-v8a\n"
        "touch libs/arm64-v8a/libExampleGpuOpPackage.so\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    result = make(package, "gpu_android", ANDROID_NDK_ROOT=str(ndk))
    assert result.returncode == 0, result.stdout + result.stderr
    assert (package / "libs" / "aarch64-android" / "libExampleGpuOpPackage.so").exists()
    assert "APP_BUILD_SCRIPT=makefiles/Android.mk" in (package / "ndk-args.txt").read_text()
    inc = (package / "obj" / "aarch64-android" / "kernels" / "Swish.cl.inc").read_text()
    swish = (package / "src" / "ops" / "Swish.cl").read_text()
    assert inc == f'R"opgen_cl({swish})opgen_cl"\n'


# ---- regeneration --------------------------------------------------------------------------------


def test_regeneration_keeps_kernels_and_launch_code(tmp_path: Path) -> None:
    config = f.write(tmp_path, "pkg.xml", f.config("Regen", [f.op("First", "GPU")]))
    out = tmp_path / "out"
    assert run_generator("-p", str(config), "-o", str(out)).returncode == 0
    package = out / "Regen"
    kernel = package / "src" / "ops" / "First.cl"
    launch = package / "src" / "ops" / "First.cpp"
    kernel.write_text(kernel.read_text() + "// my kernel\n")
    launch.write_text(launch.read_text() + "// my launch\n")
    f.write(tmp_path, "pkg.xml", f.config("Regen", [f.op("First", "GPU"), f.op("Second", "GPU")]))
    result = run_generator("-p", str(config), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "2 user-owned kept" in result.stdout
    assert kernel.read_text().endswith("// my kernel\n")
    assert launch.read_text().endswith("// my launch\n")
    embedded = make(package, "-f", "makefiles/Kernels.mk", "KERNEL_DIR=k", "kernels")
    assert embedded.returncode == 0, embedded.stderr
    assert sorted(p.name for p in (package / "k").iterdir()) == ["First.cl.inc", "Second.cl.inc"]


# ---- the C contract of the built example ---------------------------------------------------------


@pytest.fixture()
def example(example_library: Path) -> GpuPackage:
    return GpuPackage(example_library, EXAMPLE)


def swish_node(**params: Scalar) -> Node:
    x = np.zeros((2, 3, 4), np.float32)
    return Node(EXAMPLE, "Swish", [x], [x], dict(params))


def test_interface_lifecycle_and_stable_info(example: GpuPackage) -> None:
    assert example.provider(None) == qnn.QnnOpPackage_Error_t.QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT
    info = ctypes.POINTER(qnn.QnnOpPackage_Info_t)()
    assert example.api.getInfo(ctypes.byref(info)) == 3001
    assert "getInfo called before init" in example.last_error()
    assert example.api.terminate() == 3001
    for _ in range(2):  # init, terminate, init again
        with example.initialized():
            assert example.api.init(None) == 3000
            assert example.api.getInfo(ctypes.byref(info)) == 0
            first = ctypes.addressof(info.contents)
            assert example.api.getInfo(ctypes.byref(info)) == 0
            assert ctypes.addressof(info.contents) == first
            value = info.contents
            assert value.packageName == EXAMPLE.encode()
            names = [value.operationNames[i] for i in range(value.numOperations)]
            assert names == [b"Relu", b"Swish", b"Axpy"]
            assert value.sdkBuildId == qnn.QNN_SDK_BUILD_ID.encode()
            api = value.sdkApiVersion.contents
            core, backend = api.coreApiVersion, api.backendApiVersion
            assert (core.major, core.minor, core.patch) == (2, 7, 2)
            assert (backend.major, backend.minor, backend.patch) == (3, 2, 0)
            assert example.api.getInfo(None) == 3101


VALIDATION_CASES = {
    "valid, default beta": (swish_node(), 0, ""),
    "valid, beta given": (swish_node(beta=Scalar(F32, 2.0)), 0, ""),
    "unknown type": (
        Node(EXAMPLE, "Gelu", [np.zeros(3, np.float32)], [np.zeros(3, np.float32)]),
        3110,
        "unknown op type 'Gelu'",
    ),
    "wrong package": (
        Node("Other", "Relu", [np.zeros(3, np.float32)], [np.zeros(3, np.float32)]),
        3110,
        "names package 'Other'",
    ),
    "missing mandatory": (
        Node(EXAMPLE, "Axpy", [np.zeros(3, np.float32)] * 2, [np.zeros(3, np.float32)]),
        3110,
        "mandatory parameter 'alpha' is missing",
    ),
    "input count": (
        Node(EXAMPLE, "Relu", [np.zeros(3, np.float32)] * 2, [np.zeros(3, np.float32)]),
        3110,
        "expected 1 input(s), got 2",
    ),
    "input datatype": (
        Node(EXAMPLE, "Relu", [np.zeros(3, np.int32)], [np.zeros(3, np.float32)]),
        3110,
        "input 'in[0]' has datatype QNN_DATATYPE_INT_32, expected QNN_DATATYPE_FLOAT_32",
    ),
    "unknown param": (swish_node(gamma=Scalar(F32, 1.0)), 3110, "unknown parameter 'gamma'"),
    "param datatype": (
        swish_node(beta=Scalar(I32, 1)),
        3110,
        "parameter 'beta' has datatype QNN_DATATYPE_INT_32",
    ),
    "tensor for scalar": (
        Node(
            EXAMPLE,
            "Swish",
            [np.zeros(3, np.float32)],
            [np.zeros(3, np.float32)],
            {"beta": np.ones(2, np.float32)},
        ),
        3110,
        "parameter 'beta' must be a scalar",
    ),
}


@pytest.mark.parametrize("case", VALIDATION_CASES)
def test_validate_op_config(example: GpuPackage, case: str) -> None:
    node, expected, reason = VALIDATION_CASES[case]
    with example.initialized():
        assert example.validate(node) == expected
        assert reason in example.last_error()
        if not reason:
            assert example.last_error() == ""


def test_create_op_impl_returns_the_documented_operation(example: GpuPackage) -> None:
    with example.initialized():
        status, handle = example.create(swish_node())
        assert status == 0, example.last_error()
        kernel = read_operation(handle)
        assert kernel.source == (EXAMPLE_GPU / "src" / "ops" / "Swish.cl").read_text()
        assert kernel.name == "Swish"
        assert kernel.build_options == ""
        assert kernel.global_size == (24,)
        assert kernel.local_size == ()
        assert [(a.kind, a.tensor_index, a.cl_type, a.value) for a in kernel.args] == [
            (IN, 0, -1, 0),
            (OUT, 0, -1, 0),
            (DATA, 0, FLOAT, 1.0),  # the declared default of beta
        ]
        assert (kernel.num_kernels, kernel.num_output_claims, kernel.num_memory_objects) == (
            1,
            0,
            0,
        )
        assert example.free(handle) == 0


def test_create_op_impl_refusals(example: GpuPackage) -> None:
    x = np.zeros((2, 3), np.float32)
    assert example.create(swish_node())[0] == 3001
    with example.initialized():
        out = ctypes.c_void_p()
        assert example.api.createOpImpl(None, None, ctypes.byref(out)) == 3200
        assert example.create(Node(EXAMPLE, "Gelu", [x], [x]))[0] == 3200
        assert "unknown op type 'Gelu'" in example.last_error()
        assert example.create(Node(EXAMPLE, "Axpy", [x], [x]))[0] == 3200
        assert "expected 2 input(s), got 1" in example.last_error()
        mismatched = Node(EXAMPLE, "Axpy", [x, x[:1]], [x], {"alpha": Scalar(F32, 1.0)})
        assert example.create(mismatched) == (3200, None)
        assert example.last_error() == "Axpy: in[0], in[1] and out[0] must have one shape"


def test_free_op_impl_rejects_foreign_handles_and_terminate_frees_the_rest(
    example: GpuPackage,
) -> None:
    with example.initialized():
        first = example.create(swish_node())[1]
        second = example.create(swish_node())[1]
        assert first and second and first != second
        assert example.free(None) == 3200
        bogus = ctypes.c_uint64(0)
        assert example.free(ctypes.addressof(bogus)) == 3002
        assert example.free(first) == 0
        assert example.free(first) == 3002
        assert "is not an operation of this package" in example.last_error()
    assert example.free(second) == 3001  # terminate freed it
    with example.initialized():
        assert example.free(second) == 3002


def test_get_kernel_binary_is_unsupported(example: GpuPackage) -> None:
    function = example.lib.QnnGpuOpPackage_getKernelBinary
    function.restype = ctypes.c_uint64
    binary, size = ctypes.c_void_p(1), ctypes.c_uint32(7)
    assert function(b"Relu", ctypes.byref(binary), ctypes.byref(size)) == 1000
    assert (binary.value, size.value) == (None, 0)


def test_log_callback_receives_errors(example: GpuPackage) -> None:
    seen: list[tuple[bytes, int]] = []

    @qnn.QnnLog_Callback_t
    def callback(fmt: bytes, level: int, timestamp: int, args: int) -> None:
        seen.append((fmt, level))

    assert example.api.logInitialize(callback, 2) == 0
    try:
        with example.initialized():
            assert example.validate(Node(EXAMPLE, "Gelu", [], [])) == 3110
    finally:
        assert example.api.logTerminate() == 0
    assert seen == [(b"%s: unknown op type '%s'", 1)]


@pytest.mark.parametrize("precision", [0, 1])
def test_example_kernels_compute_through_the_c_interface(
    example: GpuPackage, precision: int
) -> None:
    opencl_context()
    rng = np.random.default_rng(7)
    x = (rng.standard_normal((3, 5, 7)) * 4).astype(np.float32)
    y = rng.standard_normal((3, 5, 7)).astype(np.float32)
    out = np.zeros_like(x)
    beta = np.float32(1.7)
    cases: list[tuple[str, list[np.ndarray], dict[str, Scalar | np.ndarray], np.ndarray]] = [
        ("Relu", [x], {}, np.maximum(x, 0)),
        ("Swish", [x], {}, x / (1 + np.exp(-x))),
        ("Swish", [x], {"beta": Scalar(F32, float(beta))}, x / (1 + np.exp(-beta * x))),
        ("Axpy", [x, y], {"alpha": Scalar(F32, -2.5)}, np.float32(-2.5) * x + y),
    ]
    with example.initialized():
        for op, inputs, params, expected in cases:
            status, handle = example.create(Node(EXAMPLE, op, inputs, [out], params), precision)
            assert status == 0, example.last_error()
            (result,) = run_kernel(read_operation(handle), inputs, [out])
            np.testing.assert_allclose(result, expected, rtol=1e-5, atol=1e-6, err_msg=op)
            assert example.free(handle) == 0


# ---- the C contract of generated skeletons -------------------------------------------------------


@pytest.fixture()
def kernel_pkg(skeleton_libraries: dict[str, Path]) -> Iterator[GpuPackage]:
    package = GpuPackage(skeleton_libraries["GpuKernelPkg"], "GpuKernelPkg")
    with package.initialized():
        yield package


def mixed_node(extra: type = np.float32, **params: Scalar | np.ndarray) -> Node:
    inputs = [np.zeros((2, 3, 4, 5), np.float16), np.zeros(6, extra)]
    outputs = [np.zeros((2, 3, 4, 5), np.float16), np.zeros(6, np.int32)]
    return Node("GpuKernelPkg", "MixedKinds", inputs, outputs, {"gain": Scalar(F32, 2.0), **params})


def test_default_launch_binds_every_kind_in_declaration_order(kernel_pkg: GpuPackage) -> None:
    status, handle = kernel_pkg.create(mixed_node(mode=Scalar(0x0132, 1)))
    assert status == 0, kernel_pkg.last_error()
    kernel = read_operation(handle)
    assert kernel.name == "MixedKinds"
    assert kernel.global_size == (120,)
    assert [(a.kind, a.tensor_index) for a in kernel.args[:5]] == [
        (IN, 0),
        (IN, 1),
        (NULL, 0),  # the optional mask, omitted
        (OUT, 0),
        (OUT, 1),
    ]
    assert [(a.cl_type, a.value) for a in kernel.args[5:]] == [
        (FLOAT, 0.5),  # scale: FLOAT_16 default, passed as float
        (FLOAT, 2.0),  # gain, given
        (CHAR, -3),
        (USHORT, 4),
        (SHORT, -1),
        (INT, 3),  # axis: N-1 with N = rank of in[0]
        (UINT, 7),
        (LONG, -5000000000),
        (ULONG, 5000000000),
        (UCHAR, 1),  # local: true
        (FLOAT, 6.0),  # max: FLOAT_32 or INT_32, passed as float
        (UINT, 1),  # mode, given: REFLECT
    ]
    cl = pytest.importorskip("pyopencl")
    program = cl.Program(opencl_context(), kernel.source).build()
    assert cl.Kernel(program, kernel.name).num_args == len(kernel.args)
    assert kernel_pkg.free(handle) == 0


def test_skeleton_launch_guards_and_param_checks(kernel_pkg: GpuPackage) -> None:
    assert kernel_pkg.validate(mixed_node(extra=np.float16)) == 0
    assert kernel_pkg.create(mixed_node(extra=np.float16))[0] == 3200
    assert "the kernel supports 'extra' only as QNN_DATATYPE_FLOAT_32" in kernel_pkg.last_error()
    assert kernel_pkg.create(mixed_node(mode=Scalar(0x0132, 3)))[0] == 3200
    assert "'mode' = 3 is not one of its 3 enumeration values" in kernel_pkg.last_error()
    weights = np.array([4, 5], np.int32)
    status, handle = kernel_pkg.create(mixed_node(weights=weights))
    assert status == 0, kernel_pkg.last_error()
    assert kernel_pkg.free(handle) == 0
    assert kernel_pkg.create(mixed_node(weights=np.ones((2, 2), np.int32)))[0] == 3200
    assert "parameter 'weights' has rank 2, expected 1" in kernel_pkg.last_error()


def test_64_bit_scalars_are_refused(kernel_pkg: GpuPackage) -> None:
    assert kernel_pkg.validate(mixed_node(seed=Scalar(0x0064, -1))) == 3110
    assert "'seed' has datatype QNN_DATATYPE_INT_64, whose values a Qnn_Scalar_t cannot carry" in (
        kernel_pkg.last_error()
    )


def test_unimplemented_kernel_is_refused(kernel_pkg: GpuPackage) -> None:
    x = np.zeros(4, np.float64)
    two = Node("GpuKernelPkg", "clamp", [x], [x, x], {"min": Scalar(F32, 0.0)})
    assert kernel_pkg.validate(two) == 0, kernel_pkg.last_error()
    assert kernel_pkg.create(two) == (3200, None)
    assert "the kernel takes one tensor for 'out[0]', the node gives 2" in kernel_pkg.last_error()
    one = Node("GpuKernelPkg", "clamp", [x], [x], {"min": Scalar(F32, 0.0)})
    assert kernel_pkg.create(one) == (1100, None)
    assert "clamp: kernel not implemented yet (src/ops/clamp.cl" in kernel_pkg.last_error()
