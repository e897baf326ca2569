"""Bad input to `opgen test`: one clear ``error:`` line, exit 1, never a traceback."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.optest.test_planted import opgen_test


def _fails_with(run: subprocess.CompletedProcess[str], *expected: str) -> str:
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    for text in expected:
        assert text in run.stderr or text in run.stdout, run.stderr
    return run.stderr


def test_a_reference_without_a_function_for_an_op(
    plant_library: Path, plant_config: Path, tmp_path: Path
) -> None:
    reference = tmp_path / "partial.py"
    reference.write_text("def Copy(x):\n    return x\n")
    run = opgen_test(plant_config, "--op_packages", plant_library, "--reference", reference)
    stderr = _fails_with(run)
    assert stderr.strip() == (
        f"error: the reference {reference} has no function for Crashy, Reverse (it defines: Copy)"
    )
    assert run.stdout == ""  # nothing ran


def test_a_reference_that_raises(plant_library: Path, plant_config: Path, tmp_path: Path) -> None:
    reference = tmp_path / "raising.py"
    reference.write_text(
        "def Copy(x):\n    return x / 0 if x.size else x\n\n"
        "def Reverse(x):\n    raise ValueError('not written yet')\n"
    )
    run = opgen_test(
        plant_config,
        "--op_packages",
        plant_library,
        "--reference",
        reference,
        "--op",
        "Reverse",
        "--cases",
        3,
    )
    _fails_with(run, "error: the reference Reverse() raised ValueError: not written yet (case 0:")
    assert "Reverse          FAIL" in run.stdout


def test_a_reference_module_that_does_not_import(
    plant_library: Path, plant_config: Path, tmp_path: Path
) -> None:
    reference = tmp_path / "broken.py"
    reference.write_text("import numpy as np\n1 / 0\n")
    run = opgen_test(plant_config, "--op_packages", plant_library, "--reference", reference)
    stderr = _fails_with(run)
    assert stderr.strip() == (
        f"error: reference module '{reference}' fails to import: ZeroDivisionError: "
        "division by zero"
    )
    missing = opgen_test(
        plant_config, "--op_packages", plant_library, "--reference", tmp_path / "nope.py"
    )
    assert (
        _fails_with(missing).strip()
        == f"error: reference module '{tmp_path / 'nope.py'}': no such file"
    )


def test_an_op_no_config_declares(
    plant_library: Path, plant_config: Path, plant_reference: Path
) -> None:
    run = opgen_test(
        plant_config,
        "--op_packages",
        plant_library,
        "--reference",
        plant_reference,
        "--op",
        "Revers",
    )
    assert _fails_with(run).strip() == (
        "error: --op Revers: no config declares it (ops: Copy, Crashy, Reverse)"
    )


@pytest.mark.parametrize("kind", ["missing", "not a library"])
def test_a_package_that_fails_to_load(
    plant_config: Path, plant_reference: Path, tmp_path: Path, kind: str
) -> None:
    library = tmp_path / "libPlantPkg.so"
    if kind == "not a library":
        library.write_text("not ELF")
    junit = tmp_path / "report.xml"
    run = opgen_test(
        plant_config, "--op_packages", library, "--reference", plant_reference, "--junit", junit
    )
    stderr = _fails_with(run)
    assert stderr.startswith(f"error: {library}: ")
    assert run.stdout.splitlines()[-1] == (
        "0 op(s) on 1 package(s), 0 case(s): all passed; 1 package(s) could not be tested"
    )
    assert b"<error message=" in junit.read_bytes()


def test_a_package_the_configs_do_not_declare(
    plant_library: Path, plant_reference: Path, tmp_path: Path
) -> None:
    from tests import factories as f

    other = tmp_path / "Other.xml"
    other.write_text(f.config("OtherPkg", [f.op("Copy")]))
    run = opgen_test(other, "--op_packages", plant_library, "--reference", plant_reference)
    assert _fails_with(run).strip() == (
        f"error: {plant_library}: cannot use the op declarations in {other}: they declare "
        "OtherPkg, not PlantPkg"
    )


def test_a_bad_config_prints_its_diagnostics(plant_reference: Path, tmp_path: Path) -> None:
    config = tmp_path / "bad.xml"
    config.write_text("<OpDefCollection PackageName='P'>\n<OpDefList><OpDef>\n</OpDefCollection>\n")
    run = opgen_test(config, "--op_packages", "libP.so", "--reference", plant_reference)
    stderr = _fails_with(run)
    assert stderr.splitlines()[0].startswith(f"{config}:")
    assert stderr.splitlines()[-1].startswith("error: the configs have ")


def test_a_replay_file_that_is_not_a_case(
    plant_library: Path, plant_config: Path, plant_reference: Path, tmp_path: Path
) -> None:
    bogus = tmp_path / "case.npz"
    bogus.write_text("junk")
    run = opgen_test(
        plant_config,
        "--op_packages",
        plant_library,
        "--reference",
        plant_reference,
        "--replay",
        bogus,
    )
    assert _fails_with(run).startswith(f"error: case file '{bogus}' is not an opgen test case")
