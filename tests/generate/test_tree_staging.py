"""A first generation builds its new directories whole in the staging and moves each into place
with one rename (opgen/writer/transaction.py); the guarantees stay those of a per-file move:
a run killed after its commit point is completed by recovery, even if a directory it moves into
place has appeared in the meantime (its entries are then merged in)."""

from __future__ import annotations

import json
import signal
from pathlib import Path

from opgen.writer import recover
from opgen.writer.faults import Faults
from tests.generate.txn_harness import (
    counted,
    leftovers,
    ops_config,
    run,
    snapshot,
    write_config,
)

PACKAGE = "Tree"


def _killed_after_commit(tmp: Path) -> tuple[Path, dict[str, bytes | str], list[list[str]]]:
    """A first generation killed just after its commit point: (package, the package a complete
    run writes, the journal's moves)."""
    config = write_config(tmp / "cfg", ops_config(PACKAGE, 5, "new"))
    reference = tmp / "reference"
    _, commit = counted(["-p", config, "-o", reference], tmp / "count")
    out = tmp / "out"
    killed = run("-p", config, "-o", out, fault=f"kill@{commit + 1}")
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    package = out / PACKAGE
    journal = json.loads((package / ".opgen" / "journal.json").read_text())
    return package, snapshot(reference / PACKAGE), journal["moves"]


def test_a_first_generation_moves_each_new_directory_once(tmp_path: Path) -> None:
    package, new, moves = _killed_after_commit(tmp_path)
    targets = [target for _, target in moves]
    top = sorted({rel.split("/")[0] for rel in new if "/" in rel and not rel.startswith(".")})
    assert top and set(top) <= set(targets)  # src/, include/, ...: one move each
    assert not any(target.startswith(tuple(t + "/" for t in top)) for target in targets)
    assert len(moves) < len(new) / 2
    assert snapshot(package) == {}  # killed before any move: nothing of the package yet
    assert recover(package, Faults()) is True
    assert snapshot(package) == new
    assert set(leftovers(package)) <= {".opgen/lock"}


def test_recovery_merges_a_staged_tree_into_a_directory_that_appeared(tmp_path: Path) -> None:
    package, new, _ = _killed_after_commit(tmp_path)
    mine = package / "src" / "ops" / "notes.txt"
    mine.parent.mkdir(parents=True)
    mine.write_text("made while the generation was interrupted\n")
    assert recover(package, Faults()) is True
    assert snapshot(package) == {**new, "src/ops/notes.txt": mine.read_bytes()}
    assert set(leftovers(package)) <= {".opgen/lock"}
