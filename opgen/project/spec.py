"""What a new project is made of, checked before anything is written.

Every name that reaches the config, the Makefile, the tests or the reference module is checked here
by opgen's own naming rules (opgen/naming.py), the ones the config loader applies: a name the
loader would refuse is refused here first, with the option it came from.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from opgen import naming
from opgen.model_enums import Backend


class StarterShape(enum.Enum):
    """The starter op each `--op` gets: its tensors, params, shape rules and reference."""

    ELEMENTWISE = "elementwise"
    """out[0] = in[0] * gain: one FLOAT_32 input of any rank, a FLOAT_32 `gain` param (default
    1.0), the output shaped like the input (`= like(in[0])`)."""
    BINARY = "binary"
    """out[0] = in[0] + in[1], numpy-broadcast (`= broadcast(in[0], in[1])`)."""
    REDUCE = "reduce"
    """out[0] = in[0].sum(axis=-1): the input's pattern `= [B..., K]`, the output `= [B...]`."""

    @property
    def summary(self) -> str:
        return _SUMMARIES[self]


_SUMMARIES = {
    StarterShape.ELEMENTWISE: "out = in * gain, shaped like the input",
    StarterShape.BINARY: "out = a + b, numpy broadcasting",
    StarterShape.REDUCE: "out = in.sum(axis=-1), the last dim removed",
}

#: Backends a project can target: those opgen generates, builds for the host and tests there.
PROJECT_BACKENDS = (Backend.CPU, Backend.GPU, Backend.HTP, Backend.DSP)
DEFAULT_PACKAGE = "MyOpPackage"
DEFAULT_OP = "MyOp"


@dataclass(frozen=True)
class ProjectSpec:
    package: str
    ops: tuple[str, ...]
    """Starter ops; empty when the config comes from an ONNX model (which names the ops)."""
    backends: tuple[Backend, ...]
    shape: StarterShape
    onnx_ops: tuple[str, ...] = ()
    """Op types to draft from the model (empty: every custom node)."""


class SpecError(Exception):
    """The options cannot make a project; `messages` says every reason."""

    def __init__(self, messages: Sequence[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = tuple(messages)


def split_names(values: Sequence[str]) -> list[str]:
    """`--op A --op B,C` and a prompt's `A, B C` alike: names separated by commas or spaces."""
    return [name for value in values for name in value.replace(",", " ").split()]


def make_spec(
    package: str,
    ops: Sequence[str],
    backends: Sequence[str],
    shape: str,
    *,
    from_onnx: bool = False,
) -> ProjectSpec:
    """A checked spec, or :class:`SpecError` naming every bad option value."""
    problems: list[str] = []
    problem = naming.package_name_problem(package)
    if problem is None:
        problem = naming.file_name_problem(naming.package_file_names(package))
    if problem is not None:
        problems.append(f"--package '{package}': the package name {problem}")
    chosen: list[Backend] = []
    for text in backends:
        backend = next((b for b in PROJECT_BACKENDS if b.value == text.upper()), None)
        if backend is None:
            known = ", ".join(b.value for b in PROJECT_BACKENDS)
            problems.append(f"--backend '{text}': not a backend a project can target ({known})")
        elif backend in chosen:
            problems.append(f"--backend '{text}': given twice")
        else:
            chosen.append(backend)
    if not backends:
        problems.append("--backend: name at least one backend")
    starter = next((s for s in StarterShape if s.value == shape), None)
    if starter is None:
        known = ", ".join(s.value for s in StarterShape)
        problems.append(f"--shape '{shape}': not a starter shape ({known})")
    seen: dict[str, str] = {}
    names = tuple(ops)
    for op in () if from_onnx else names:  # model op types: the draft makes them names
        problem = naming.identifier_problem(op)
        if problem is None:
            problem = naming.file_name_problem(
                naming.op_file_names(op, tuple(b.value for b in chosen))
            )
        if problem is None and op == package:
            problem = "is the package's name too (the package is a C++ namespace)"
        if problem is None and op.lower() in seen:
            # Converters match op types case-insensitively, and so may a file system.
            problem = f"is given twice (as '{seen[op.lower()]}'; op names ignore case)"
        if problem is not None:
            problems.append(f"--op '{op}': the op name {problem}")
        seen.setdefault(op.lower(), op)
    if not names and not from_onnx:
        problems.append("--op: name at least one op")
    if problems:
        raise SpecError(problems)
    assert starter is not None
    if from_onnx:
        return ProjectSpec(package, (), tuple(chosen), starter, onnx_ops=names)
    return ProjectSpec(package, names, tuple(chosen), starter)
