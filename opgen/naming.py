"""Every identifier rule in one place: what names in a config may be and what derives from them."""

from __future__ import annotations

import re

# Moved to the escaping layer; re-exported for code that imported it from here.
from opgen.escaping import c_string_literal as c_string_literal

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")

# C and C++ keywords (C11 + C++17, including alternative operator spellings) and names the
# generated code itself would collide with.
RESERVED_WORDS = frozenset(
    """
    alignas alignof and and_eq asm auto bitand bitor bool break case catch char char8_t char16_t
    char32_t class compl concept const consteval constexpr constinit const_cast continue co_await
    co_return co_yield decltype default delete do double dynamic_cast else enum explicit export
    extern false float for friend goto if inline int long mutable namespace new noexcept not
    not_eq nullptr operator or or_eq private protected public register reinterpret_cast requires
    restrict return short signed sizeof static static_assert static_cast struct switch template
    this thread_local throw true try typedef typeid typename union unsigned using virtual void
    volatile wchar_t while xor xor_eq
    _Alignas _Alignof _Atomic _Bool _Complex _Generic _Imaginary _Noreturn _Static_assert
    _Thread_local
    """.split()  # noqa: SIM905 (a word list reads better than 100 quoted strings)
)


def identifier_problem(name: str) -> str | None:
    """Why `name` cannot be a C/C++ identifier, or None if it can."""
    if not name:
        return "is empty"
    if not _IDENTIFIER.match(name):
        return (
            "is not a valid C/C++ identifier (letters, digits and '_', not starting with a digit)"
        )
    if name in RESERVED_WORDS:
        return "is a C/C++ keyword"
    if name.startswith("__") or (name[0] == "_" and name[1:2].isupper()):
        return "is reserved for the C/C++ implementation (starts with '__' or '_' and a capital)"
    return None


def is_identifier(name: str) -> bool:
    return identifier_problem(name) is None


_TENSOR_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\[[0-9]+\])?\Z")


def tensor_name_problem(name: str) -> str | None:
    """Tensor names may carry an index (`in[0]`, `out[1]`); the stem must be an identifier."""
    if not _TENSOR_NAME.match(name):
        return "is not a valid tensor name (an identifier, optionally indexed like 'in[0]')"
    return None


def tensor_identifier(name: str) -> str:
    """The C identifier generated code uses for a tensor: `in[0]` -> `in_0`."""
    return re.sub(r"\[([0-9]+)\]", r"_\1", name)


def enum_constant(label: str, taken: set[str]) -> str:
    """A C identifier for an enumeration label, unique among `taken` (which it extends)."""
    candidate = re.sub(r"[^A-Za-z0-9_]", "_", label) or "value"
    if candidate[0].isdigit():
        candidate = "v" + candidate
    if identifier_problem(candidate):  # a keyword or a reserved spelling
        candidate = "e_" + candidate.lstrip("_")
    base, n = candidate, 2
    while candidate in taken:
        candidate = f"{base}_{n}"
        n += 1
    taken.add(candidate)
    return candidate
