"""`opgen validate` and the vendor-compatible flags, run as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import factories as f

VALID = Path(__file__).resolve().parents[1] / "configs" / "valid"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "opgen", *args], capture_output=True, text=True, cwd=cwd, timeout=60
    )


def run_vendor(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    code = "from opgen.cli import vendor_main; vendor_main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=cwd, timeout=60
    )


def test_validate_prints_one_summary_line_per_package() -> None:
    result = run(
        "validate",
        str(VALID / "multi_a.xml"),
        str(VALID / "multi_b.xml"),
        str(VALID / "descriptions.xml"),
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0] == "MultiPkg: backends CPU; 3 op(s): AddBias, MulScale, Negate"
    assert lines[1].startswith("DocPkg: backends CPU;")
    assert len(lines) == 2


def test_validate_json_lists_packages_and_operations() -> None:
    result = run("validate", "--json", str(VALID / "supplemental.xml"))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["ok"] is True
    (package,) = data["packages"]
    assert package["package_name"] == "SupplementalPkg"
    assert set(package["backends"]) == {"CPU", "HTP", "GPU"}
    for view in package["backends"].values():
        for op in view["ops"]:
            for tensor in op["inputs"] + op["outputs"] + op["parameters"]:
                assert "BACKEND_SPECIFIC" not in tensor["datatypes"]


def test_validate_json_on_errors_reports_diagnostics_and_fails(tmp_path: Path) -> None:
    path = f.write(tmp_path, "bad.xml", f.config("Bad", [f.op("Op", backend="NPU")]))
    result = run("validate", "--json", str(path))
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["ok"] is False and data["packages"] == []
    (diag,) = data["diagnostics"]
    assert diag["level"] == "error" and diag["line"] > 1
    assert "unknown backend 'NPU'" in diag["message"]


def test_validate_without_configs_is_a_usage_error() -> None:
    result = run("validate")
    assert result.returncode == 2
    assert "Missing argument" in result.stderr


def test_vendor_cli_requires_config_path() -> None:
    result = run_vendor()
    assert result.returncode == 2
    assert "--config_path" in result.stderr
    assert "Traceback" not in result.stderr


def test_vendor_cli_accepts_the_vendor_flags() -> None:
    result = run_vendor("--help")
    assert result.returncode == 0
    for flag in (
        "-p, --config_path",
        "-o, --output_path",
        "-f, --force-generation",
        "--debug",
        "-cop, --converter_op_package",
    ):
        assert flag in result.stdout


def test_vendor_cli_writes_nothing_for_an_invalid_config(tmp_path: Path) -> None:
    path = f.write(tmp_path, "bad.xml", f.config("my-pkg", [f.op("Op")]))
    out = tmp_path / "out" / "nested"
    result = run_vendor("-p", str(path), "-o", str(out), "-f")
    assert result.returncode == 1
    assert (
        f"{path}:2:1: error: package name 'my-pkg' is not a valid C/C++ identifier" in result.stderr
    )
    assert not (tmp_path / "out").exists()


def test_vendor_cli_rejects_an_output_path_that_is_a_file(tmp_path: Path) -> None:
    path = f.write(tmp_path, "ok.xml", f.config("Ok", [f.op("Op")]))
    target = f.write(tmp_path, "file.txt", "x")
    result = run_vendor("-p", str(path), "-o", str(target))
    assert result.returncode == 1
    assert "is not a directory" in result.stderr
    assert target.read_text() == "x"


@pytest.mark.parametrize("command", ["validate", "info"])
def test_a_reader_that_went_away_is_no_internal_error(
    command: str, example_cpu_library: Path
) -> None:
    """`opgen info LIB | head -1`: stdout's reader is gone before opgen writes. That ends opgen
    the way SIGPIPE ends other tools (141), without a message or an internal error (3)."""
    target = str(VALID / "multi_a.xml") if command == "validate" else str(example_cpu_library)
    read_end, write_end = os.pipe()
    os.close(read_end)
    process = subprocess.Popen(
        [sys.executable, "-m", "opgen", command, target], stdout=write_end, stderr=subprocess.PIPE
    )
    os.close(write_end)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 141, stderr
    assert stderr == b""
