"""`opgen run --quant` is an HTP and DSP option: a CPU package refuses it with one line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np


def test_quant_on_a_cpu_package_is_refused(rt_library: Path, tmp_path: Path) -> None:
    np.save(tmp_path / "a.npy", np.zeros(3, np.float32))
    result = subprocess.run(
        [
            sys.executable, "-m", "opgen", "run", "--op_packages", str(rt_library),
            "--op", "AddScaled", "-i", str(tmp_path / "a.npy"), "-i", str(tmp_path / "a.npy"),
            "--param", "offset=1", "--quant", "in[0]=1,0", "-o", str(tmp_path / "o.npz"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.strip() == "error: --quant applies to HTP and DSP op packages, not CPU"
    assert not (tmp_path / "o.npz").exists()
