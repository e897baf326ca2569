"""The bad and hostile config corpus (tests/configs/bad), checked through the CLI as a user runs it.

Each <case>.expected holds the command (`$ opgen validate FILES`, relative to the corpus folder),
the exit code, and the exact stderr. tests/configs/bad/regenerate.py rewrites the snapshots.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from opgen.config.loader import MAX_CONFIG_BYTES

BAD = Path(__file__).resolve().parents[1] / "configs" / "bad"
VALID = BAD.parent / "valid"
PREFIX = "$ opgen validate "
TIMEOUT = 20  # seconds; a hang guard, not a performance assertion
VENDOR = "from opgen.cli import vendor_main; vendor_main()"
DOCTYPE_ERROR = "DOCTYPE declarations are not allowed in OpDef configs (no DTDs, no entities)"

# Snapshots of these cases hold what opgen SHOULD print; an entry here marks a known bug.
KNOWN_BUGS: dict[str, str] = {}


@dataclass(frozen=True)
class Case:
    name: str
    files: tuple[str, ...]
    exit: int
    stderr: str


def _load(path: Path) -> Case:
    command, exit_line, *stderr = path.read_text(encoding="utf-8").splitlines()
    assert command.startswith(PREFIX), f"{path.name}: first line must start with {PREFIX!r}"
    assert exit_line.startswith("exit: "), f"{path.name}: second line must be 'exit: N'"
    stderr_text = "".join(line + "\n" for line in stderr)
    return Case(path.stem, tuple(command[len(PREFIX) :].split()), int(exit_line[6:]), stderr_text)


CASES = [_load(p) for p in sorted(BAD.glob("*.expected"))]


def _params(cases: list[Case]) -> list[object]:
    return [
        pytest.param(
            case,
            id=case.name,
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[case.name])]
            if case.name in KNOWN_BUGS
            else [],
        )
        for case in cases
    ]


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=TIMEOUT,
        check=False,
    )


def _validate(files: list[str], cwd: Path = BAD) -> subprocess.CompletedProcess[str]:
    return _run(["-m", "opgen", "validate", *files], cwd)


def _listing(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def test_corpus_is_complete() -> None:
    """Every config belongs to a case, and every file a case names exists."""
    named = {f for case in CASES for f in case.files}
    assert {p.name for p in BAD.glob("*.xml")} == named
    assert set(KNOWN_BUGS) <= {case.name for case in CASES}


@pytest.mark.parametrize("case", _params(CASES))
def test_validate_diagnostics(case: Case) -> None:
    run = _validate(list(case.files))
    assert "Traceback" not in run.stderr + run.stdout
    assert run.stderr == case.stderr
    assert run.returncode == case.exit
    if case.exit != 0:
        assert run.stdout == ""
    else:
        assert ": backends " in run.stdout  # the one-line package summary


@pytest.mark.parametrize("case", _params([c for c in CASES if c.exit != 0]))
def test_vendor_cli_writes_nothing(case: Case, tmp_path: Path) -> None:
    out = tmp_path / "out"
    before = (_listing(tmp_path), _listing(BAD))
    args = [arg for f in case.files for arg in ("-p", f)]
    run = _run(["-c", VENDOR, *args, "-o", str(out)], BAD)
    assert "Traceback" not in run.stderr + run.stdout
    assert run.returncode != 0
    assert run.stderr == case.stderr
    assert not out.exists()
    assert (_listing(tmp_path), _listing(BAD)) == before


def test_config_over_size_limit(tmp_path: Path) -> None:
    text = (VALID / "multi_a.xml").read_text(encoding="utf-8")
    declaration, rest = text.split("\n", 1)
    with open(tmp_path / "big.xml", "w", encoding="utf-8") as f:
        f.write(declaration + "\n<!--")
        f.write(" " * (MAX_CONFIG_BYTES + 1))
        f.write("-->\n" + rest)
    size = (tmp_path / "big.xml").stat().st_size
    run = _validate(["big.xml"], tmp_path)
    assert run.returncode == 1
    assert run.stdout == ""
    assert run.stderr == (
        f"big.xml:1:1: error: config file is {size} bytes; the limit is {MAX_CONFIG_BYTES} bytes\n"
        "1 error(s), 0 warning(s)\n"
    )


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("missing.xml", "config file does not exist or is not a regular file"),
        ("config.txt", "config file must have the .xml extension"),
        ("folder.xml", "this is a directory, not a config file (it holds no .xml file)"),
        (
            "configs",
            "this is a directory, not a config file (name the config files in it: "
            "configs/*.xml matches 2)",
        ),
    ],
)
def test_config_path_problems(name: str, message: str, tmp_path: Path) -> None:
    (tmp_path / "config.txt").write_text((VALID / "multi_a.xml").read_text(encoding="utf-8"))
    (tmp_path / "folder.xml").mkdir()
    (tmp_path / "configs").mkdir()
    for config in ("multi_a.xml", "multi_b.xml"):
        shutil.copy(VALID / config, tmp_path / "configs" / config)
    run = _validate([name], tmp_path)
    assert run.returncode == 1
    assert run.stdout == ""
    assert run.stderr == f"{name}:1:1: error: {message}\n1 error(s), 0 warning(s)\n"


@pytest.mark.parametrize("case", ["xxe_external_entity", "xxe_parameter_entity_local"])
def test_external_entity_content_does_not_leak(case: str, tmp_path: Path) -> None:
    passwd = Path("/etc/passwd")
    if not passwd.is_file() or "root:" not in passwd.read_text(errors="replace"):
        pytest.skip("needs an /etc/passwd that contains 'root:'")
    for args in (
        ["-m", "opgen", "validate", f"{case}.xml"],
        ["-m", "opgen", "validate", "--json", f"{case}.xml"],
        ["-c", VENDOR, "-p", f"{case}.xml", "-o", str(tmp_path / "out")],
    ):
        run = _run(args, BAD)
        assert run.returncode == 1
        assert "root:" not in run.stdout + run.stderr
        assert "Traceback" not in run.stdout + run.stderr
    assert not (tmp_path / "out").exists()


def test_parameter_entity_to_endless_file_does_not_hang(tmp_path: Path) -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("needs /dev/zero")
    text = (BAD / "xxe_parameter_entity.xml").read_text(encoding="utf-8")
    (tmp_path / "zero.xml").write_text(
        text.replace("http://127.0.0.1:9/evil.dtd", "file:///dev/zero")
    )
    run = _validate(["zero.xml"], tmp_path)
    assert run.returncode == 1
    assert run.stderr == f"zero.xml:3:1: error: {DOCTYPE_ERROR}\n1 error(s), 0 warning(s)\n"
