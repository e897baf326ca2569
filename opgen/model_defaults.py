"""Default values of parameters: the value types a `<Default>` parses into, and their JSON.

A default is a scalar (`bool`, `int`, `float`, or a `RankExpr` such as `N-1`), a nested list of
those (`ListDefault`), or a fill `{v,..,v}` whose length the node decides (`FillDefault`).
`value_json` gives the form `opgen validate --json` prints. `opgen.model.Default` pairs one of
these with the text and location it was written at; every name here is re-exported by
`opgen.model`.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "DefaultValue",
    "Element",
    "FillDefault",
    "ListDefault",
    "Nested",
    "RankExpr",
    "Scalar",
    "ScalarDefault",
    "value_json",
]

Scalar = bool | int | float


@dataclass(frozen=True)
class RankExpr:
    """A symbolic integer `coeff*N + offset`, N being the rank of the op's first input.

    The vendor's examples write `N-1` for "the last axis"; it means `evaluate(rank)`.
    """

    coeff: int
    offset: int

    def evaluate(self, rank: int) -> int:
        return self.coeff * rank + self.offset

    def __str__(self) -> str:
        head = {0: "", 1: "N", -1: "-N"}.get(self.coeff, f"{self.coeff}*N")
        if not head:
            return str(self.offset)
        if self.offset == 0:
            return head
        return f"{head}{self.offset:+d}"


Element = Scalar | RankExpr
Nested = Element | tuple["Nested", ...]


@dataclass(frozen=True)
class ScalarDefault:
    value: Element


@dataclass(frozen=True)
class ListDefault:
    """A nested list default, `{1, 2}` or `[[0, 0], [0, 0]]`."""

    values: tuple[Nested, ...]

    @property
    def depth(self) -> int:
        def depth_of(item: Nested) -> int:
            if isinstance(item, tuple):
                return 1 + max((depth_of(i) for i in item), default=0)
            return 0

        return depth_of(self.values)

    def leaves(self) -> list[Element]:
        out: list[Element] = []

        def walk(item: Nested) -> None:
            if isinstance(item, tuple):
                for child in item:
                    walk(child)
            else:
                out.append(item)

        walk(self.values)
        return out


@dataclass(frozen=True)
class FillDefault:
    """`{v,..,v}`: a tensor whose every element is `value`; its length is decided by the node."""

    value: Scalar


DefaultValue = ScalarDefault | ListDefault | FillDefault


def value_json(v: DefaultValue) -> object:
    """A default value as JSON: a scalar, a nested list, `{"fill": v}` or `{"rank_expr": "N-1"}`."""
    if isinstance(v, ScalarDefault):
        return _element_json(v.value)
    if isinstance(v, FillDefault):
        return {"fill": v.value}
    return _nested_json(v.values)


def _element_json(e: Element) -> object:
    return {"rank_expr": str(e)} if isinstance(e, RankExpr) else e


def _nested_json(n: Nested) -> object:
    if isinstance(n, tuple):
        return [_nested_json(i) for i in n]
    return _element_json(n)
