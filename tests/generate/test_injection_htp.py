"""The hostile-text property of tests/generate/test_injection.py, for HTP and HTP_FP16 packages.

The same configs (hostile text in every free-text field and in the file name) with HTP as the
backend: each package has the files and line counts of its plain baseline, differing only inside
comments and string literals; one of them builds with `make htp_x86` (g++, warnings as errors),
loads through the runtime, cleans, and runs nothing.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from tests.generate.htp_harness import X86_LIB_DIR, build_htp
from tests.generate.test_injection import (
    FUZZ_CONFIGS,
    FUZZ_SEED,
    OPS_PER_CONFIG,
    assert_nothing_ran,
    assert_same_skeleton,
    config_xml,
    generate_cli,
    hostile_file_name,
    rendered,
    run,
    seeds,
    write_config,
)


@pytest.mark.parametrize("backend", ["HTP", "HTP_FP16"])
def test_hostile_text_changes_only_comments_and_literals(backend: str, tmp_path: Path) -> None:
    tried = 0
    for seed in seeds(FUZZ_CONFIGS):
        name = hostile_file_name(random.Random(-seed - 1))
        config = write_config(tmp_path / f"h{seed}", name, config_xml(seed, backend, plain=False))
        baseline = write_config(
            tmp_path / f"p{seed}", b"plain.xml", config_xml(seed, backend, True)
        )
        where = f"seed {seed} ({backend}, OPGEN_FUZZ_SEED={FUZZ_SEED})"
        hostile, plain = rendered(config, tmp_path), rendered(baseline, tmp_path)
        assert len([p for p in hostile if p.startswith("src/ops/")]) == OPS_PER_CONFIG, where
        assert_same_skeleton(hostile, plain, where)
        tried += 1
    assert tried == FUZZ_CONFIGS


def test_hostile_htp_package_builds_cleans_and_loads(tmp_path: Path) -> None:
    seed = FUZZ_SEED
    name = hostile_file_name(random.Random(-seed - 1))
    config = write_config(tmp_path / "cfg", name, config_xml(seed, "HTP", plain=False))
    out = tmp_path / "out"
    out.mkdir()
    package = generate_cli(config, out)
    assert (package / "Makefile").read_text(encoding="utf-8").startswith("# opgen-owned file")
    library = build_htp(package, "g++")
    assert_nothing_ran(tmp_path)
    info = run([sys.executable, "-m", "opgen", "info", f"{library}::HTP"], cwd=tmp_path)
    assert info.returncode == 0, info.stderr
    assert all(f"Op{i}" in info.stdout for i in range(OPS_PER_CONFIG)), info.stdout
    assert_nothing_ran(tmp_path)
    clean = run(["make", "clean"], cwd=package)
    assert clean.returncode == 0, clean.stderr
    assert not (package / X86_LIB_DIR).exists()
    assert_nothing_ran(tmp_path)
