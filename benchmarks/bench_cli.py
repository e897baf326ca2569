"""Benchmark: the installed commands, run as a user runs them, against a floor from the same run.

Run: .venv/bin/python benchmarks/bench_cli.py [--quick] [--reps N] [--sizes 1,10,...] [--bin DIR]
     [--backends CPU,GPU,HTP] [--against SRC]

Each case is a fresh process (`qnn-op-package-generator -p CONFIG -o FRESH_DIR`, `opgen validate
CONFIG`, `opgen --help`) timed from outside; repetitions are interleaved (one round runs every case
once) so a load change on a shared machine hits all cases alike, and each figure is the median.
The floor of a generation case is a Python process that imports what opgen must import (lxml,
jinja2, click) and writes the same bytes to the same paths; the bytes come from one opgen run.
With `--against SRC` (another opgen source tree, e.g. `git worktree add /tmp/old main`), every
opgen case also runs from SRC (through PYTHONPATH, same interpreter and dependencies), in the
same rounds, and the table gains the ratio of the two: before/after figures from one run.
Prints times, per-op costs and ratios; it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import pickle
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

BACKENDS = ("CPU", "GPU", "HTP")
SIZES = (1, 10, 100, 400, 2000)
QUICK_SIZES = (1, 10, 100)
VALIDATE_SIZE = 1000

# The floor: import what generation must import, then write the captured files (same paths).
FLOOR_SCRIPT = """
import pickle, sys, os
import lxml.etree, jinja2, click
files = pickle.load(open(sys.argv[1], "rb"))
out = sys.argv[2]
for rel, data in files:
    path = os.path.join(out, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data)
"""
IMPORTS_ONLY = "import lxml.etree, jinja2, click"


def _tensor(tag: str, name: str, datatype: str, rank: str, extra: str = "") -> str:
    return (
        f"<{tag}><Name>{name}</Name><Mandatory>true</Mandatory><Datatype>{datatype}</Datatype>"
        f"<Shape><Rank>{rank}</Rank></Shape>{extra}</{tag}>"
    )


def config_text(package: str, backend: str, num_ops: int) -> str:
    """A synthetic package: NUM_OPS ops, each with one input, one output and three parameters."""
    ops = []
    for i in range(num_ops):
        ops.append(
            "\n".join(
                [
                    "<OpDef>",
                    f"<Name>Op{i}</Name>",
                    "<Description><Content>benchmark op</Content></Description>",
                    _tensor("Input", "in[0]", "QNN_DATATYPE_FLOAT_32", "ND"),
                    _tensor("Output", "out[0]", "QNN_DATATYPE_FLOAT_32", "ND"),
                    _tensor(
                        "Parameter",
                        "alpha",
                        "QNN_DATATYPE_FLOAT_32",
                        "SCALAR",
                        "<Default>1.0</Default>",
                    ).replace("<Mandatory>true", "<Mandatory>false"),
                    _tensor(
                        "Parameter", "axis", "QNN_DATATYPE_INT_32", "SCALAR", "<Default>0</Default>"
                    ).replace("<Mandatory>true", "<Mandatory>false"),
                    _tensor(
                        "Parameter",
                        "mode",
                        "QNN_DATATYPE_UINT_32",
                        "SCALAR",
                        "<Default>0</Default><Enumeration><Enum>a</Enum><Enum>b</Enum></Enumeration>",
                    ).replace("<Mandatory>true", "<Mandatory>false"),
                    f"<SupportedBackend>{backend}</SupportedBackend>",
                    "</OpDef>",
                ]
            )
        )
    return "\n".join(
        [
            '<?xml version="1.0" encoding="UTF-8"?>',
            f'<OpDefCollection PackageName="{package}" Domain="bench" Version="1.0">',
            "<OpDefList>",
            *ops,
            "</OpDefList>",
            "</OpDefCollection>",
            "",
        ]
    )


@dataclass
class Case:
    label: str
    argv: list[str]
    ops: int = 0
    #: Where a generation case writes; a fresh subdirectory per run.
    output_root: Path | None = None
    floor: Case | None = None
    #: The same case run from another source tree (--against).
    other: Case | None = None
    extra_env: dict[str, str] = field(default_factory=dict)
    times: list[float] = field(default_factory=list)
    runs: int = 0

    def run(self, env: dict[str, str], timed: bool = True) -> None:
        argv = list(self.argv)
        if self.output_root is not None:
            out = self.output_root / f"run{self.runs}"
            argv.append(str(out))
        self.runs += 1
        start = time.perf_counter()
        done = subprocess.run(argv, capture_output=True, check=False, env={**env, **self.extra_env})
        elapsed = time.perf_counter() - start
        if done.returncode != 0:
            raise SystemExit(f"{self.label}: exit {done.returncode}\n{done.stderr.decode()}")
        if timed:
            self.times.append(elapsed)
        if self.output_root is not None:
            shutil.rmtree(self.output_root / f"run{self.runs - 1}")

    @property
    def median(self) -> float:
        return statistics.median(self.times)


def capture(output: Path, dump: Path) -> int:
    """Pickle (relpath, bytes) of every file under OUTPUT; returns the number of files."""
    files = sorted(
        (str(p.relative_to(output)), p.read_bytes()) for p in output.rglob("*") if p.is_file()
    )
    dump.write_bytes(pickle.dumps(files))
    return len(files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1, 10 and 100 ops only")
    parser.add_argument("--reps", type=int, default=5, help="interleaved rounds (default 5)")
    parser.add_argument("--sizes", help="comma-separated op counts (default 1,10,100,400,2000)")
    parser.add_argument("--backends", default=",".join(BACKENDS), help="default CPU,GPU,HTP")
    parser.add_argument(
        "--bin", type=Path, default=Path(sys.executable).parent, help="where the commands live"
    )
    parser.add_argument(
        "--against", type=Path, help="another opgen source tree to time in the same rounds"
    )
    args = parser.parse_args()
    sizes = (
        tuple(int(s) for s in args.sizes.split(","))
        if args.sizes
        else (QUICK_SIZES if args.quick else SIZES)
    )
    backends = tuple(b.strip().upper() for b in args.backends.split(","))
    opgen = str(args.bin / "opgen")
    generator = str(args.bin / "qnn-op-package-generator")
    python = sys.executable

    with tempfile.TemporaryDirectory(prefix="opgen-bench-") as tmp_name:
        tmp = Path(tmp_name)
        # An installed package has its bytecode compiled; so do these runs, even where the
        # environment says PYTHONDONTWRITEBYTECODE (the cache goes to the temp dir, not the tree).
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
        # Compiled templates too (opgen/template_cache.py): filled by the untimed round.
        env["XDG_CACHE_HOME"] = str(tmp / "cache")
        floor_script = tmp / "floor.py"
        floor_script.write_text(FLOOR_SCRIPT, encoding="utf-8")
        cases: list[Case] = [
            Case("python -c pass", [python, "-c", "pass"]),
            Case("python: import lxml, jinja2, click", [python, "-c", IMPORTS_ONLY]),
            Case("opgen --help", [opgen, "--help"]),
        ]
        small = tmp / "validate1.xml"
        small.write_text(config_text("ValidateSmall", "CPU", 1), encoding="utf-8")
        large = tmp / f"validate{VALIDATE_SIZE}.xml"
        large.write_text(config_text("ValidateLarge", "CPU", VALIDATE_SIZE), encoding="utf-8")
        cases.append(Case("opgen validate (1 op)", [opgen, "validate", str(small)], ops=1))
        cases.append(
            Case(
                f"opgen validate ({VALIDATE_SIZE} ops)",
                [opgen, "validate", str(large)],
                ops=VALIDATE_SIZE,
            )
        )
        plain = list(cases)
        generation: list[Case] = []
        for backend in backends:
            for n in sizes:
                name = f"{backend.capitalize()}Bench{n}"
                config = tmp / f"{name}.xml"
                config.write_text(config_text(name, backend, n), encoding="utf-8")
                out_root = tmp / f"out-{name}"
                out_root.mkdir()
                case = Case(
                    f"generate {backend} {n} op(s)",
                    [generator, "-p", str(config), "-o"],
                    ops=n,
                    output_root=out_root,
                )
                # One untimed run to capture the bytes the floor writes.
                first = out_root / "capture"
                subprocess.run([*case.argv, str(first)], check=True, capture_output=True, env=env)
                dump = tmp / f"{name}.pickle"
                count = capture(first, dump)
                shutil.rmtree(first)
                floor_root = tmp / f"floor-{name}"
                floor_root.mkdir()
                case.floor = Case(
                    f"floor {backend} {n} ({count} files)",
                    [python, str(floor_script), str(dump)],
                    ops=n,
                    output_root=floor_root,
                )
                generation.append(case)
        if args.against is not None:
            source = str(args.against.resolve())
            for case in [c for c in plain if c.argv[0] == opgen] + generation:
                other_root = None
                if case.output_root is not None:
                    other_root = case.output_root.with_name(case.output_root.name + "-against")
                    other_root.mkdir()
                case.other = Case(
                    case.label,
                    case.argv,
                    ops=case.ops,
                    output_root=other_root,
                    extra_env={"PYTHONPATH": source},
                )
            cases = [twin for case in plain for twin in (case, case.other) if twin is not None]
        for case in generation:
            cases += [c for c in (case, case.other, case.floor) if c is not None]

        for case in cases:  # an untimed round: bytecode written, files in the page cache
            case.run(env, timed=False)
        for rep in range(args.reps):
            for case in cases:
                case.run(env)
            print(f"round {rep + 1}/{args.reps} done", file=sys.stderr)

    print(f"medians of {args.reps} interleaved runs; load average {os.getloadavg()[0]:.2f}")
    against = args.against is not None
    extra = f" {'against s':>9} {'/against':>8}" if against else ""
    print(f"{'case':40} {'median s':>9} {'ms/op':>8} {'floor s':>8} {'x floor':>8}{extra}")

    def compared(case: Case) -> str:
        if case.other is None:
            return ""
        return f" {case.other.median:9.3f} {case.median / case.other.median:8.2f}"

    for case in plain:
        per_op = f"{case.median / case.ops * 1000:8.2f}" if case.ops else " " * 8
        padding = " " * 18 if case.other is not None else ""
        print(f"{case.label:40} {case.median:9.3f} {per_op}{padding}{compared(case)}")
    for case in generation:
        assert case.floor is not None
        per_op = case.median / case.ops * 1000
        print(
            f"{case.label:40} {case.median:9.3f} {per_op:8.2f} {case.floor.median:8.3f} "
            f"{case.median / case.floor.median:8.2f}{compared(case)}"
        )
    # Marginal cost per op: the slope between the smallest and each larger size, per backend.
    print("marginal ms/op (time(n) - time(smallest)) / (n - smallest):")
    for backend in backends:
        mine = [c for c in generation if c.label.startswith(f"generate {backend} ")]
        if len(mine) < 2:
            continue
        base = mine[0]
        slopes = [
            f"{c.ops}: {(c.median - base.median) / (c.ops - base.ops) * 1000:.2f}" for c in mine[1:]
        ]
        print(f"  {backend}: " + ", ".join(slopes))


if __name__ == "__main__":
    main()
