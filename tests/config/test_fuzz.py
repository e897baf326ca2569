"""Mutation fuzzing of valid configs: every mutant gives diagnostics or success, never a crash."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import opgen
from opgen.config import Level

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
