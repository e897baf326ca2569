"""The <Default> grammar, value by value."""

from __future__ import annotations

import pytest

from opgen.config.defaults import DefaultSyntaxError, parse_default
from opgen.model import FillDefault, ListDefault, RankExpr, ScalarDefault


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1", 1),
        ("-1", -1),
        (" +7 ", 7),
        ("1.5", 1.5),
        ("1e-05", 1e-05),
        ("-.5", -0.5),
        ("true", True),
        ("FALSE", False),
        ("True", True),
    ],
)
def test_scalars(text: str, value: object) -> None:
    parsed = parse_default(text).value
    assert parsed == ScalarDefault(value)  # type: ignore[arg-type]
    assert type(parsed.value) is type(value)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "coeff", "offset"),
    [("N", 1, 0), ("N-1", 1, -1), ("N - 2", 1, -2), ("-N", -1, 0), ("2*N+1", 2, 1), ("1+N", 1, 1)],
)
def test_rank_expressions(text: str, coeff: int, offset: int) -> None:
    parsed = parse_default(text).value
    assert parsed == ScalarDefault(RankExpr(coeff, offset))
    assert RankExpr(coeff, offset).evaluate(4) == coeff * 4 + offset


def test_rank_expression_prints_back() -> None:
    assert str(RankExpr(1, -1)) == "N-1"
    assert str(RankExpr(-1, 0)) == "-N"
    assert str(RankExpr(2, 3)) == "2*N+3"


def test_lists_and_nesting() -> None:
    parsed = parse_default("{1, 2}").value
    assert parsed == ListDefault((1, 2))
    nested = parse_default("[[0, 0], [0, 0.5]]").value
    assert isinstance(nested, ListDefault)
    assert nested.depth == 2
    assert nested.leaves() == [0, 0, 0, 0.5]
    assert parse_default("{}").value == ListDefault(())
    assert parse_default("{N-1, 0}").value == ListDefault((RankExpr(1, -1), 0))


@pytest.mark.parametrize("text", ["{0,..,0}", "{0, .., 0}", "[1.5,...,1.5]"])
def test_fill_patterns(text: str) -> None:
    value = parse_default(text).value
    assert isinstance(value, FillDefault)
    assert value.value in (0, 1.5)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("abc", "'abc' is not a number"),
        ("{1, 2", "unterminated"),
        ("{1 2}", "not a number"),
        ("{1, 2} x", "unexpected text after the list"),
        ("{0,..,1}", "must repeat one number"),
        ("N*N", "not a number"),
        ("1..2", "not a number"),
        ("nan", "not a number"),
    ],
)
def test_rejected(text: str, reason: str) -> None:
    with pytest.raises(DefaultSyntaxError, match=reason):
        parse_default(text)
