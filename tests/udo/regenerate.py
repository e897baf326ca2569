"""Rewrite tests/udo/configs/bad/<case>.expected from the current `opgen import-udo` output.

    python -m tests.udo.regenerate

Run it after a deliberate change to a message, then review with `git diff tests/udo/configs/bad`.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

BAD = Path(__file__).resolve().parent / "configs" / "bad"


def run(case: Path, output: Path) -> subprocess.CompletedProcess[str]:
    """`opgen import-udo <case>.json -o OUTPUT` from inside the folder (relative paths)."""
    return subprocess.run(
        [sys.executable, "-m", "opgen", "import-udo", case.name, "-o", str(output)],
        cwd=BAD,
        capture_output=True,
        text=True,
        timeout=60,
    )


def snapshot(run: subprocess.CompletedProcess[str]) -> str:
    return f"exit: {run.returncode}\n{run.stderr}"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for case in sorted(BAD.glob("*.json")):
            done = run(case, Path(tmp) / "out.xml")
            case.with_suffix(".expected").write_text(snapshot(done), "utf-8")
            print(f"wrote {case.with_suffix('.expected').name}")


if __name__ == "__main__":
    main()
