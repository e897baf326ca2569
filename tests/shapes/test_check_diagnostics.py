"""Every config-time rule diagnostic, at the exact line and column of its text, with its hint."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from opgen.config import Level
from tests.shapes.rule_configs import config, inp, locate, op, out, param, validate

I32, F32, BOOL = "QNN_DATATYPE_INT_32", "QNN_DATATYPE_FLOAT_32", "QNN_DATATYPE_BOOL_8"


@dataclass(frozen=True)
class Case:
    id: str
    tensors: tuple[str, ...]
    needle: str
    """The rule text as written; the diagnostic's column is its start plus `offset`."""
    offset: int
    message: str
    hint: str | None = None


X = inp("x")
CASES = [
    Case(
        "syntax",
        (X, out("y", "= lik(in[0])")),
        "= lik(in[0])",
        2,
        "op 'Op', output 'y': unknown shape function 'lik'",
        "did you mean like?",
    ),
    Case(
        "unknown_name",
        (X, out("y", "= [M, 2]")),
        "= [M, 2]",
        3,
        "op 'Op', output 'y': unknown name 'M'",
        "bind dim names with a pattern on an input, e.g. <Text>= [B, M, K]</Text>",
    ),
    Case(
        "unknown_name_close_to_a_param",
        (X, out("y", "= with(in[0], axs, 1)"), param("axis")),
        "= with(in[0], axs, 1)",
        14,
        "op 'Op', output 'y': unknown name 'axs'",
        "did you mean axis?",
    ),
    Case(
        "unknown_name_is_a_tensor",
        (X, out("y", "= [x]")),
        "= [x]",
        3,
        "op 'Op', output 'y': unknown name 'x'",
        "'x' is a tensor: write x.shape[i] or rank(x)",
    ),
    Case(
        "wrong_arity",
        (X, out("y", "= with(in[0], -1)"), param("k")),
        "= with(in[0], -1)",
        16,
        "op 'Op', output 'y': expected ',', found ')'",
        "too few arguments to with: with(t, axis, dim)",
    ),
    Case(
        "list_rank_contradicts_declared_rank",
        (X, out("y", "= [1, 2]", rank="3D")),
        "= [1, 2]",
        2,
        "op 'Op', output 'y': the rule gives rank 2, but the output declares Rank 3D",
        "fix the rule or the <Rank>",
    ),
    Case(
        "call_rank_contradicts_declared_rank",
        (inp("x", rank="4D"), out("y", "= insert(x, 0, 1)", rank="4D")),
        "= insert(x, 0, 1)",
        2,
        "op 'Op', output 'y': the rule gives rank 5, but the output declares Rank 4D",
        "fix the rule or the <Rank>",
    ),
    Case(
        "pattern_rank_contradicts_declared_rank",
        (inp("x", "= [B, M, K]", rank="2D"), out("y")),
        "= [B, M, K]",
        2,
        "op 'Op', input 'x': the pattern has 3 dim(s), but the input is rank 2",
        "the input declares Rank 2D",
    ),
    Case(
        "pattern_with_spread_longer_than_rank",
        (inp("x", "= [B..., M, K]", rank="1D"), out("y")),
        "= [B..., M, K]",
        2,
        "op 'Op', input 'x': the pattern needs at least 2 dims, but the input is rank 1",
        "the input declares Rank 1D",
    ),
    Case(
        "rule_on_a_parameter",
        (X, out("y"), param("k", text="= [1]")),
        "= [1]",
        0,
        "op 'Op', parameter 'k': a parameter's <Text> cannot hold a rule (a leading '=' marks a "
        "rule)",
        'describe it in prose, or check its value with a Type="Value" Constraint: '
        "<Code>require ...</Code>",
    ),
    Case(
        "require_in_a_datatype_constraint",
        (X, out("y", constraints=[(3, "Datatype", "odd", "require rank(in[0]) == 2")])),
        "require rank(in[0]) == 2",
        0,
        "op 'Op', output 'y': a require check cannot stand in a Type=\"Datatype\" Constraint",
        'use Type="Shape" or Type="Value"',
    ),
    Case(
        "require_in_a_number_constraint",
        (X, out("y", constraints=[(3, "Number", "odd", "require rank(in[0]) == 2")])),
        "require rank(in[0]) == 2",
        0,
        "op 'Op', output 'y': a require check cannot stand in a Type=\"Number\" Constraint",
        'use Type="Shape" or Type="Value"',
    ),
    Case(
        "shape_rule_in_a_shape_constraint",
        (X, out("y", constraints=[(3, "Shape", "like x", "= like(in[0])")])),
        "= like(in[0])",
        0,
        "op 'Op', output 'y': an '=' rule cannot stand in a Type=\"Shape\" Constraint",
        'a dtype rule is a Type="Datatype" Constraint on an output; a shape rule is the '
        "output's <Shape><Text>",
    ),
    Case(
        "dtype_rule_on_an_input",
        (inp("x", constraints=[(3, "Datatype", "int", f"= {I32}")]), out("y")),
        f"= {I32}",
        0,
        "op 'Op', input 'x': a dtype rule belongs on an output",
        "an input's or parameter's datatypes are its <Datatype> list",
    ),
    Case(
        "dtype_not_declared",
        (
            X,
            out(
                "y",
                datatypes=(F32, I32),
                constraints=[(3, "Datatype", "i8", "= QNN_DATATYPE_INT_8")],
            ),
        ),
        "= QNN_DATATYPE_INT_8",
        2,
        "op 'Op', output 'y': QNN_DATATYPE_INT_8 is not among the output's datatypes",
        f"declared: {F32}, {I32}",
    ),
    Case(
        "dtype_like_shares_nothing",
        (
            inp("x", datatypes=(F32,)),
            out(
                "y",
                datatypes=(I32, "QNN_DATATYPE_INT_8"),
                constraints=[(3, "Datatype", "as x", "= like(x)")],
            ),
        ),
        "= like(x)",
        2,
        "op 'Op', output 'y': input 'x' and the output share no datatype",
    ),
    Case(
        "two_dtype_rules",
        (
            X,
            out(
                "y",
                constraints=[(3, "Datatype", "a", "= like(in[0])"), (4, "Datatype", "b", "= hook")],
            ),
        ),
        "= hook",
        0,
        "op 'Op', output 'y': a second dtype rule (Constraint 4); Constraint 3 already gives one",
    ),
    Case(
        "no_prose_before_code",
        (X, out("y", constraints=[(3, "Shape", "", "require rank(in[0]) == 2")])),
        "require rank(in[0]) == 2",
        0,
        "op 'Op', output 'y': a Constraint with a rule needs prose before <Code>",
        "the vendor translator fails on a Constraint with no text; say what the rule checks",
    ),
    Case(
        "input_out_of_range",
        (X, out("y", "= like(in[2])")),
        "= like(in[2])",
        7,
        "op 'Op', output 'y': in[2] is out of range: op 'Op' declares 1 input(s)",
    ),
    Case(
        "output_in_a_shape_rule",
        (X, out("y", "= like(out[0])")),
        "= like(out[0])",
        7,
        "op 'Op', output 'y': out[0]: a shape or dtype rule reads inputs and parameters, not "
        "outputs",
    ),
    Case(
        "input_after_repeated_by_position",
        (inp("xs", repeated=True), inp("bias"), out("y", "= like(in[1])")),
        "= like(in[1])",
        7,
        "op 'Op', output 'y': in[1] comes after Repeated input 'xs', whose copies move it",
        "write bias.shape[...] / like(bias), or in[-1]",
    ),
    Case(
        "repeated_named_among_others",
        (inp("xs", repeated=True), inp("bias"), out("y", "= concat(0, xs)")),
        "= concat(0, xs)",
        12,
        "op 'Op', output 'y': 'xs' is Repeated among other inputs: a list cannot name all its "
        "copies",
        "in[*] stands for every input",
    ),
    Case(
        "unknown_tensor",
        (inp("input"), out("y", "= like(inptu)")),
        "= like(inptu)",
        7,
        "op 'Op', output 'y': unknown tensor 'inptu'",
        "did you mean input?",
    ),
    Case(
        "param_as_tensor",
        (X, out("y", "= like(k)"), param("k")),
        "= like(k)",
        7,
        "op 'Op', output 'y': 'k' is a parameter, not an input or output",
    ),
    Case(
        "tensor_param_as_scalar",
        (X, out("y", "= [axes]"), param("axes", rank="1D")),
        "= [axes]",
        3,
        "op 'Op', output 'y': 'axes' is a tensor parameter, not a number",
        "write axes[i] for an element or len(axes) for its size",
    ),
    Case(
        "scalar_param_as_tensor",
        (X, out("y", "= reduce(in[0], k, false)"), param("k")),
        "= reduce(in[0], k, false)",
        16,
        "op 'Op', output 'y': 'k' is a scalar parameter, not a tensor",
        "use k itself as a number",
    ),
    Case(
        "float_tensor_param_as_axes",
        (X, out("y", "= permute(in[0], perm)"), param("perm", F32, rank="1D")),
        "= permute(in[0], perm)",
        17,
        "op 'Op', output 'y': 'perm' holds no integers (its datatypes are not integer types)",
    ),
    Case(
        "param_element_subscripts",
        (X, out("y", "= [pads[0]]"), param("pads", rank="2D")),
        "= [pads[0]]",
        3,
        "op 'Op', output 'y': 'pads' is 2D: index it with 2 subscript(s), not 1",
    ),
    Case(
        "bool_param_as_number",
        (X, out("y", "= with(in[0], 0, keep)"), param("keep", BOOL)),
        "= with(in[0], 0, keep)",
        17,
        "op 'Op', output 'y': 'keep' is a boolean parameter, not a number",
        "use it as a condition: select(keep, a, b)",
    ),
    Case(
        "number_as_condition",
        (X, out("y", "= reduce(in[0], [0], k)"), param("k")),
        "= reduce(in[0], [0], k)",
        21,
        "op 'Op', output 'y': 'k' is a number, not a condition",
        "compare it, e.g. k != 0",
    ),
    Case(
        "unknown_condition",
        (X, out("y", "= reduce(in[0], [0], kep)"), param("keep", BOOL)),
        "= reduce(in[0], [0], kep)",
        21,
        "op 'Op', output 'y': unknown condition 'kep'",
        "did you mean keep?",
    ),
    Case(
        "dim_index_out_of_range",
        (inp("x", rank="2D"), out("y", "= [in[0].shape[2]]")),
        "= [in[0].shape[2]]",
        15,
        "op 'Op', output 'y': in[0].shape[2] is out of range for a rank-2 tensor",
    ),
    Case(
        "name_bound_as_dim_and_spread",
        (inp("x", "= [B..., B]"), out("y")),
        "= [B..., B]",
        9,
        "op 'Op', input 'x': 'B' is bound both as one dim and as a list of dims (B...)",
        "use two names",
    ),
    Case(
        "name_bound_as_spread_then_dim",
        (inp("a", "= [B..., M]"), inp("b", "= [B, M]"), out("y")),
        "= [B, M]",
        3,
        "op 'Op', input 'b': 'B' is bound as one dim here but as a list of dims by input 'a'",
        "use two names",
    ),
    Case(
        "spread_of_a_dim",
        (inp("x", "= [M, K]"), out("y", "= [M...]")),
        "= [M...]",
        3,
        "op 'Op', output 'y': 'M' is one dim, not a list",
        "write M",
    ),
    Case(
        "spread_used_as_a_dim",
        (inp("x", "= [B..., K]"), out("y", "= [B, K]")),
        "= [B, K]",
        3,
        "op 'Op', output 'y': 'B' is a list of dims (bound by B... in a pattern), not one dim",
        "write B... inside a list",
    ),
    Case(
        "unknown_spread",
        (X, out("y", "= [B..., 1]")),
        "= [B..., 1]",
        3,
        "op 'Op', output 'y': unknown list of dims 'B...'",
        "bind it in an input's pattern, e.g. = [B..., M, K]",
    ),
    Case(
        "require_syntax",
        (X, out("y"), param("k", constraints=[(9, "Value", "small", "require k = 1")])),
        "require k = 1",
        10,
        "op 'Op', parameter 'k': expected ';' or the end of the rule, found '='",
        "write '==' to compare",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_rule_diagnostic(case: Case, tmp_path: Path) -> None:
    text = config(op("Op", *case.tensors))
    result = validate(tmp_path, text)
    errors = [d for d in result.diagnostics if d.level is Level.ERROR]
    line, column = locate(text, case.needle)
    got = [(d.line, d.column, d.message, d.hint) for d in errors]
    assert got == [(line, column + case.offset, case.message, case.hint)]
    assert not result.ok


def test_text_with_an_entity_reports_at_its_start(tmp_path: Path) -> None:
    """`&lt;` shifts columns: the diagnostic points at the text's first character instead."""
    text = config(
        op("Op", X, out("y"), param("k", constraints=[(9, "Value", "small", "require k &lt; kk")]))
    )
    result = validate(tmp_path, text)
    (d,) = result.diagnostics
    assert (d.line, d.column) == locate(text, "require k &lt;")
    assert d.message == "op 'Op', parameter 'k': unknown name 'kk'"


def test_every_diagnostic_of_an_op_is_reported(tmp_path: Path) -> None:
    text = config(
        op(
            "Op",
            inp("x", "= [M, K"),
            out("y", "= [Q]"),
            out("z", "= like(in[3])"),
            param("k", constraints=[(9, "Value", "small", "require q == 1")]),
        )
    )
    result = validate(tmp_path, text)
    assert [d.message.split(": ", 1)[1] for d in result.diagnostics] == [
        "expected ',' or ']', found the end of the rule",
        "unknown name 'Q'",
        "in[3] is out of range: op 'Op' declares 1 input(s)",
        "unknown name 'q'",
    ]
