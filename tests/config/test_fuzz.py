"""Mutation fuzzing of valid configs: every mutant gives diagnostics or success, never a crash."""

from __future__ import annotations

import os
from pathlib import Path
from xml.sax.saxutils import escape

from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import opgen
from opgen.cli import opgen_main
from opgen.config import Level
from opgen.model import Datatype
from tests import factories as f

VALID = sorted((Path(__file__).resolve().parents[1] / "configs" / "valid").glob("*.xml"))

# Values that are interesting in some position of a config: other enum values, names with path
# tricks, default syntax edge cases, keywords, markup.
TOKENS = [
    "",
    " ",
    "-1",
    "0",
    "1",
    "300",
    "1e999",
    "1.5",
    "N-1",
    "N*N",
    "{0,..,0}",
    "{0,..,1}",
    "{{1}",
    "[[0,0],[0,0]]",
    "abc",
    "true",
    "yes",
    "QNN_DATATYPE_FLOAT_32",
    "QNN_DATATYPE_BOOL_8",
    "BACKEND_SPECIFIC",
    "SCALAR",
    "ND",
    "6D",
    "CPU",
    "GPU",
    "HTP",
    "cpu",
    "../../x",
    "int",
    "in[0]",
    "out[0]",
    "a/b",
    "&amp;",
    "<",
    "]]>",
    "\u00e9",
    "\x00",
    # defaults that once ended in an internal error or a silently changed value
    "9" * 5000,
    "{" * 5000,
    "99999999999999999999*N",
    "-N-1",
    "1e-400",
    "65520",
    "4294967296",
    str(10**30),
]


def mutate(text: str, ops: list[tuple[int, int, int]]) -> str:
    lines = text.splitlines(keepends=True)
    for kind, a, b in ops:
        if not lines:
            break
        i, j = a % len(lines), b % len(lines)
        if kind == 0:  # delete a line
            del lines[i]
        elif kind == 1:  # duplicate a line
            lines.insert(j, lines[i])
        elif kind == 2:  # swap two lines
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == 3:  # replace the text between the first '>' and the next '<' of a line
            line = lines[i]
            start, end = line.find(">"), line.find("<", line.find(">") + 1)
            if 0 <= start < end:
                lines[i] = line[: start + 1] + TOKENS[b % len(TOKENS)] + line[end:]
        elif kind == 4:  # replace an attribute value
            line = lines[i]
            start = line.find('="')
            end = line.find('"', start + 2)
            if 0 <= start < end:
                lines[i] = line[: start + 2] + TOKENS[b % len(TOKENS)] + line[end:]
        else:  # truncate the file
            lines = lines[:i]
    return "".join(lines)


@settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    source=st.sampled_from(VALID),
    ops=st.lists(
        st.tuples(st.integers(0, 5), st.integers(0, 10_000), st.integers(0, 10_000)),
        min_size=1,
        max_size=4,
    ),
)
def test_mutants_give_diagnostics_or_success(
    tmp_path: Path, source: Path, ops: list[tuple[int, int, int]]
) -> None:
    mutant = tmp_path / "mutant.xml"
    mutant.write_text(mutate(source.read_text(encoding="utf-8"), ops), encoding="utf-8")
    result = opgen.validate_configs([mutant])
    if not result.ok:
        errors = [d for d in result.diagnostics if d.level is Level.ERROR]
        assert errors
        for d in errors:
            assert d.file == mutant and d.line >= 1 and d.column >= 1 and d.message
    else:
        assert result.packages


# ---- defaults text, through `opgen validate` and (when accepted) `opgen generate` ------------

# CI runs a bounded sample; OPGEN_FUZZ_EXAMPLES=5000 explores further.
EXAMPLES = int(os.environ.get("OPGEN_FUZZ_EXAMPLES", "200"))
PIECES = [
    *"0123456789+-.eEN*{}[], ",
    ",..,",
    ",...,",
    "true",
    "FALSE",
    "9" * 25,
    "9" * 120,
    "{" * 12,
    "}" * 12,
    "1e38",
    "3.5e38",
    "65504",
    "2147483648",
    "-9223372036854775808",
    "18446744073709551616",
    "1e-46",
    "5e-324",
    "1e309",
    "0x10",
    "\u0661",  # an Arabic-Indic digit: Python's int() would take it
    "\u00a0",
    "\t",
    "\u2028",
]
DATATYPES = [d.value for d in Datatype if d is not Datatype.BACKEND_SPECIFIC]
numbers = st.one_of(
    st.integers(-(2**70), 2**70).map(str),
    st.floats(allow_nan=False).map(repr),
    st.builds(lambda c, o: f"{c}*N{o:+d}", st.integers(-300, 300), st.integers(-(2**64), 2**64)),
    st.sampled_from(["true", "false", "N", "N-1", "-N", "0", "1"]),
)
defaults_text = st.one_of(
    st.lists(st.sampled_from(PIECES), min_size=1, max_size=12).map("".join),
    numbers,
    st.lists(numbers, max_size=5).map(lambda xs: "{" + ", ".join(xs) + "}"),
    st.lists(st.lists(numbers, min_size=1, max_size=3), max_size=3).map(
        lambda rows: "[" + ", ".join("[" + ", ".join(r) + "]" for r in rows) + "]"
    ),
    numbers.map(lambda x: f"{{{x},..,{x}}}"),
)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    default=defaults_text,
    datatypes=st.lists(st.sampled_from(DATATYPES), min_size=1, max_size=2, unique=True),
    rank=st.sampled_from(["SCALAR", "0D", "1D", "2D", "5D", "ND"]),
    input_rank=st.sampled_from(["SCALAR", "1D", "4D", "ND"]),
    enum=st.booleans(),
)
def test_fuzzed_defaults_give_a_diagnostic_or_a_package(
    tmp_path: Path, default: str, datatypes: list[str], rank: str, input_rank: str, enum: bool
) -> None:
    param = f.tensor(
        "Parameter",
        "p",
        datatypes,
        rank,
        mandatory=False,
        default=escape(default),
        enum=["a", "b"] if enum else (),
    )
    op = f.op("Fuzz", inputs=[f.tensor("Input", "in[0]", rank=input_rank)], params=[param])
    config = f.write(tmp_path, "fuzz.xml", f.config("FuzzPkg", [op]))
    runner = CliRunner()
    validated = runner.invoke(opgen_main, ["validate", str(config)])
    assert validated.exit_code in (0, 1), validated.output
    assert "Traceback" not in validated.output and "internal error" not in validated.output
    event("refused" if validated.exit_code else "accepted")
    if validated.exit_code == 1:
        assert f"{config}:" in validated.output and ": error: " in validated.output
        return
    out = tmp_path / "out"
    generated = runner.invoke(opgen_main, ["generate", str(config), "-o", str(out)])
    assert generated.exit_code == 0, generated.output
    assert (out / "FuzzPkg").is_dir()
