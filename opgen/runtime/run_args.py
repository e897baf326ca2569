"""What `opgen run` reads from its command line and its files: parameter values, output specs,
quantization, the .npy inputs, and the .npz it writes. Each refusal is a :class:`BadRequest`,
whose message the command prints as its one ``error:`` line."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from opgen.model import Datatype, OpDef
from opgen.runtime import dtypes, sizing
from opgen.runtime.npyfile import NpyError, load_npy, save_npz
from opgen.runtime.request import check_output_shape, output_names
from opgen.shapes.evaluate import RuleError

#: A Repeated output is numbered on at most this far by --output-spec names.
MAX_REPEATED_OUTPUTS = 1024


class BadRequest(Exception):
    """A command-line request that cannot be run; printed as ``error: <message>``."""


def parse_quant(text: str) -> tuple[str, tuple[float, int]]:
    name, sep, rest = text.partition("=")
    scale_text, comma, offset_text = rest.partition(",")
    if not sep or not comma or not name.strip():
        raise BadRequest(f"--quant '{text}' is not TENSOR=SCALE,OFFSET")
    try:
        scale, offset = float(scale_text), int(offset_text)
    except ValueError:
        raise BadRequest(f"--quant '{text}': SCALE is a number and OFFSET an integer") from None
    return name.strip(), (scale, offset)


#: What --param takes unquoted, besides JSON: an enumeration label.
_BARE_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]{0,255}")


def parse_param(text: str) -> tuple[str, Any]:
    name, sep, raw = text.partition("=")
    if not sep or not name.strip():
        raise BadRequest(f"--param '{text}' is not NAME=JSON")
    try:
        value = json.loads(raw)
    except RecursionError:
        raise BadRequest(f"--param {name}: lists nest too deeply") from None
    except ValueError:
        if not _BARE_WORD.fullmatch(raw):
            raise BadRequest(
                f"--param {name}: '{_shorten(raw)}' is not JSON (a number, boolean, string or "
                "list) nor a bare word such as an enumeration label"
            ) from None
        value = raw  # a bare word, e.g. an enumeration label
    if value is None or isinstance(value, dict):
        raise BadRequest(
            f"--param {name}: {_shorten(raw)} is not a number, boolean, string or list"
        )
    return name.strip(), value


OutputSpec = tuple[tuple[int, ...], Datatype]


def parse_output_spec(text: str) -> tuple[str, OutputSpec]:
    """``NAME=DTYPE:D0,D1,...``; DTYPE a numpy name (``int32``) or a QNN one (``INT_32``,
    ``QNN_DATATYPE_UFIXED_POINT_8``)."""
    name, sep, rest = text.partition("=")
    dtype_text, colon, dims_text = rest.partition(":")
    if not sep or not colon or not name.strip():
        raise BadRequest(f"--output-spec '{_shorten(text)}' is not NAME=DTYPE:D0,D1,...")
    try:
        datatype = dtypes.output_datatype(dtype_text)
        dims = tuple(_dimension(d) for d in dims_text.split(",") if d.strip())
    except ValueError as exc:
        raise BadRequest(f"--output-spec '{_shorten(text)}': {exc}") from None
    storage = dtypes.storage(datatype)
    assert storage is not None  # output_datatype gives datatypes with storage
    problem = check_output_shape(dims, storage)
    if problem is not None:
        raise BadRequest(f"--output-spec '{_shorten(text)}': {problem}")
    return name.strip(), (dims, datatype)


def _dimension(text: str) -> int:
    digits = text.strip()
    if not (digits.isascii() and digits.lstrip("-").isdigit()) or len(digits) > 30:
        raise ValueError(f"dimension '{_shorten(digits)}' is not a whole number below 2**32")
    return int(digits)


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def load_input(path: Path) -> npt.NDArray[Any]:
    try:
        return load_npy(path)
    except NpyError as exc:
        raise BadRequest(f"input '{path}': {exc}") from None
    except OSError as exc:
        raise BadRequest(f"cannot read input '{path}': {exc.strerror or exc}") from None


def output_names_for(declaration: OpDef | None, requested: Sequence[str], op: str) -> list[str]:
    names = output_names(declaration)
    for name in requested:
        if name in names:
            continue
        longer = (
            output_names(declaration, count)
            for count in range(len(names) + 1, len(names) + MAX_REPEATED_OUTPUTS)
        )
        found = next((candidate for candidate in longer if name in candidate), None)
        if found is None:
            raise BadRequest(f"op {op} has no output '{name}' (outputs: {', '.join(names)})")
        names = found
    return names


def outputs_for(
    names: Sequence[str],
    specs: Mapping[str, OutputSpec],
    declaration: OpDef | None,
    inputs: Sequence[npt.NDArray[Any]],
    params: Mapping[str, Any],
    op: str,
) -> list[tuple[tuple[int, ...], Datatype | np.dtype[Any]]]:
    """Each output's shape and datatype: its --output-spec, else what the op's rules give (see
    :mod:`opgen.runtime.sizing`), else (an undeclared op) the first input's."""
    if all(name in specs for name in names):
        return [specs[name] for name in names]
    plans = None
    if declaration is not None and declaration.outputs:
        try:
            plans = sizing.plan_outputs(declaration, inputs, params, names)
        except RuleError as exc:
            raise BadRequest(str(exc)) from None
    if plans is None:  # undeclared, or inputs the package will refuse: like the first input
        if not inputs:
            missing = next(n for n in names if n not in specs)
            raise BadRequest(f"output '{missing}' needs --output-spec (there is no input to copy)")
        return [specs.get(name, (inputs[0].shape, inputs[0].dtype)) for name in names]
    out: list[tuple[tuple[int, ...], Datatype | np.dtype[Any]]] = []
    for name, plan in zip(names, plans, strict=True):
        if name in specs:
            out.append(specs[name])
        elif isinstance(plan, sizing.NeedsSpec):
            raise BadRequest(
                f"output '{name}' of {op} needs --output-spec {name}=DTYPE:D0,D1,...: {plan.reason}"
            )
        else:
            storage = dtypes.storage(plan.datatype)
            assert storage is not None  # a plan has storage
            problem = check_output_shape(plan.shape, storage)
            if problem is not None:
                raise BadRequest(
                    f"output '{name}' of shape {list(plan.shape)} (from its rule): {problem}"
                )
            out.append((plan.shape, plan.datatype))
    return out


def check_output_path(path: Path, names: Sequence[str], what: str) -> None:
    """A ``.npy`` output file holds one array: refuse it, before running, for several."""
    if path.suffix.lower() == ".npy" and len(names) != 1:
        raise BadRequest(
            f"-o {path}: a .npy file holds one array, and {what} has {len(names)} outputs "
            f"({', '.join(names)}); give -o OUT.npz (arrays keyed by output name)"
        )


def save_outputs(path: Path, arrays: dict[str, npt.NDArray[Any]]) -> None:
    """``path`` ending .npy: the one array as .npy; otherwise an .npz keyed by output name
    (whatever the suffix: the name is never changed)."""
    check_output_path(path, list(arrays), "the op")
    try:
        save_npz(path, arrays, npy=path.suffix.lower() == ".npy")
    except NpyError as exc:
        raise BadRequest(f"cannot write '{path}': {exc}") from None
    except OSError as exc:
        raise BadRequest(f"cannot write '{path}': {exc.strerror or exc}") from None
