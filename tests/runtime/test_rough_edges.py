"""What a new user hit with `opgen info` and `opgen run` (issue 12, item 6), run as subprocesses:
the target detected from the library, `--config` for a library copied out of its package and the
warning when no config is found, `-o OUT.npy`, OpenCL build errors at `src/ops/<Op>.cl:LINE:COL`."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from opgen.runtime.opencl import name_source
from opgen.runtime.target import detect_target
from tests.runtime.test_runtime_cli import assert_one_line_error, opgen, save

NO_CONFIGS = "warning: no OpDef configs found for "


def test_info_detects_a_gpu_package_and_run_needs_no_target(
    gpu_example_library: Path, tmp_path: Path
) -> None:
    info = opgen("info", gpu_example_library)
    assert info.returncode == 0, info.stderr
    assert (
        "target:             GPU (detected: the library exports QnnGpuOpPackage_getKernelBinary)"
        in info.stdout.splitlines()
    )
    x = np.linspace(-3, 3, 7, dtype=np.float32)
    out = tmp_path / "y.npz"
    run = opgen(
        "run", "--op_packages", gpu_example_library, "--op", "Swish",
        "-i", save(tmp_path / "x.npy", x), "--param", "beta=2", "-o", out,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    with np.load(out) as saved:
        np.testing.assert_allclose(saved["out[0]"], x / (1 + np.exp(-2 * x)), rtol=1e-5)


def test_info_detects_htp_and_cpu_packages(example_htp_library: Path, rt_library: Path) -> None:
    htp = opgen("info", example_htp_library)
    assert htp.returncode == 0, htp.stderr
    assert "target:             HTP (detected: the library exports opgen_htp_registry)" in (
        htp.stdout.splitlines()
    )
    cpu = opgen("info", rt_library)
    assert cpu.returncode == 0, cpu.stderr
    assert "target:             CPU (detected: no GPU, HTP or DSP marker in the library)" in (
        cpu.stdout.splitlines()
    )
    given = opgen("info", f"{rt_library}::CPU")
    assert "target:             CPU" in given.stdout.splitlines()  # given: no "(detected...)"


def test_the_configs_choose_within_a_family(example_htp_library: Path, tmp_path: Path) -> None:
    """HTP and HTP_FP16 libraries look alike: a config declaring only HTP_FP16 decides."""
    package_dir = example_htp_library.parents[2]
    (config,) = (package_dir / "config").glob("*.xml")
    fp16 = tmp_path / "fp16.xml"
    fp16.write_text(
        config.read_text(encoding="utf-8").replace(">HTP<", ">HTP_FP16<"), encoding="utf-8"
    )
    assert detect_target(str(example_htp_library), None, None).target == "HTP"
    detected = detect_target(str(example_htp_library), None, [fp16])
    assert detected.target == "HTP_FP16"
    assert detected.reason.endswith("and its configs declare HTP_FP16")


def test_a_wrong_target_hint_uses_the_readme_syntax(gpu_example_library: Path) -> None:
    result = opgen("info", f"{gpu_example_library}::CPU")
    assert_one_line_error(
        result,
        "it is a GPU op package; register it as LIB::GPU (or as LIB alone: the runtime "
        "detects the target)",
    )


@pytest.fixture
def copied_library(rt_library: Path, tmp_path: Path) -> Path:
    """libRtPkg.so copied away from its package (so its configs are not found)."""
    copy = tmp_path / "elsewhere" / rt_library.name
    copy.parent.mkdir()
    shutil.copy2(rt_library, copy)
    return copy


def _add_scaled(library: Path, tmp_path: Path, *extra: str | Path) -> list[str | Path]:
    a = save(tmp_path / "a.npy", np.arange(6, dtype=np.float32).reshape(2, 3))
    b = save(tmp_path / "b.npy", np.ones((2, 3), np.float32))
    return [
        "run", "--op_packages", library, "--op", "AddScaled", "-i", a, "-i", b,
        "--param", "alpha=2", "--param", "offset=1", *extra,
    ]  # fmt: skip


def test_a_copied_library_warns_that_its_configs_are_missing(
    copied_library: Path, tmp_path: Path
) -> None:
    info = opgen("info", copied_library)
    assert info.returncode == 0, info.stderr
    assert info.stderr.startswith(f"{NO_CONFIGS}{copied_library} ")
    assert "--config CONFIG.xml" in info.stderr
    assert info.stderr.count("\n") == 1
    # Without the declarations, alpha=2 travels as an INT_32 and the package refuses it.
    run = opgen(*_add_scaled(copied_library, tmp_path, "-o", tmp_path / "o.npz"))
    assert run.returncode == 1
    warning, error = run.stderr.splitlines()
    assert warning.startswith(NO_CONFIGS)
    assert error.startswith("error: ") and "QNN_DATATYPE_INT_32" in error


@pytest.mark.parametrize("mode", [[], ["--in-process"]], ids=["isolated", "in-process"])
def test_config_option_gives_a_copied_library_its_declarations(
    copied_library: Path, rt_library: Path, tmp_path: Path, mode: list[str]
) -> None:
    (config,) = (rt_library.parents[2] / "config").glob("*.xml")
    info = opgen("info", copied_library, "--config", config, *mode)
    assert info.returncode == 0, info.stderr
    assert info.stderr == ""
    assert f"configs:            {config}" in info.stdout.splitlines()
    out = tmp_path / "o.npz"
    run = opgen(*_add_scaled(copied_library, tmp_path, "--config", config, "-o", out, *mode))
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    with np.load(out) as saved:
        np.testing.assert_array_equal(saved["out[0]"], np.arange(6).reshape(2, 3) + 2 * 1 + 1)


def test_a_config_of_another_package_is_refused(copied_library: Path, tmp_path: Path) -> None:
    other = Path(__file__).parents[2] / "examples" / "cpu" / "ExampleOpPackage.xml"
    result = opgen("info", copied_library, "--config", other)
    assert_one_line_error(result, "they declare ExampleOpPackage, not RtPkg")


def test_output_npy_holds_the_one_output(rt_library: Path, tmp_path: Path) -> None:
    out = tmp_path / "y.npy"
    result = opgen(*_add_scaled(rt_library, tmp_path, "-o", out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == f"wrote {out}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.npy", "b.npy", "y.npy"]
    saved = np.load(out)  # a plain .npy: an array, not an archive
    assert isinstance(saved, np.ndarray)
    np.testing.assert_array_equal(saved, np.arange(6).reshape(2, 3) + 2 * 1 + 1)


def test_output_npy_for_several_outputs_is_refused_before_running(
    rt_library: Path, tmp_path: Path
) -> None:
    x = save(tmp_path / "x.npy", np.ones((2, 3), np.float32))
    result = opgen(
        "run", "--op_packages", rt_library, "--op", "RowMax", "-i", x,
        "--param", "weights=[3, 1, 1]", "--output-spec", "values=float32:2",
        "--output-spec", "indices=int32:2", "-o", tmp_path / "y.npy",
    )  # fmt: skip
    assert_one_line_error(
        result,
        f"-o {tmp_path / 'y.npy'}: a .npy file holds one array, and RowMax has 2 outputs "
        "(values, indices); give -o OUT.npz",
    )
    assert not (tmp_path / "y.npy").exists()


def test_an_opencl_build_error_names_the_users_file(gpu_rt_library: Path, tmp_path: Path) -> None:
    x = save(tmp_path / "x.npy", np.ones(5, np.float32))
    result = opgen("run", "--op_packages", gpu_rt_library, "--op", "Broken", "-i", x, "-o",
                   tmp_path / "o.npz")  # fmt: skip
    assert_one_line_error(result, "build log: src/ops/Broken.cl:4:23: error: expected expression")
    # The position is the user's file's own: line 4, column 23 is the stray ';'.
    source = (gpu_rt_library.parents[2] / "src" / "ops" / "Broken.cl").read_text(encoding="utf-8")
    assert source.splitlines()[3][22:] == ";"
    assert "pocl" not in result.stderr and "tempfile" not in result.stderr


@pytest.mark.parametrize(
    ("log", "expected"),
    [
        (
            "error: /root/.cache/pocl/kcache/tempfile_tZDEmp.cl:23:54: use of undeclared x\n",
            "src/ops/Op.cl:23:54: error: use of undeclared x\n",
        ),
        (
            "/tmp/pocl-1a2b/program.cl:3:1: warning: unused\n/tmp/pocl-1a2b/program.cl:7: note",
            "src/ops/Op.cl:3:1: warning: unused\nsrc/ops/Op.cl:7: note",
        ),
        ("<kernel>:2:5: error: expected ';'", "src/ops/Op.cl:2:5: error: expected ';'"),
        ("Device X failed to build the program", "Device X failed to build the program"),
    ],
)
def test_build_log_locations_are_renamed(log: str, expected: str) -> None:
    assert name_source(log, "src/ops/Op.cl") == expected
