"""Symbolic dims: a named ONNX dim (`dim_param`) flowing through the rules' integer arithmetic.

A :class:`SymDim` is a polynomial with integer coefficients over *atoms*; an atom is a symbol
(`"batch"`) or an operation the polynomial cannot express (`N // 2`, `cdiv(N, 32)`, `max(A, B)`,
`N % 4`). Every operation constant-folds, and the polynomial is kept in one canonical form, so
equal expressions compare equal: ``(N + 1) - 1 == N``, ``N * 2 == N + N``, and an expression
whose symbols cancel is a plain ``int``. That is why the functions here return ``int | SymDim``.

Folding rules beyond the polynomial (each exact for every integer value of the symbols):
``a // c`` and ``cdiv(a, c)`` divide the coefficients when ``c`` divides them all, ``a % c`` is 0
then, ``x // 1 == x``, and ``max``/``min`` fold their constant arguments into one and drop
duplicates. Nothing assumes a symbol is positive, so ``N // N`` stays an expression.

``str()`` gives a dim_param-style text in the rules' own syntax: ``2*N + 1``, ``(H - 3) // 2 + 1``,
``cdiv(M, 32)``, ``max(A, B)``. No numpy here: the evaluator must stay importable without it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

#: Opaque operations and how they print.
_INFIX = {"//": " // ", "%": " % "}


@dataclass(frozen=True)
class _Op:
    """An atom the polynomial cannot express: `fn` applied to `args`."""

    fn: str  # "//" | "%" | "cdiv" | "max" | "min"
    args: tuple[int | SymDim, ...]

    def __str__(self) -> str:
        if self.fn in _INFIX:
            left, right = self.args
            return f"{_operand(left)}{_INFIX[self.fn]}{_operand(right)}"
        return f"{self.fn}({', '.join(str(a) for a in self.args)})"


Atom = str | _Op
Monomial = tuple[Atom, ...]  # sorted by _atom_key; () is the constant term


def _atom_key(atom: Atom) -> tuple[int, str]:
    return (0, atom) if isinstance(atom, str) else (1, str(atom))


def _mono_key(mono: Monomial) -> tuple[int, tuple[tuple[int, str], ...]]:
    return (-len(mono), tuple(_atom_key(a) for a in mono))


@dataclass(frozen=True)
class SymDim:
    """A symbolic dim: ``terms`` maps monomials to non-zero coefficients (canonical order).

    Build one with :meth:`symbol` and combine with ``+ - * // %``, :func:`cdiv`,
    :func:`maximum` and :func:`minimum`; never construct ``terms`` by hand.
    """

    terms: tuple[tuple[Monomial, int], ...]

    @staticmethod
    def symbol(name: str) -> SymDim:
        if not name:
            raise ValueError("a symbolic dim needs a name")
        return SymDim((((name,), 1),))

    # ---- queries -----------------------------------------------------------------------------

    @property
    def constant(self) -> int:
        return dict(self.terms).get((), 0)

    def symbols(self) -> frozenset[str]:
        """Every symbol the expression mentions (inside opaque operations too)."""
        found: set[str] = set()
        for mono, _ in self.terms:
            for atom in mono:
                if isinstance(atom, str):
                    found.add(atom)
                else:
                    for arg in atom.args:
                        if isinstance(arg, SymDim):
                            found |= arg.symbols()
        return frozenset(found)

    # ---- arithmetic --------------------------------------------------------------------------

    def __add__(self, other: int | SymDim) -> int | SymDim:
        return add(self, other)

    def __radd__(self, other: int) -> int | SymDim:
        return add(other, self)

    def __sub__(self, other: int | SymDim) -> int | SymDim:
        return sub(self, other)

    def __rsub__(self, other: int) -> int | SymDim:
        return sub(other, self)

    def __mul__(self, other: int | SymDim) -> int | SymDim:
        return mul(self, other)

    def __rmul__(self, other: int) -> int | SymDim:
        return mul(other, self)

    def __neg__(self) -> int | SymDim:
        return mul(-1, self)

    def __floordiv__(self, other: int | SymDim) -> int | SymDim:
        return floordiv(self, other)

    def __rfloordiv__(self, other: int) -> int | SymDim:
        return floordiv(other, self)

    def __mod__(self, other: int | SymDim) -> int | SymDim:
        return mod(self, other)

    def __rmod__(self, other: int) -> int | SymDim:
        return mod(other, self)

    # ---- text --------------------------------------------------------------------------------

    def __str__(self) -> str:
        text = ""
        for mono, coeff in self.terms:
            magnitude = abs(coeff)
            lone = len(mono) == 1 and magnitude == 1 and (text or coeff > 0)
            body = str(mono[0]) if lone else "*".join(_factor(a) for a in mono)
            if not body:
                piece = str(magnitude)
            elif magnitude == 1:
                piece = body
            else:
                piece = f"{magnitude}*{body}"
            if not text:
                text = piece if coeff > 0 else f"-{piece}"
            else:
                text += f" + {piece}" if coeff > 0 else f" - {piece}"
        return text

    def __repr__(self) -> str:
        return f"SymDim({str(self)!r})"


def _factor(atom: Atom) -> str:
    if isinstance(atom, str):
        return atom
    return f"({atom})" if atom.fn in _INFIX else str(atom)


def _operand(value: int | SymDim) -> str:
    if isinstance(value, int):
        return str(value) if value >= 0 else f"({value})"
    single = len(value.terms) == 1 and value.terms[0][1] == 1 and len(value.terms[0][0]) == 1
    if single and not (isinstance(a := value.terms[0][0][0], _Op) and a.fn in _INFIX):
        return str(value)
    return f"({value})"


# ---- polynomial plumbing ---------------------------------------------------------------------


def _terms(value: int | SymDim) -> dict[Monomial, int]:
    if isinstance(value, SymDim):
        return dict(value.terms)
    return {(): value} if value else {}


def _build(terms: dict[Monomial, int]) -> int | SymDim:
    kept = {m: c for m, c in terms.items() if c}
    if not kept:
        return 0
    if list(kept) == [()]:
        return kept[()]
    return SymDim(tuple(sorted(kept.items(), key=lambda item: _mono_key(item[0]))))


def _atom(op: _Op) -> SymDim:
    return SymDim((((op,), 1),))


def add(a: int | SymDim, b: int | SymDim) -> int | SymDim:
    if isinstance(a, int) and isinstance(b, int):
        return a + b
    terms = _terms(a)
    for mono, coeff in _terms(b).items():
        terms[mono] = terms.get(mono, 0) + coeff
    return _build(terms)


def sub(a: int | SymDim, b: int | SymDim) -> int | SymDim:
    return add(a, mul(-1, b))


def mul(a: int | SymDim, b: int | SymDim) -> int | SymDim:
    if isinstance(a, int) and isinstance(b, int):
        return a * b
    terms: dict[Monomial, int] = {}
    for ma, ca in _terms(a).items():
        for mb, cb in _terms(b).items():
            mono = tuple(sorted(ma + mb, key=_atom_key))
            terms[mono] = terms.get(mono, 0) + ca * cb
    return _build(terms)


def _divides_all(divisor: int, value: SymDim) -> bool:
    return all(coeff % divisor == 0 for _, coeff in value.terms)


def _exact(value: SymDim, divisor: int) -> int | SymDim:
    return _build({m: c // divisor for m, c in value.terms})


def floordiv(a: int | SymDim, b: int | SymDim) -> int | SymDim:
    """Floor division; ZeroDivisionError for a divisor that is the constant 0."""
    if isinstance(b, int):
        if b == 0:
            raise ZeroDivisionError("division by zero")
        if isinstance(a, int):
            return a // b
        if _divides_all(b, a):
            return _exact(a, b)
    return _atom(_Op("//", (a, b)))


def mod(a: int | SymDim, b: int | SymDim) -> int | SymDim:
    """Floor modulo (the sign of the divisor), as Python's ``%``."""
    if isinstance(b, int):
        if b == 0:
            raise ZeroDivisionError("modulo by zero")
        if isinstance(a, int):
            return a % b
        if _divides_all(b, a):
            return 0
    return _atom(_Op("%", (a, b)))


def cdiv(a: int | SymDim, b: int | SymDim) -> int | SymDim:
    """Ceiling division: ``-((-a) // b)``."""
    if isinstance(b, int):
        if b == 0:
            raise ZeroDivisionError("division by zero")
        if isinstance(a, int):
            return -((-a) // b)
        if _divides_all(b, a):
            return _exact(a, b)
    return _atom(_Op("cdiv", (a, b)))


def _extreme(fn: str, values: Iterable[int | SymDim]) -> int | SymDim:
    pick = max if fn == "max" else min
    constants = [v for v in values if isinstance(v, int)]
    symbolic: list[SymDim] = []
    for v in values:
        if isinstance(v, SymDim):
            inner = v.terms[0][0][0] if len(v.terms) == 1 and v.terms[0][1] == 1 else None
            if isinstance(inner, _Op) and inner.fn == fn and len(v.terms[0][0]) == 1:
                args = inner.args  # max(max(a, b), c) == max(a, b, c)
            else:
                args = (v,)
            for arg in args:
                if isinstance(arg, int):
                    constants.append(arg)
                elif arg not in symbolic:
                    symbolic.append(arg)
    if not symbolic:
        return pick(constants)
    args_out: list[int | SymDim] = sorted(symbolic, key=str)
    if constants:
        args_out.append(pick(constants))
    if len(args_out) == 1:
        return args_out[0]
    return _atom(_Op(fn, tuple(args_out)))


def maximum(*values: int | SymDim) -> int | SymDim:
    return _extreme("max", list(values))


def minimum(*values: int | SymDim) -> int | SymDim:
    return _extreme("min", list(values))


def sign_of_difference(a: int | SymDim, b: int | SymDim) -> int | None:
    """-1, 0 or 1 for a < b, a == b, a > b when that is decided whatever the symbols are; else
    None (``N + 1`` vs ``N`` is decided, ``N`` vs ``M`` is not)."""
    diff = sub(a, b)
    if isinstance(diff, int):
        return (diff > 0) - (diff < 0)
    return None


def as_dim(value: int | str | SymDim) -> int | SymDim:
    """A dim from an int, a symbol name (an ONNX dim_param) or a SymDim."""
    if isinstance(value, str):
        return SymDim.symbol(value)
    return value
