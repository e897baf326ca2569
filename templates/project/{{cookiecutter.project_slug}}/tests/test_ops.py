{% set p = cookiecutter._opgen %}
"""The tests of {{ p.package }}: every op on every backend, against reference.py.

`make test` generates and builds the packages first, then runs these; each runs `opgen test` on
one backend's library: cases from the config's declarations, compared with reference.py. A
failing case is saved under build/failures/<backend>/ with the command that replays it; JUnit
XML goes to build/test-results/.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONFIG = "{{ p.config }}"
REFERENCE = "reference.py"
#: Each backend's library as `opgen test --op_packages` takes it (`make build-<backend>`).
PACKAGES = {
{% for b in p.backends %}
    "{{ b.name }}": "{{ b.op_packages }}",
{% endfor %}
}


def opgen() -> list[str]:
    """The opgen the Makefile uses (its OPGEN), else the one of this Python."""
    command = os.environ.get("OPGEN")
    return shlex.split(command) if command else [sys.executable, "-m", "opgen"]


@pytest.mark.parametrize("backend", list(PACKAGES))
def test_kernels_match_the_reference(backend: str) -> None:
    library = PACKAGES[backend].split(":")[0]
    if not (ROOT / library).is_file():
        pytest.fail(f"{library} is not built: run `make build-{backend.lower()}` or `make test`")
    command = [
        *opgen(),
        "test",
        CONFIG,
        "--op_packages",
        PACKAGES[backend],
        "--reference",
        REFERENCE,
        "--junit",
        f"build/test-results/{backend}.xml",
        "--save-failures",
        f"build/failures/{backend}",
    ]
    (ROOT / "build" / "test-results").mkdir(parents=True, exist_ok=True)
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail(f"{shlex.join(command)}\n{result.stdout}{result.stderr}", pytrace=False)
