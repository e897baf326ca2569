"""`opgen test` on PlantPkg: the planted off-by-one is found, its cases are saved and replay,
a crashing kernel fails its cases without ending the run, JUnit XML tells the same story, and a
seed gives the same cases every time."""

from __future__ import annotations

import shlex
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np


def opgen_test(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "opgen", "test", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=600,
    )


def _op_line(stdout: str, op: str) -> str:
    return next(line for line in stdout.splitlines() if line.strip().startswith(op + " "))


def test_the_off_by_one_is_found_saved_and_replayed(
    plant_library: Path, plant_config: Path, plant_reference: Path, tmp_path: Path
) -> None:
    saved = tmp_path / "failures"
    run = opgen_test(
        plant_config,
        "--op_packages",
        plant_library,
        "--reference",
        plant_reference,
        "--op",
        "Reverse",
        "--op",
        "Copy",
        "--cases",
        8,
        "--save-failures",
        saved,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    assert _op_line(run.stdout, "Copy").split()[1] == "ok"
    reverse = _op_line(run.stdout, "Reverse")
    assert reverse.split()[1] == "FAIL", run.stdout
    files = sorted(saved.glob("*.npz"))
    failed = int(reverse.split()[2])  # "FAIL  <n> of 8 case(s) failed"
    assert len(files) == failed >= 4  # every case with more than one element fails
    assert all(f.name.startswith("PlantPkg-CPU-Reverse-") for f in files)

    # The saved case holds what the package got and gave, and the reference's answer.
    with np.load(files[0], allow_pickle=False) as case:
        x, expected, got = case["input_0"], case["expected_0"], case["got_0"]
    assert x.size > 1
    np.testing.assert_array_equal(expected, x.reshape(-1)[::-1].reshape(x.shape))
    flat = x.reshape(-1)
    np.testing.assert_array_equal(
        got.reshape(-1), flat[(flat.size - np.arange(flat.size)) % flat.size]
    )

    # The printed replay command reproduces the failure, with the same numbers.
    commands = [
        line.split("replay: ", 1)[1] for line in run.stdout.splitlines() if "replay: " in line
    ]
    assert len(commands) == min(failed, 5)
    replay = subprocess.run(
        ["bash", "-c", commands[0]], capture_output=True, text=True, timeout=600
    )
    assert replay.returncode == 1, replay.stdout + replay.stderr
    assert "Reverse case" in replay.stdout and "FAIL" in replay.stdout
    case_index = files[0].stem.rsplit("-", 1)[1]
    assert f"case {case_index} " in replay.stdout

    # Once the reference agrees with the kernel, the same replay passes.
    agreeing = tmp_path / "agreeing.py"
    agreeing.write_text(
        "import numpy as np\n\ndef Reverse(x):\n    f = x.reshape(-1)\n"
        "    return f[(f.size - np.arange(f.size)) % f.size].reshape(x.shape)\n"
    )
    argv = shlex.split(commands[0])
    argv[argv.index("--reference") + 1] = str(agreeing)
    fixed = subprocess.run(argv, capture_output=True, text=True, timeout=600)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert fixed.stdout.strip().endswith(": ok")


def test_a_crashing_kernel_fails_its_cases_and_the_run_goes_on(
    plant_library: Path, plant_config: Path, plant_reference: Path, tmp_path: Path
) -> None:
    junit = tmp_path / "report.xml"
    run = opgen_test(
        plant_config,
        "--op_packages",
        plant_library,
        "--reference",
        plant_reference,
        "--cases",
        8,
        "--junit",
        junit,
    )
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    crashy = _op_line(run.stdout, "Crashy")
    assert crashy.split()[1] == "FAIL"
    assert "crashed the worker process: killed by SIGSEGV" in run.stdout
    assert _op_line(run.stdout, "Copy").split()[1] == "ok"
    assert run.stdout.splitlines()[-1].startswith("3 op(s) on 1 package(s), 24 case(s): ")

    # The JUnit XML has a testcase per case, with a failure for each failing one.
    root = ET.parse(junit).getroot()
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == "PlantPkg.CPU"
    cases = suite.findall("testcase")
    assert len(cases) == int(suite.get("tests", "")) == 24
    failing = [c for c in cases if c.find("failure") is not None]
    assert int(suite.get("failures", "")) == len(failing)
    by_op: dict[str, int] = {}
    for c in failing:
        op = c.get("classname", "").rsplit(".", 1)[1]
        by_op[op] = by_op.get(op, 0) + 1
    assert set(by_op) == {"Reverse", "Crashy"}
    assert by_op["Reverse"] == int(_op_line(run.stdout, "Reverse").split()[2])
    assert by_op["Crashy"] == int(crashy.split()[2])
    crash = next(c for c in failing if "Crashy" in c.get("classname", ""))
    assert "SIGSEGV" in (crash.find("failure").get("message") or "")  # type: ignore[union-attr]
    assert all(
        c.get("name", "").startswith(c.get("classname", "").rsplit(".", 1)[1]) for c in cases
    )


def test_a_seed_draws_the_same_cases(
    plant_library: Path, plant_config: Path, plant_reference: Path, tmp_path: Path
) -> None:
    def saved(seed: int, where: str) -> tuple[str, list[np.ndarray]]:
        run = opgen_test(
            plant_config,
            "--op_packages",
            plant_library,
            "--reference",
            plant_reference,
            "--op",
            "Reverse",
            "--cases",
            6,
            "--seed",
            seed,
            "--save-failures",
            tmp_path / where,
        )
        assert run.returncode == 1
        arrays = []
        for path in sorted((tmp_path / where).glob("*.npz")):
            with np.load(path, allow_pickle=False) as case:
                arrays.append(case["input_0"])
        report = [
            line for line in run.stdout.splitlines() if "saved" not in line and "replay" not in line
        ]
        return "\n".join(report), arrays

    first, second, other = saved(7, "a"), saved(7, "b"), saved(8, "c")
    assert first[0] == second[0]
    assert len(first[1]) == len(second[1]) > 0
    for a, b in zip(first[1], second[1], strict=True):
        np.testing.assert_array_equal(a, b)
    assert first[0] != other[0]
