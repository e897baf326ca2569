"""`opgen info --for qnn-net-run|ort|executorch`: the consumers' strings for the example
packages (exact), from their configs; and the command on the built CPU example (text, --json)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import opgen
from opgen.model import Backend
from opgen.runtime.integration import PackageFacts, integration
from tests.conftest import ROOT

CPU_LIB = "/pkgs/ExampleOpPackage/libs/x86_64-linux-clang/libExampleOpPackage.so"
HTP_LIB = "/pkgs/ExampleHtpOpPackage/build/x86_64-linux-clang/libQnnExampleHtpOpPackage.so"
GPU_LIB = "/pkgs/ExampleGpuOpPackage/libs/x86_64-linux-clang/libExampleGpuOpPackage.so"


def facts(config: str, library: str, target: str, provider: str | None = None) -> PackageFacts:
    (package,) = opgen.load_packages([ROOT / "examples" / config])
    backend = Backend.HTP if target == "HTP" else Backend(target)
    ops = package.resolve(backend).ops
    name = package.name
    domains = {op.name: package.configs[0].domain for op in ops}
    return PackageFacts(name, library, provider or f"{name}InterfaceProvider", target, ops, domains)


CPU = facts("cpu/ExampleOpPackage.xml", CPU_LIB, "CPU")
HTP = facts("htp/ExampleHtpOpPackage.xml", HTP_LIB, "HTP")
GPU = facts("gpu/ExampleGpuOpPackage.xml", GPU_LIB, "GPU")


def test_qnn_net_run_cpu() -> None:
    got = integration("qnn-net-run", CPU)
    value = f"{CPU_LIB}:ExampleOpPackageInterfaceProvider"
    assert got.values == (
        ("qnn-net-run --op_packages", value),
        ("qnn-context-binary-generator --op_packages", value),
    )
    assert got.warnings == ()


def test_qnn_net_run_htp_simulator_and_device() -> None:
    got = integration("qnn-net-run", HTP)
    provider = "ExampleHtpOpPackageInterfaceProvider"
    build = "/pkgs/ExampleHtpOpPackage/build"
    lib = "libQnnExampleHtpOpPackage.so"
    assert got.values == (
        ("qnn-net-run --op_packages", f"{HTP_LIB}:{provider}"),
        ("qnn-context-binary-generator --op_packages", f"{HTP_LIB}:{provider}"),
        (
            "qnn-net-run --op_packages (on the device)",
            f"{build}/aarch64-android/{lib}:{provider}:CPU,{build}/hexagon-vNN/{lib}:{provider}:HTP",
        ),
    )
    (warning,) = got.warnings
    assert warning.startswith("this is the x86 build: the HTP simulator")
    assert "with no target or CPU, never HTP" in warning


def test_path_with_colon_warns() -> None:
    odd = PackageFacts(**{**CPU.__dict__, "library": "/C:/pkg/libExampleOpPackage.so"})
    (warning,) = integration("qnn-net-run", odd).warnings
    assert warning == (
        "the library path contains ':': qnn-context-binary-generator (and the other consumers) "
        "split the value on ':', so /C:/pkg/libExampleOpPackage.so breaks it; move the library"
    )


def test_ort_cpu() -> None:
    got = integration("ort", CPU)
    provider = "ExampleOpPackageInterfaceProvider"
    assert got.values == (
        (
            "provider option op_packages",
            f"Relu:{CPU_LIB}:{provider}:CPU,Softmax:{CPU_LIB}:{provider}:CPU,"
            f"TopK:{CPU_LIB}:{provider}:CPU",
        ),
        ("ORT_QNN_CUSTOM_OP_DOMAINS", "example:Relu,Softmax,TopK"),
    )
    assert got.warnings == (
        "ORT sends INT attributes as int64 scalars and INTS as int64 tensors, whatever the "
        "config declares: Softmax.axis (INT_32), TopK.k (UINT_32); opgen's generated param "
        "readers accept any integer width, but the QNN SDK must have a 64-bit Qnn_Scalar_t "
        "member (2.13 has none)",
        "ORT passes only the attributes a node carries, without the configs' defaults: "
        "Softmax.axis, Softmax.beta arrive absent from nodes that omit them",
        "ORT_QNN_CUSTOM_OP_DOMAINS's placeholder schema infers one FLOAT output shaped like "
        "input 0, even over the model's value_info: wrong for TopK",
    )


def test_ort_htp_and_gpu_targets() -> None:
    htp = dict(integration("ort", HTP).values)
    provider = "ExampleHtpOpPackageInterfaceProvider"
    assert htp["provider option op_packages"] == ",".join(
        f"{op}:{HTP_LIB}:{provider}:CPU" for op in ("Relu", "Softmax", "Sigmoid")
    )
    assert htp["ORT_QNN_CUSTOM_OP_DOMAINS"] == "example:Relu,Softmax,Sigmoid"
    gpu = dict(integration("ort", GPU).values)
    assert gpu["provider option op_packages"] == ",".join(
        f"{op}:{GPU_LIB}:ExampleGpuOpPackageInterfaceProvider" for op in ("Relu", "Swish", "Axpy")
    )


def test_ort_custom_provider_warns() -> None:
    custom = PackageFacts(**{**CPU.__dict__, "provider": "MyProvider"})
    warnings = integration("ort", custom).warnings
    assert warnings[0] == (
        "ORT takes the package name from the symbol minus 'InterfaceProvider': MyProvider gives "
        "'MyProvider', not ExampleOpPackage, and QNN will not find the ops; use the provider "
        "opgen generates"
    )


def test_executorch_htp_builds() -> None:
    got = integration("executorch", HTP)
    ((label, snippet),) = got.values
    assert label == "python"
    build = "/pkgs/ExampleHtpOpPackage/build"
    assert (
        "BUILDS = [  # (target, platform, library)\n"
        "    (QnnExecuTorchOpPackageTarget.CPU, QnnExecuTorchOpPackagePlatform.X86_64, "
        f'"{HTP_LIB}"),\n'
        "    (QnnExecuTorchOpPackageTarget.CPU, QnnExecuTorchOpPackagePlatform.AARCH64_ANDROID, "
        f'"{build}/aarch64-android/libQnnExampleHtpOpPackage.so"),\n'
        "    (QnnExecuTorchOpPackageTarget.HTP, QnnExecuTorchOpPackagePlatform.AARCH64_ANDROID, "
        f'"{build}/aarch64-android/libQnnExampleHtpOpPackage_HTP.so"),\n'
        "]\n"
    ) in snippet
    assert '    "Sigmoid": "my_ops.sigmoid.default",\n' in snippet
    assert '        interface_provider="ExampleHtpOpPackageInterfaceProvider",\n' in snippet
    compile(snippet, "<snippet>", "exec")  # the snippet is valid Python
    assert got.warnings[0].endswith("declare Relu(in[0]); Softmax(in[0], beta); Sigmoid(in[0])")


def test_executorch_gpu_has_no_builds() -> None:
    got = integration("executorch", GPU)
    assert got.values == ()
    assert got.warnings == (
        "ExecuTorch's Qualcomm backend registers CPU and HTP op packages only "
        "(QnnExecuTorchOpPackageTarget), not GPU ones",
    )


def opgen_info(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "opgen", "info", *args], capture_output=True, text=True, timeout=120
    )


def test_info_for_ort_on_the_built_example(example_cpu_library: Path) -> None:
    lib = str(example_cpu_library.resolve())
    result = opgen_info(lib, "--for", "ort")
    assert result.returncode == 0, result.stderr
    provider = "ExampleOpPackageInterfaceProvider"
    ops = ",".join(f"{op}:{lib}:{provider}:CPU" for op in ("Relu", "Softmax", "TopK"))
    assert result.stdout == (
        f"provider option op_packages: {ops}\n"
        "ORT_QNN_CUSTOM_OP_DOMAINS: example:Relu,Softmax,TopK\n"
    )
    assert [line.split(":")[0] for line in result.stderr.splitlines()] == ["warning"] * 3
    as_json = opgen_info(lib, "--for", "qnn-net-run", "--json", "--in-process")
    assert as_json.returncode == 0, as_json.stderr
    payload = json.loads(as_json.stdout)
    assert payload["integration"] == {
        "consumer": "qnn-net-run",
        "values": {
            "qnn-net-run --op_packages": f"{lib}:{provider}",
            "qnn-context-binary-generator --op_packages": f"{lib}:{provider}",
        },
        "warnings": [],
    }
    assert payload["package_name"] == "ExampleOpPackage"


def test_info_for_unknown_consumer(example_cpu_library: Path) -> None:
    result = opgen_info(str(example_cpu_library), "--for", "tflite")
    assert result.returncode == 2
    assert "'tflite' is not one of 'qnn-net-run', 'ort', 'executorch'" in result.stderr


DSP_LIB = "/pkgs/ExampleDspOpPackage/build/x86_64-linux-clang/libQnnExampleDspOpPackage.so"
DSP = facts("dsp/ExampleDspOpPackage.xml", DSP_LIB, "DSP")


def test_dsp_gets_the_device_build_for_qnn_net_run_and_no_strings_elsewhere() -> None:
    got = integration("qnn-net-run", DSP)
    device = "/pkgs/ExampleDspOpPackage/build/DSP/libQnnExampleDspOpPackage.so"
    assert got.values == (
        (
            "qnn-net-run --op_packages (on the device, DSP backend)",
            f"{device}:ExampleDspOpPackageInterfaceProvider",
        ),
    )
    assert "only opgen's runtime loads it" in got.warnings[0]
    for consumer, says in (("ort", "not DSP"), ("executorch", "not DSP ones")):
        other = integration(consumer, DSP)
        assert other.values == ()
        assert says in other.warnings[0]
