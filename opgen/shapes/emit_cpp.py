"""Shape and dtype rules compiled to C++: one function per op and mode, run by the rule runtime
(templates/common/static/include/opgen/ShapeRules.hpp, which documents the C++ side).

Entry point (used by every backend's Interface and by the converter op package):

    rule_function(op: OpDef, rules: OpRules, mode: Mode) -> RuleFunction | None

- ``Mode.VALIDATE`` gives ``Qnn_ErrorHandle_t opgenValidate<Op>(const Qnn_OpConfig_t& config)``:
  patterns, ``require`` checks, output ranks/dims/dtypes compared with the rules; it never calls
  user code. None when the op has no rules (``rules.has_rules`` is False), so packages whose ops
  have none carry no rule code.
- ``Mode.INFER`` gives ``Qnn_ErrorHandle_t opgenInfer<Op>(const Qnn_OpConfig_t& config,
  unsigned parts)`` (``parts``: ``::opgen::rules::kInferShapes | kInferDtypes``): the same checks,
  then output dims and dtypes written into the config's output tensors; a `?` dim, a `= hook`
  shape, an output without a shape rule, or a `hook` dtype calls the user hook listed in
  ``RuleFunction.hooks``. Never None.

Place ``RuleFunction.hook_declarations`` at global scope (it declares the hooks in
``namespace opgen::hooks::<Op>``) and ``RuleFunction.definition`` anywhere after it, e.g. inside
an anonymous namespace. Both include nothing: the file must include "opgen/ShapeRules.hpp".
Link the package with src/utils/ShapeRules.cpp and OpConfigSupport.cpp and define ``opgen::log``
(every backend's support library does).

Config text reaches C++ only as string literals made by ``opgen.escaping.c_string_literal``;
identifiers come from checked names (op, tensor identifiers) through the functions below.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Mode(enum.Enum):
    VALIDATE = "validate"
    INFER = "infer"


@dataclass(frozen=True)
class HookSpec:
    """A user function the Infer-mode function calls (C++ linkage, declared by opgen)."""

    output: str
    """The XML name of the output."""
    output_index: int
    """Its position among the op's XML outputs."""
    kind: str
    """"shape" or "dtype"."""
    namespace: str
    """``opgen::hooks::<Op>``."""
    function: str
    """The unqualified name: ``<output identifier>_shape`` / ``_dtype``."""
    declaration: str
    """The function's declaration (without namespace), ending in ';'."""
    reason: str
    """Why user code is needed, for the hook file's comments (plain text; escape before writing
    it into a comment: it quotes the rule)."""


@dataclass(frozen=True)
class RuleFunction:
    name: str
    """``opgenValidate<Op>`` or ``opgenInfer<Op>``."""
    mode: Mode
    definition: str
    hook_declarations: str
    """Empty in VALIDATE mode and when no hook is needed."""
    hooks: tuple[HookSpec, ...]


SHAPE_HOOK_SIGNATURE = (
    "Qnn_ErrorHandle_t {name}(const Qnn_OpConfig_t& config, uint32_t outputIndex, "
    "uint32_t rank, uint32_t* dims, const bool* known)"
)
DTYPE_HOOK_SIGNATURE = (
    "Qnn_ErrorHandle_t {name}(const Qnn_OpConfig_t& config, uint32_t outputIndex, "
    "Qnn_DataType_t* dataType)"
)


def function_name(op: str, mode: Mode) -> str:
    """The generated rule function of an op (op names are checked identifiers)."""
    return f"opgen{'Validate' if mode is Mode.VALIDATE else 'Infer'}{op}"


def hook_namespace(op: str) -> str:
    return f"opgen::hooks::{op}"


def shape_hook_name(output_identifier: str) -> str:
    return f"{output_identifier}_shape"


def dtype_hook_name(output_identifier: str) -> str:
    return f"{output_identifier}_dtype"
