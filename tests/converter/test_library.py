"""The built converter library, called as a converter calls it: exported names, the checks
every function runs, failures with a logged reason, user hooks, version-1 and version-2
tensors."""

from __future__ import annotations

import ctypes
import subprocess

import pytest

from tests.converter.harness import (
    BUNDLED,
    F32,
    I8,
    I32,
    U32,
    ConverterLibrary,
    Node,
    build,
)
from tests.converter.test_layout import OPS

INVALID_INFO = 3101  # QNN_OP_PACKAGE_ERROR_INVALID_INFO: counts, ranks
INVALID_ARGUMENT = 3200  # null config, unknown versions, wrong op type
GENERAL = 1100  # a hook not filled in yet


def exported(library: ConverterLibrary) -> set[str]:
    out = subprocess.run(
        ["nm", "-D", "--defined-only", library.lib._name], capture_output=True, text=True
    ).stdout
    return {line.split()[-1] for line in out.splitlines() if line.strip()}


def test_every_op_exports_both_functions_and_both_pointers(cop_library: ConverterLibrary) -> None:
    names = exported(cop_library)
    for op in OPS:
        assert {
            f"{op}ShapeInference",
            f"{op}DataTypeInference",
            f"{op}OutputInfoInferencePtr",
            f"{op}DataTypeInferencePtr",
        } <= names
    assert {"CopRulesConverterLastError", "CopRulesConverterSetLogCallback"} <= names
    assert not [n for n in names if n.startswith("_ZN5opgen")]  # support code stays hidden


def test_the_pointers_point_at_the_functions(cop_library: ConverterLibrary) -> None:
    for op in OPS:
        for pointer, function in (
            (f"{op}OutputInfoInferencePtr", f"{op}ShapeInference"),
            (f"{op}DataTypeInferencePtr", f"{op}DataTypeInference"),
        ):
            target = ctypes.c_void_p.in_dll(cop_library.lib, pointer).value
            assert target == ctypes.cast(getattr(cop_library.lib, function), ctypes.c_void_p).value


def test_a_filled_in_shape_hook_is_called_for_the_unknown_dim(
    cop_library: ConverterLibrary,
) -> None:
    result = cop_library.infer(Node("Nms", [([57, 4], F32)], [2]))
    assert result.code == 0, cop_library.last_error()
    assert result.shapes == ((57, 3),)
    assert result.dtypes == (I32,)


def test_filled_in_shape_and_dtype_hooks(cop_library: ConverterLibrary) -> None:
    result = cop_library.infer(Node("Custom", [([2, 3, 5], F32)], [3]))
    assert result.code == 0, cop_library.last_error()
    assert result.shapes == ((5, 3, 2),)
    assert result.dtypes == (I8,)
    # The pointers reach the same code.
    built = build(Node("Custom", [([7, 1], F32)], [2]), BUNDLED)
    assert cop_library.pointer("CustomOutputInfoInferencePtr")(ctypes.byref(built.config)) == 0
    assert tuple(built.outputs[0].v1.dimensions[i] for i in range(2)) == (1, 7)


def test_a_hook_not_filled_in_fails_and_says_where(
    cop_library: ConverterLibrary, capfd: pytest.CaptureFixture[str]
) -> None:
    result = cop_library.run(Node("Plain", [([1, 2, 3, 4], F32)], [4]), "PlainShapeInference")
    assert result.code == GENERAL
    message = cop_library.last_error()
    assert (
        "Plain: fill in opgen::hooks::Plain::y_shape in ConverterOpPackage/hooks/PlainHooks.cpp"
        in message
    )
    err = capfd.readouterr().err
    assert f"CopRules converter op package: {message}" in err
    assert "the shape hook of output y returned error 1100" in err  # then the rule says so


@pytest.mark.parametrize(
    ("node", "function", "code", "reason"),
    [
        (
            Node("Bcast", [([2, 3], F32)], [2]),
            "BcastShapeInference",
            INVALID_INFO,
            "Bcast: expected 2 input(s), got 1",
        ),
        (
            Node("Bcast", [([2], F32), ([2], F32), ([2], F32)], [1]),
            "BcastDataTypeInference",
            INVALID_INFO,
            "Bcast: expected 2 input(s), got 3",
        ),
        (
            Node("Bcast", [([2], F32), ([2], F32)], [1, 1]),
            "BcastShapeInference",
            INVALID_INFO,
            "Bcast: expected 1 output(s), got 2",
        ),
        (
            Node("Plain", [([2, 3, 4], F32)], [4]),
            "PlainShapeInference",
            INVALID_INFO,
            "Plain: input 0 ('x', tensor in0) has rank 3, declared rank 4",
        ),
        (
            Node("Plain", [([1, 2, 3, 4], F32), ([3, 3], F32)], [4]),
            "PlainShapeInference",
            INVALID_INFO,
            "Plain: input 1 ('bias', tensor in1) has rank 2, declared rank 1",
        ),
        (
            Node("Plain", [([1, 2, 3, 4], F32)], [3]),
            "PlainDataTypeInference",
            INVALID_INFO,
            "Plain: output 0 ('y', tensor out0) has rank 3, declared rank 4",
        ),
        (
            Node("Nms", [([5, 4], F32)], [2], tensor_version=2),
            "NmsShapeInference",
            INVALID_ARGUMENT,
            "Nms: input 0 ('boxes') has tensor version 2, which the headers",
        ),
        (
            Node("Cat", [], [1]),
            "CatShapeInference",
            INVALID_INFO,
            "Cat: expected at least 1 input(s), got 0",
        ),
    ],
    ids=[
        "too-few-inputs",
        "too-many-inputs",
        "too-many-outputs",
        "input-rank",
        "optional-input-rank",
        "output-rank",
        "v2-without-v2-headers",
        "repeated-none",
    ],
)
def test_a_config_that_contradicts_the_declaration_fails_with_a_reason(
    cop_library: ConverterLibrary, node: Node, function: str, code: int, reason: str
) -> None:
    assert cop_library.run(node, function).code == code
    assert reason in cop_library.last_error()


def test_a_null_config_a_wrong_version_or_a_wrong_op_type_fails(
    cop_library: ConverterLibrary,
) -> None:
    shape = cop_library.function("NmsShapeInference")
    assert shape(None) == INVALID_ARGUMENT
    assert "called with a null op config" in cop_library.last_error()
    built = build(Node("Nms", [([5, 4], F32)], [2]), BUNDLED)
    built.config.version = 2
    assert shape(ctypes.byref(built.config)) == INVALID_ARGUMENT
    assert "unsupported op config version 2" in cop_library.last_error()
    other = build(Node("Custom", [([5, 4], F32)], [2]), BUNDLED)
    assert shape(ctypes.byref(other.config)) == INVALID_ARGUMENT
    assert "Nms: called for an op of type 'Custom'" in cop_library.last_error()


def test_messages_go_to_the_log_callback_when_one_is_set(
    cop_library: ConverterLibrary, capfd: pytest.CaptureFixture[str]
) -> None:
    seen: list[tuple[int, str]] = []
    callback_type = ctypes.CFUNCTYPE(
        None, ctypes.c_char_p, ctypes.c_int, ctypes.c_uint64, ctypes.c_void_p
    )

    def on_log(fmt: bytes, level: int, timestamp: int, args: int) -> None:
        seen.append((level, fmt.decode()))

    callback = callback_type(on_log)
    setter = cop_library.lib.CopRulesConverterSetLogCallback
    setter.argtypes = (callback_type, ctypes.c_int)
    setter(callback, 1)
    try:
        capfd.readouterr()
        assert cop_library.run(Node("Bcast", [], [1]), "BcastShapeInference").code == INVALID_INFO
        assert seen == [(1, "%s")]  # the message travels as the va_list's one argument
        assert capfd.readouterr().err == ""
    finally:
        setter(callback_type(), 1)


# ---- version-2 tensors (a clang++ build against headers that declare them) -------------------


def test_version_1_and_version_2_tensors_through_newer_headers(
    cop_library_v2: ConverterLibrary,
) -> None:
    for version in (1, 2):
        result = cop_library_v2.infer(Node("Nms", [([9, 4], F32)], [2], tensor_version=version))
        assert result.code == 0, cop_library_v2.last_error()
        assert result.shapes == ((9, 3),)
        custom = cop_library_v2.infer(
            Node(
                "Custom",
                [
                    ([4, 6], F32),
                ],
                [2],
                tensor_version=version,
            )
        )
        assert custom.code == 0, cop_library_v2.last_error()
        assert custom.shapes == ((6, 4),) and custom.dtypes == (I8,)


def test_newer_headers_still_check_the_declaration(cop_library_v2: ConverterLibrary) -> None:
    node = Node("Plain", [([1, 2, 3], F32)], [4], tensor_version=2)
    assert cop_library_v2.run(node, "PlainShapeInference").code == INVALID_INFO
    assert "has rank 3, declared rank 4" in cop_library_v2.last_error()
    node = Node("TopKRule", [([2, 3], F32)], [2, 2], {"k": (U32, 1)}, tensor_version=3)
    assert cop_library_v2.run(node, "TopKRuleShapeInference").code == INVALID_ARGUMENT
