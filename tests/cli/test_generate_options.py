"""Generation options a new user needed (issue 12, item 6), through the CLI as subprocesses:
ops with several `<SupportedBackend>`, `--backend NAME`, and `--overwrite-edited` (regenerate
the opgen-owned files you edited, keep your kernels)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests import factories as f
from tests.conftest import build_package

OPGEN = [sys.executable, "-m", "opgen"]
VENDOR = [sys.executable, "-c", "from opgen.cli import vendor_main; vendor_main()"]

SCALE_KERNEL = """#include "ops/Scale.hpp"

namespace MyOps {
namespace Scale {
Qnn_ErrorHandle_t execute(const Op& op) {
  const float* in = op.in_0.data<float>();
  float* out = op.out_0.data<float>();
  for (size_t i = 0; i < op.in_0.numElements(); ++i) out[i] = in[i] * op.gain;
  return QNN_SUCCESS;
}
}  // namespace Scale
}  // namespace MyOps
"""


def run(command: list[str], *args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*command, *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def multi_config(directory: Path) -> Path:
    """MyOps: Scale on CPU, GPU and HTP, from one OpDef."""
    gain = f.param("gain", default="2.0", mandatory=False)
    ops = [f.op("Scale", ["CPU", "GPU", "HTP"], params=[gain])]
    return f.write(directory, "my_ops.xml", f.config("MyOps", ops))


def listing(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")} if root.exists() else set()


def test_an_op_with_several_backends_generates_each(tmp_path: Path) -> None:
    config = multi_config(tmp_path)
    validate = run(OPGEN, "validate", config, cwd=tmp_path)
    assert validate.returncode == 0, validate.stderr
    assert validate.stdout == "MyOps: backends CPU, GPU, HTP; 1 op(s): Scale\n"
    result = run(OPGEN, "generate", config, "-o", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out" / "MyOps").iterdir()) == ["CPU", "GPU", "HTP"]
    for backend in ("CPU", "GPU", "HTP"):
        assert (tmp_path / "out" / "MyOps" / backend / "src" / "ops" / "Scale.cpp").is_file()


def test_the_cpu_package_of_a_multi_backend_op_builds_and_runs(tmp_path: Path) -> None:
    config = multi_config(tmp_path)
    result = run(OPGEN, "generate", config, "-o", "out", "--backend", "CPU", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    package_dir = tmp_path / "out" / "MyOps" / "CPU"
    (package_dir / "src" / "ops" / "Scale.cpp").write_text(SCALE_KERNEL, encoding="utf-8")
    library = build_package(package_dir)
    x = tmp_path / "x.npy"
    np.save(x, np.arange(6, dtype=np.float32).reshape(2, 3))
    out = tmp_path / "y.npy"
    # Target and declarations come from the package (its config/ declares three backends).
    ran = run(OPGEN, "run", "--op_packages", library, "--op", "Scale", "-i", x,
              "--param", "gain=3", "-o", out, cwd=tmp_path)  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    assert ran.stderr == ""
    np.testing.assert_array_equal(np.load(out), np.arange(6).reshape(2, 3) * 3)


@pytest.mark.parametrize("command", [OPGEN, VENDOR], ids=["opgen", "vendor"])
def test_backend_option_generates_only_the_named_backends(
    command: list[str], tmp_path: Path
) -> None:
    config = multi_config(tmp_path)
    if command is OPGEN:
        args: list[str | Path] = ["generate", config, "-o", "out"]
    else:
        args = ["-p", config, "-o", "out"]
    result = run(command, *args, "--backend", "gpu", "--backend", "HTP", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    # The layout stays the multi-backend one: <out>/<Package>/<BACKEND>/.
    assert sorted(p.name for p in (tmp_path / "out" / "MyOps").iterdir()) == ["GPU", "HTP"]
    assert "GPU op package MyOps -> out/MyOps/GPU" in result.stdout
    assert "CPU op package" not in result.stdout


def test_an_unknown_backend_is_a_usage_error_listing_the_configs_backends(
    tmp_path: Path,
) -> None:
    config = multi_config(tmp_path)
    result = run(OPGEN, "generate", config, "-o", "out", "--backend", "DSP", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: --backend DSP: the configs declare no DSP ops (their backends: CPU, GPU, HTP)"
    )
    assert not (tmp_path / "out").exists()


def _edited_package(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A generated CPU package whose interface (opgen-owned) and kernel (yours) were edited."""
    config = f.write(tmp_path, "pkg.xml", f.config("EditPkg", [f.op("Scale")]))
    first = run(OPGEN, "generate", config, "-o", "out", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    package_dir = tmp_path / "out" / "EditPkg"
    owned = package_dir / "src" / "EditPkgInterface.cpp"
    kernel = package_dir / "src" / "ops" / "Scale.cpp"
    with owned.open("a", encoding="utf-8") as handle:
        handle.write("// my edit\n")
    with kernel.open("a", encoding="utf-8") as handle:
        handle.write("// my kernel\n")
    return config, owned, kernel


def test_the_refusal_says_what_each_option_does_to_the_kernels(tmp_path: Path) -> None:
    config, owned, _ = _edited_package(tmp_path)
    before = owned.read_bytes()
    result = run(OPGEN, "generate", config, "-o", "out", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == (
        "error: refusing to overwrite files in out/EditPkg that opgen generated and that were "
        "edited since (or that opgen did not write):\n"
        "  src/EditPkgInterface.cpp\n"
        "Move your changes into the user-owned files (under src/ops/), or rerun with\n"
        "  --overwrite-edited: regenerate these files (each backed up under .opgen/backup/ "
        "first), keeping your kernels and every other file you own as they are;\n"
        "  -f/--force-generation: regenerate the whole package from scratch, your kernels too "
        "(edited ones backed up under .opgen/backup/), and remove libs/, obj/ and build/.\n"
    )
    assert owned.read_bytes() == before


@pytest.mark.parametrize(
    "spelling", ["opgen", "vendor", "vendor_underscore"], ids=lambda s: s.replace("_", "-")
)
def test_overwrite_edited_regenerates_owned_files_and_keeps_the_kernels(
    spelling: str, tmp_path: Path
) -> None:
    config, owned, kernel = _edited_package(tmp_path)
    package_dir = owned.parents[1]
    (package_dir / "libs").mkdir()  # a build output: kept (only -f removes it)
    if spelling == "opgen":
        result = run(OPGEN, "generate", config, "-o", "out", "--overwrite-edited", cwd=tmp_path)
    else:
        flag = "--overwrite-edited" if spelling == "vendor" else "--overwrite_edited"
        result = run(VENDOR, "-p", config, "-o", "out", flag, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "  backed up before replacing: src/EditPkgInterface.cpp\n" in result.stderr
    assert "// my edit" not in owned.read_text(encoding="utf-8")
    backup = package_dir / ".opgen" / "backup" / "src" / "EditPkgInterface.cpp"
    assert backup.read_text(encoding="utf-8").endswith("// my edit\n")
    assert kernel.read_text(encoding="utf-8").endswith("// my kernel\n")
    assert (package_dir / "libs").is_dir()
    # The manifest now knows the regenerated file: the next plain run has nothing to refuse.
    again = run(OPGEN, "generate", config, "-o", "out", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "0 created, 0 updated" in again.stdout
