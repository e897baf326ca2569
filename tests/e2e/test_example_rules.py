"""The example CPU package with the rules of examples/cpu/ExampleOpPackage.xml: TopK runs through
`opgen run` and `execute` with no output spec (its outputs come from `= with(in[0], -1, k)` and
the INT_32 dtype rule)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from opgen.runtime import register

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "examples" / "cpu" / "ExampleOpPackage.xml"


@pytest.fixture(scope="module")
def library(example_cpu_library: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built example library next to the example config with rules (the package's own
    config/ copy is regenerated from it at release time)."""
    root = tmp_path_factory.mktemp("example_rules") / "ExampleOpPackage"
    (root / "config").mkdir(parents=True)
    shutil.copy(CONFIG, root / "config" / CONFIG.name)
    libs = root / "libs" / example_cpu_library.parent.name
    libs.mkdir(parents=True)
    return Path(shutil.copy(example_cpu_library, libs / example_cpu_library.name))


def expected_topk(x: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(-x, axis=-1, kind="stable")[..., :k]
    return np.take_along_axis(x, order, axis=-1), order.astype(np.int32)


@pytest.mark.parametrize("mode", [[], ["--in-process"]], ids=["isolated", "in-process"])
def test_opgen_run_topk_needs_no_output_spec(
    library: Path, tmp_path: Path, mode: list[str]
) -> None:
    x = np.random.default_rng(5).normal(size=(2, 3, 7)).astype(np.float32)
    np.save(tmp_path / "x.npy", x)
    result = subprocess.run(
        [sys.executable, "-m", "opgen", "run", "--op_packages", str(library), "--op", "TopK",
         "-i", "x.npy", "--param", "k=3", "-o", "y.npz", *mode],
        capture_output=True, text=True, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:2] == [
        "values: float32 [2, 3, 3]",
        "indices: int32 [2, 3, 3]",
    ]
    values, indices = expected_topk(x, 3)
    with np.load(tmp_path / "y.npz") as saved:
        np.testing.assert_array_equal(saved["values"], values)
        np.testing.assert_array_equal(saved["indices"], indices)


def test_execute_sizes_every_example_op_from_its_rules(library: Path) -> None:
    x = np.random.default_rng(6).normal(size=(4, 5)).astype(np.float32)
    with register(str(library)) as package:
        values, indices = package.execute("TopK", [x], {"k": 2})
        (relu,) = package.execute("Relu", [x.astype(np.int16)])
        (soft,) = package.execute("Softmax", [x])
    assert values.shape == indices.shape == (4, 2) and indices.dtype == np.int32
    np.testing.assert_array_equal(indices, expected_topk(x, 2)[1])
    assert relu.dtype == np.int16 and relu.shape == (4, 5)
    assert soft.shape == (4, 5) and soft.dtype == np.float32
