"""The reserved-name data (opgen/reserved_names.py) matches what the compilers define and declare.

A failure here means a header, template or compiler changed: refresh the data with
`python -m tests.naming.reserved_data` and review the diff.
"""

from __future__ import annotations

import shutil

import pytest

from opgen import naming, reserved_names
from tests.naming import reserved_data

COMPILERS = [c for c in ("g++", "clang++") if shutil.which(c)]


@pytest.mark.parametrize("cxx", COMPILERS)
def test_every_macro_the_compiler_defines_is_reserved(cxx: str) -> None:
    missing = reserved_data.compiler_macros(cxx) - set(reserved_names.macros())
    assert not missing, f"{cxx} defines macros opgen does not reserve: {sorted(missing)[:40]}"


@pytest.mark.skipif(not shutil.which("clang++"), reason="needs clang++ for the AST dump")
def test_global_and_unqualified_names_are_current() -> None:
    globals_ = reserved_data.compiler_globals("clang++")
    assert set(globals_) <= set(reserved_names.globals_())
    assert set(reserved_data.unqualified(globals_)) <= set(reserved_names.unqualified())


def test_the_headers_scanned_include_what_templates_include() -> None:
    headers = reserved_data.headers()
    for expected in (
        "<cstdint>",
        "<vector>",
        "<cassert>",
        '"QnnTypes.h"',
        '"GPU/QnnGpuOpPackage.h"',
        '"DSP/QnnDspOpPackage.h"',
        '"DSP/Udo/UdoImplDsp.h"',
    ):
        assert expected in headers


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("NULL", "is a macro in the C/C++ standard library (<cstddef>)"),
        ("INT32_MAX", "is a macro in the C/C++ standard library (<cstdint>)"),
        ("assert", "is a macro in the C/C++ standard library (<cassert>)"),
        ("errno", "is a macro in the C/C++ standard library (<cerrno>)"),
        ("EOF", "is a macro in the C/C++ standard library (<cstdio>)"),
        ("M_PI", "is a macro in the C/C++ standard library (<cmath>)"),
        ("QNN_SUCCESS", "is a macro in the QNN headers (QnnCommon.h)"),
        ("QNN_API", "is a macro in the package's Makefile (-DQNN_API)"),
        (
            "OPGEN_CPU_OP_SUPPORT_HPP",
            "is reserved for macros opgen generates (starts with 'OPGEN_')",
        ),
        (
            "std",
            "is a name from the C/C++ standard library (<cstddef>) that the generated code uses "
            "unqualified",
        ),
        (
            "uint32_t",
            "is a name from the C/C++ standard library (<cstdint>) that the generated code uses "
            "unqualified",
        ),
        (
            "size_t",
            "is a name from the C/C++ standard library (<cstddef>) that the generated code uses "
            "unqualified",
        ),
        (
            "Qnn_ErrorHandle_t",
            "is a name from the QNN headers (QnnCommon.h) that the generated code uses unqualified",
        ),
        (
            "Udo_ErrorType_t",
            "is a name from the QNN headers (DSP/Udo/UdoBase.h) that the generated code uses "
            "unqualified",
        ),
        ("DSP_ALIGN", "is a macro in the QNN headers (DSP/Udo/UdoFlatten.h)"),
        ("int", "is a C/C++ keyword"),
        (
            "_Foo",
            "is reserved for the C/C++ implementation (starts with '__' or '_' and a capital)",
        ),
        # Case matters, as in C: these are ordinary names.
        ("Null", None),
        ("null", None),
        ("Assert", None),
        ("index", None),
        # Library names the DSP templates spell qualified (::strcmp), or only declare locally.
        ("strcmp", None),
        ("strlcpy", None),
        ("va_list", None),
        ("log", None),
        ("read", None),
        ("opgen", None),
        ("Op", None),
        ("kPackageName", None),
    ],
)
def test_identifier_problem(name: str, problem: str | None) -> None:
    assert naming.identifier_problem(name) == problem


def test_package_name_must_not_be_a_global_name() -> None:
    assert naming.package_name_problem("index") == (
        "is declared at global scope by the C/C++ standard library (<cstring>), where the "
        "package's namespace goes"
    )
    assert naming.package_name_problem("Index") is None


def test_enum_constants_avoid_macros_and_stay_unique() -> None:
    taken: set[str] = set()
    names = [
        naming.enum_constant(label, taken) for label in ("NULL", "e_NULL", "EOF", "a b", "a_b")
    ]
    assert names == ["e_NULL", "e_NULL_2", "e_EOF", "a_b", "a_b_2"]
