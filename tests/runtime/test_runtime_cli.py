"""`opgen info` and `opgen run`, run as a user runs them (subprocesses)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

OPGEN = [sys.executable, "-m", "opgen"]


def opgen(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*OPGEN, *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=60
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], fragment: str) -> None:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert fragment in lines[0]


def save(path: Path, array: np.ndarray) -> Path:
    np.save(path, array)
    return path


ISOLATION = pytest.mark.parametrize("mode", [[], ["--in-process"]], ids=["isolated", "in-process"])


@ISOLATION
def test_info_text(rt_library: Path, mode: list[str]) -> None:
    result = opgen("info", rt_library, *mode)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "package:            RtPkg"
    assert "interface provider: RtPkgInterfaceProvider" in lines
    assert "interface version:  1.4.0" in lines
    assert "SDK build id:       v2.13.0.230725130242_60412" in lines
    assert "API version:        core 2.7.2, backend 1.1.0" in lines
    assert "operations (4):" in lines
    assert (
        "  AddScaled(in[0], in[1]; alpha: FLOAT_32 = 1.0, offset: UINT_32, "
        "swap: BOOL_8 = false) -> out[0]" in lines
    )
    assert "  Concat(in[0]...; axis: INT_32 = 0) -> out[0]" in lines


def test_info_json(rt_library: Path) -> None:
    result = opgen("info", f"{rt_library}:RtPkgInterfaceProvider", "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["package_name"] == "RtPkg"
    assert payload["operations"] == ["AddScaled", "Concat", "RowMax", "Fail"]
    assert payload["interface_provider"] == "RtPkgInterfaceProvider"
    assert payload["sdk_build_id"] == "v2.13.0.230725130242_60412"
    assert payload["sdk_api_version"] == {"core": "2.7.2", "backend": "1.1.0"}
    assert payload["declarations"]["RowMax"]["outputs"][1]["name"] == "indices"


@ISOLATION
def test_info_of_a_misbehaving_library(bad_libraries: dict[str, Path], mode: list[str]) -> None:
    result = opgen("info", bad_libraries["nullinfo"], *mode)
    assert_one_line_error(result, "getInfo returned success but no info (NULL)")


@ISOLATION
def test_run_writes_outputs_by_declared_name(
    rt_library: Path, tmp_path: Path, mode: list[str]
) -> None:
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    b = np.ones((2, 3), np.float32)
    out = tmp_path / "out.npz"
    result = opgen(
        "run",
        "--op_packages",
        f"{rt_library}:RtPkgInterfaceProvider:CPU",
        "--op",
        "AddScaled",
        "-i",
        save(tmp_path / "a.npy", a),
        "-i",
        save(tmp_path / "b.npy", b),
        "--param",
        "offset=2",
        "--param",
        "alpha=0.5",
        "--param",
        "swap=true",
        "-o",
        out,
        *mode,
    )
    assert result.returncode == 0, result.stderr
    with np.load(out) as saved:
        assert list(saved.keys()) == ["out[0]"]
        np.testing.assert_array_equal(saved["out[0]"], b + 0.5 * a + 2)
    assert result.stdout.splitlines() == ["out[0]: float32 [2, 3]", f"wrote {out}"]


def test_run_with_output_specs_and_a_tensor_param(rt_library: Path, tmp_path: Path) -> None:
    x = np.array([[1, 5, 3], [4, 2, 0]], np.float32)
    out = tmp_path / "rowmax.npz"
    result = opgen(
        "run",
        "--op_packages",
        rt_library,
        "--op",
        "RowMax",
        "-i",
        save(tmp_path / "x.npy", x),
        "--param",
        "weights=[3, 1, 1]",
        "--output-spec",
        "values=float32:2",
        "--output-spec",
        "indices=int32:2",
        "-o",
        out,
    )
    assert result.returncode == 0, result.stderr
    weighted = x * np.array([3, 1, 1], np.float32)
    with np.load(out) as saved:
        assert sorted(saved.keys()) == ["indices", "values"]
        np.testing.assert_array_equal(saved["values"], weighted.max(axis=1))
        np.testing.assert_array_equal(saved["indices"], weighted.argmax(axis=1))


def test_run_with_a_repeated_input(rt_library: Path, tmp_path: Path) -> None:
    parts = [np.full((1, 2), i, np.int8) for i in range(3)]
    inputs = [arg for i, p in enumerate(parts) for arg in ("-i", save(tmp_path / f"{i}.npy", p))]
    out = tmp_path / "concat.npz"
    result = opgen(
        "run", "--op_packages", rt_library, "--op", "Concat", *inputs,
        "--param", "axis=1", "--output-spec", "out[0]=int8:1,6", "-o", out,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    with np.load(out) as saved:
        np.testing.assert_array_equal(saved["out[0]"], np.concatenate(parts, axis=1))


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"--op": "Nope"}, "no registered op package has op 'Nope' (RtPkg: AddScaled, Concat"),
        ({"inputs": 1}, "AddScaled: expected 2 input(s), got 1"),
        ({"params": ["alpha=2"]}, "mandatory parameter 'offset' is missing"),
        ({"params": ["offset=1.5"]}, "parameter 'offset' expects UINT_32, got number 1.5"),
        ({"params": ["offset=1", "swap=yes"]}, "'swap' expects BOOL_8, got string 'yes'"),
        ({"params": ["offset"]}, "--param 'offset' is not NAME=JSON"),
        ({"--op_packages": "{dir}/libnothere.so"}, "libnothere.so' does not exist"),
        (
            {"--op_packages": "{lib}:NoSuchInterfaceProvider"},
            "has no interface provider 'NoSuchInterfaceProvider'",
        ),
        (
            {"--op_packages": "{lib}::GPU"},
            "backend API 1.1.0, not the GPU API (3.x): it is a CPU op package",
        ),
        ({"specs": ["bogus=float32:2"]}, "op AddScaled has no output 'bogus' (outputs: out[0])"),
        ({"specs": ["out[0]=complex64:2"]}, "unsupported dtype 'complex64'"),
        ({"specs": ["out[0]=float32"]}, "is not NAME=DTYPE:D0,D1,..."),
        ({"input_file": "missing.npy"}, "cannot read input"),
        ({"op": "Fail", "params": [], "inputs": 1}, "execute failed with error 1100"),
    ],
)
def test_bad_requests_end_with_one_line(
    rt_library: Path, tmp_path: Path, change: dict[str, object], fragment: str
) -> None:
    a = save(tmp_path / "a.npy", np.ones((2, 3), np.float32))
    count = int(change.get("inputs", 2))  # type: ignore[call-overload]
    inputs = [tmp_path / str(change["input_file"])] if "input_file" in change else [a] * count
    package = str(change.get("--op_packages", "{lib}")).format(lib=rt_library, dir=tmp_path)
    op = str(change.get("--op", change.get("op", "AddScaled")))
    params = change.get("params", ["offset=1"])
    specs = change.get("specs", [])
    args: list[str | Path] = ["run", "--op_packages", package, "--op", op, "-o", tmp_path / "o.npz"]
    args += [x for i in inputs for x in ("-i", i)]
    args += [x for p in params for x in ("--param", p)]  # type: ignore[attr-defined]
    args += [x for s in specs for x in ("--output-spec", s)]  # type: ignore[attr-defined]
    assert_one_line_error(opgen(*args), fragment)
    assert not (tmp_path / "o.npz").exists()
