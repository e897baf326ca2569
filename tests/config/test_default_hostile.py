"""Hostile defaults (5,000-deep brackets, 5,000 digits, 400 digits for a float...) through the
CLI as a user runs it: a diagnostic at the `<Default>` line, exit 1, no traceback, nothing
written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests import factories as f

# ---- hostile defaults through the CLI ------------------------------------------------------

HOSTILE = {
    "nested_5000": ("INT_32", "1D", "{" * 5000 + "1" + "}" * 5000),
    "digits_5000": ("INT_32", "SCALAR", "9" * 5000),
    "digits_400_float": ("FLOAT_32", "SCALAR", "9" * 400),
    "digits_5000_rank": ("INT_32", "SCALAR", "9" * 5000 + "*N"),
    "spaces_fill": ("INT_32", "1D", "{1" + " " * 200_000 + ",..,1}"),
}


@pytest.mark.parametrize("command", ["validate", "generate"])
@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_defaults_are_a_diagnostic_through_the_cli(
    case: str, command: str, tmp_path: Path
) -> None:
    datatype, rank, default = HOSTILE[case]
    param = f.param("p", f"QNN_DATATYPE_{datatype}", rank, mandatory=False, default=default)
    text = f.config("HostilePkg", [f.op("Hostile", params=[param])])
    f.write(tmp_path, "hostile.xml", text)
    args = ["hostile.xml"] + (["-o", "out"] if command == "generate" else [])
    run = subprocess.run(
        [sys.executable, "-m", "opgen", command, *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    line = next(i for i, t in enumerate(text.split("\n"), 1) if "<Default>" in t)
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    assert run.stderr.startswith(f"hostile.xml:{line}:3: error: ")
    assert len(run.stderr) < 1000  # the 5,000 digits are not echoed back
    assert not (tmp_path / "out").exists()
