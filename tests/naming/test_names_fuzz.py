"""Property: `opgen validate` accepting a config means its CPU package builds.

Hypothesis draws a package of many ops whose names, tensors, parameters and enumeration labels
are glued from fragments that collide after mangling (`A` + `Num`, `param_` + `p`, `a_b`/`aB`),
spell macros or standard names, or differ only in case. Ops that the check refuses are dropped
(each refusal must be a clean diagnostic inside the config) until the package is accepted; then
it is generated and built once with g++ -Werror. One package per example; CI runs one example
(OPGEN_NAME_FUZZ_EXAMPLES raises it).
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opgen.config import Level, validate_configs
from opgen.generate import generate
from tests import factories as f
from tests.conftest import build_package

EXAMPLES = int(os.environ.get("OPGEN_NAME_FUZZ_EXAMPLES", "1"))
FRAGMENTS = [
    *("A", "a", "B", "b", "x", "y", "z", "X", "N", "_", "__", "E", "k", "p"),
    *("Num", "Params", "Inputs", "Outputs", "param_", "Enum", "Impl", "Source", "_types"),
    *("create", "validate", "Op", "NULL", "EOF", "Null", "std", "uint32_t", "size_t", "index"),
    *("in", "out", "execute", "opgen", "kPackageName", "INT32_MAX", "assert", "errno", "M_PI"),
]
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")

names = (
    st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=3)
    .map("".join)
    .filter(lambda n: _IDENT.match(n) is not None)
)
labels = st.lists(st.sampled_from([*FRAGMENTS, "a b", "1x", "int"]), min_size=1, max_size=3)


@st.composite
def op_specs(draw: st.DrawFn) -> str:
    inputs = draw(st.lists(names, min_size=1, max_size=2, unique=True))
    params = []
    for pname in draw(st.lists(names, max_size=3, unique=True)):
        if draw(st.booleans()):
            params.append(
                f.param(
                    pname, "QNN_DATATYPE_UINT_32", mandatory=False, default="0", enum=draw(labels)
                )
            )
        else:
            params.append(f.param(pname, "QNN_DATATYPE_INT_32", mandatory=False, default="N-1"))
    return f.op(
        draw(names),
        inputs=[f.tensor("Input", n) for n in inputs],
        outputs=[f.tensor("Output", draw(names))],
        params=params,
    )


@dataclass
class Outcome:
    tried: int
    rejected: int
    accepted: list[str]


def settle(package: str, ops: list[str], directory: Path) -> Outcome:
    """Drop refused ops until the package is accepted; every refusal must be a clean diagnostic."""
    tried = len(ops)
    for _ in range(len(ops) + 1):
        text = f.config(package, ops)
        path = f.write(directory, "fuzz.xml", text)
        result = validate_configs([path])
        errors = [d for d in result.diagnostics if d.level is Level.ERROR]
        if not errors:
            return Outcome(tried, tried - len(ops), ops)
        lines = text.splitlines()
        starts = [i + 1 for i, line in enumerate(lines) if line == "<OpDef>"]
        ends = [i + 1 for i, line in enumerate(lines) if line == "</OpDef>"]
        bad = set()
        for d in errors:
            assert d.file == path and 1 <= d.line <= len(lines), d.format()
            hit = [k for k, (s, e) in enumerate(zip(starts, ends, strict=True)) if s <= d.line <= e]
            assert hit, f"an error outside every op: {d.format()}"
            bad.add(hit[0])
        ops = [op for k, op in enumerate(ops) if k not in bad]
        if not ops:
            return Outcome(tried, tried, [])
    raise AssertionError("refusals did not settle")


@settings(
    max_examples=EXAMPLES + 1,  # Hypothesis tries the (cheap) simplest example first
    deadline=None,
    derandomize=EXAMPLES == 1,  # CI: the same sample every run
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(op_specs(), min_size=12, max_size=30))
def test_accepted_means_builds(ops: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        outcome = settle("FuzzPkg", ops, directory)
        if not outcome.accepted:
            return
        (package,) = validate_configs([directory / "fuzz.xml"]).packages
        generate([package], directory / "out")
        build_package(directory / "out" / "FuzzPkg", "cpu_x86", "g++")
