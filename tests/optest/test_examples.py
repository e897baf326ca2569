"""`opgen test` on the implemented example packages (CPU, GPU via pocl, HTP emulation, DSP host
build) with the numpy references a user would write: every case passes, every declared datatype
and rank is drawn, and quantized HTP and DSP tensors are compared within one step."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from tests.conftest import ROOT
from tests.optest.test_planted import opgen_test

CPU_REFERENCE = """
import numpy as np

def Relu(x):
    return np.maximum(x, 0).astype(x.dtype)

def Softmax(x, axis=-1, beta=1.0):
    z = beta * x.astype(np.float64)
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)

def TopK(x, k):
    order = np.argsort(-x, axis=-1, kind="stable")[..., :k]
    return np.take_along_axis(x, order, axis=-1), order
"""

GPU_REFERENCE = """
import numpy as np

def Relu(x):
    return np.maximum(x, 0)

def Swish(x, beta=1.0):
    return x / (1 + np.exp(-beta * x.astype(np.float64)))

def Axpy(x, y, alpha):
    return alpha * x.astype(np.float64) + y
"""

HTP_REFERENCE = """
import numpy as np

def Relu(x):
    return np.maximum(x, 0)

def Softmax(x, beta=1.0):
    z = beta * x.astype(np.float64)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)

def Sigmoid(x):
    return 1 / (1 + np.exp(-x.astype(np.float64)))
"""


def _cases(junit: Path) -> dict[str, list[str]]:
    """Each op's case names (``Op[i] DATATYPE[dims]...; params``) from the JUnit XML."""
    names: dict[str, list[str]] = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        names.setdefault(case.get("classname", "").rsplit(".", 1)[1], []).append(
            case.get("name", "")
        )
    return names


def _passes(config: Path, spec: str, reference_text: str, tmp_path: Path, *more: object) -> str:
    reference = tmp_path / "reference.py"
    reference.write_text(reference_text)
    run = opgen_test(
        config,
        "--op_packages",
        spec,
        "--reference",
        reference,
        "--junit",
        tmp_path / "j.xml",
        *more,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stderr == ""
    return run.stdout


def test_the_cpu_example(example_cpu_library: Path, tmp_path: Path) -> None:
    config = ROOT / "examples" / "cpu" / "ExampleOpPackage.xml"
    stdout = _passes(config, str(example_cpu_library), CPU_REFERENCE, tmp_path)
    assert stdout.splitlines()[0] == "ExampleOpPackage on CPU (libExampleOpPackage.so):"
    for op in ("Relu", "Softmax", "TopK"):
        assert re.search(rf"^  {op} +ok +20 case\(s\)  worst abs ", stdout, re.M), stdout
    assert stdout.splitlines()[-1] == "3 op(s) on 1 package(s), 60 case(s): all passed"
    relu = _cases(tmp_path / "j.xml")["Relu"]
    drawn = {re.match(r"Relu\[\d+\] (\w+)\[([\d,]*)\]", name).groups() for name in relu}  # type: ignore[union-attr]
    datatypes = {d for d, _ in drawn}
    ranks = {len(dims.split(",")) for _, dims in drawn}
    assert datatypes == {"FLOAT_32", "INT_8", "INT_16", "INT_32", "UINT_8"}
    assert ranks == {1, 2, 3, 4}
    # TopK's k (mandatory, no default) fits the last axis of every drawn input.
    for name in _cases(tmp_path / "j.xml")["TopK"]:
        dims, k = re.match(r"TopK\[\d+\] FLOAT_32\[([\d,]+)\]; k=(\d+)", name).groups()  # type: ignore[union-attr]
        assert 1 <= int(k) <= int(dims.split(",")[-1])


def test_the_gpu_example_on_pocl(gpu_example_library: Path, tmp_path: Path) -> None:
    config = ROOT / "examples" / "gpu" / "ExampleGpuOpPackage.xml"
    spec = f"{gpu_example_library}:ExampleGpuOpPackageInterfaceProvider:GPU"
    stdout = _passes(config, spec, GPU_REFERENCE, tmp_path, "--cases", 4)
    assert stdout.splitlines()[0].startswith("ExampleGpuOpPackage on GPU ")
    assert stdout.splitlines()[-1] == "3 op(s) on 1 package(s), 12 case(s): all passed"
    # Axpy's mandatory alpha is drawn, and in[1] (prose: same shape as in[0]) follows in[0].
    for name in _cases(tmp_path / "j.xml")["Axpy"]:
        first, second = re.findall(r"FLOAT_32\[([\d,]+)\]", name)
        assert first == second and "alpha=" in name


def test_the_htp_example_with_quantized_tensors(example_htp_library: Path, tmp_path: Path) -> None:
    config = ROOT / "examples" / "htp" / "ExampleHtpOpPackage.xml"
    spec = f"{example_htp_library}:ExampleHtpOpPackageInterfaceProvider:HTP"
    stdout = _passes(config, spec, HTP_REFERENCE, tmp_path, "--cases", 6)
    assert stdout.splitlines()[-1] == "3 op(s) on 1 package(s), 18 case(s): all passed"
    cases = _cases(tmp_path / "j.xml")
    assert {n.split()[1].split("[")[0] for n in cases["Relu"]} == {"FLOAT_32", "UFIXED_POINT_8"}
    assert all(len(n.split()[1].split(",")) == 4 for n in cases["Softmax"])  # 4D only
    # Sigmoid's output is UFIXED_POINT_8 whatever the input: quantized with its own scale.
    assert re.search(r"^  Sigmoid +ok +6 case\(s\)  worst abs 0\.00\d+ ", stdout, re.M), stdout


DSP_REFERENCE = """
import numpy as np

def Relu(x):
    return np.maximum(x, 0)

def Scale(x, scale, bias=0.0):
    return x * np.float32(scale) + np.float32(bias)
"""


def test_the_dsp_example_with_quantized_tensors(example_dsp_library: Path, tmp_path: Path) -> None:
    config = ROOT / "examples" / "dsp" / "ExampleDspOpPackage.xml"
    spec = f"{example_dsp_library}:ExampleDspOpPackageInterfaceProvider:DSP"
    stdout = _passes(config, spec, DSP_REFERENCE, tmp_path, "--cases", 6)
    assert stdout.splitlines()[0].startswith("ExampleDspOpPackage on DSP ")
    assert stdout.splitlines()[-1] == "2 op(s) on 1 package(s), 12 case(s): all passed"
    cases = _cases(tmp_path / "j.xml")
    assert {n.split()[1].split("[")[0] for n in cases["Relu"]} == {"UFIXED_POINT_8"}
    assert all("scale=" in n for n in cases["Scale"])


def test_two_packages_in_one_run(
    example_cpu_library: Path, plant_library: Path, plant_config: Path, tmp_path: Path
) -> None:
    from tests.optest import plantpkg

    config = ROOT / "examples" / "cpu" / "ExampleOpPackage.xml"
    reference = tmp_path / "reference.py"
    reference.write_text(CPU_REFERENCE + plantpkg.REFERENCE)
    run = opgen_test(
        config,
        plant_config,
        "--op_packages",
        f"{example_cpu_library},{plant_library}",
        "--reference",
        reference,
        "--op",
        "Relu",
        "--op",
        "Reverse",
        "--cases",
        3,
    )
    assert run.returncode == 1
    lines = run.stdout.splitlines()
    assert lines[0] == "ExampleOpPackage on CPU (libExampleOpPackage.so):"
    assert re.match(r"  Relu +ok +3 case", lines[1])
    assert "PlantPkg on CPU (libPlantPkg.so):" in lines
    assert lines[-1].startswith("2 op(s) on 2 package(s), 6 case(s): ")
