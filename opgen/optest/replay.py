"""A failing case on disk, and back.

:func:`save_failure` writes ``DIR/<Package>-<TARGET>-<Op>-<index>.npz``: the inputs as the
package got them (``input_0``, ...), the reference's outputs (``expected_0``, ...), the
package's (``got_0``, ...) and ``meta``, a JSON string (op, package, target, datatypes, scales and
offsets, params, output specs, and the command that replays it); no pickle, so ``np.load``
reads it with ``allow_pickle=False``. The replay command is ``opgen test`` with the same
configs, package and reference and ``--replay FILE.npz``: it runs that one case again, on the
package and the reference as they are now, and exits 1 while it still fails.
"""

from __future__ import annotations

import json
import shlex
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from opgen.model import Datatype, OpDef
from opgen.optest.cases import Case
from opgen.optest.params import ParamChoice
from opgen.optest.session import CaseResult
from opgen.optest.values import Quant
from opgen.runtime import sizing
from opgen.runtime.library import PackageSpec
from opgen.runtime.npyfile import NpyError, save_npz


class ReplayError(Exception):
    """A case file that cannot be replayed; ``str()`` says why."""


def replay_command(
    configs: Sequence[Path], spec: PackageSpec, reference: Path, case_file: Path
) -> str:
    """The one-line shell command that replays ``case_file`` (absolute paths throughout)."""
    package = PackageSpec(str(Path(spec.library).resolve()), spec.provider, spec.target)
    argv = [
        sys.executable,
        "-m",
        "opgen",
        "test",
        *(str(c.resolve()) for c in configs),
        "--op_packages",
        str(package),
        "--reference",
        str(reference.resolve()),
        "--replay",
        str(case_file.resolve()),
    ]
    return shlex.join(argv)


def save_failure(
    directory: Path,
    result: CaseResult,
    package: str,
    spec: PackageSpec,
    configs: Sequence[Path],
    reference: Path,
) -> tuple[Path, str]:
    """Write the case; returns its path and its replay command (raises OSError, NpyError)."""
    case = result.case
    path = directory / f"{package}-{spec.target}-{case.op}-{case.index}.npz"
    command = replay_command(configs, spec, reference, path)
    meta = {
        "op": case.op,
        "package": package,
        "target": spec.target,
        "case": case.index,
        "label": case.label,
        "datatypes": [d.name for d in case.datatypes],
        "input_quants": [q.to_json() if q else None for q in case.quants],
        "params": _json(case.params.given),
        "reference_params": _json(case.params.reference),
        "outputs": [
            {"name": p.name, "shape": list(p.shape), "datatype": p.datatype.name}
            for p in case.outputs
        ],
        "output_quants": [q.to_json() if q else None for q in result.output_quants],
        "failure": result.describe(),
        "command": command,
    }
    arrays: dict[str, Any] = {f"input_{i}": a for i, a in enumerate(case.inputs)}
    arrays.update({f"expected_{i}": np.asarray(a) for i, a in enumerate(result.expected)})
    arrays.update({f"got_{i}": a for i, a in enumerate(result.got)})
    arrays["meta"] = np.array(json.dumps(meta, sort_keys=True))
    directory.mkdir(parents=True, exist_ok=True)
    save_npz(path, arrays)
    return path, command


def _json(values: dict[str, object]) -> dict[str, object]:
    return {
        k: v.tolist() if isinstance(v, np.ndarray | np.generic) else v for k, v in values.items()
    }


def read_meta(path: Path) -> tuple[dict[str, Any], dict[str, np.ndarray[Any, Any]]]:
    """The case file's meta and arrays (raises :class:`ReplayError`)."""
    try:
        with np.load(path, allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in archive.files}
    except FileNotFoundError:
        raise ReplayError(f"case file '{path}': no such file") from None
    except (OSError, ValueError, zipfile.BadZipFile) as exc:
        raise ReplayError(f"case file '{path}' is not an opgen test case ({exc})") from None
    try:
        meta = json.loads(str(arrays.pop("meta")))
        _check_meta(meta)
    except (KeyError, ValueError, TypeError) as exc:
        raise ReplayError(f"case file '{path}' has no usable meta ({exc})") from None
    return meta, arrays


def _check_meta(meta: Any) -> None:
    if not isinstance(meta, dict):
        raise TypeError("meta is not an object")
    for key in ("op", "package", "target", "case", "datatypes", "input_quants", "params"):
        if key not in meta:
            raise KeyError(key)


def load_case(path: Path, meta: dict[str, Any], arrays: dict[str, Any], op: OpDef) -> Case:
    """The case a file holds, for ``op`` (raises :class:`ReplayError`)."""
    try:
        datatypes = tuple(Datatype[name] for name in meta["datatypes"])
        inputs = tuple(arrays[f"input_{i}"] for i in range(len(datatypes)))
        quants = tuple(Quant(float(q[0]), int(q[1])) if q else None for q in meta["input_quants"])
        outputs = tuple(
            sizing.OutputPlan(o["name"], tuple(int(d) for d in o["shape"]), Datatype[o["datatype"]])
            for o in meta["outputs"]
        )
        params = ParamChoice(dict(meta["params"]), dict(meta["reference_params"]))
    except (KeyError, ValueError, TypeError, IndexError) as exc:
        raise ReplayError(
            f"case file '{path}' is incomplete ({type(exc).__name__}: {exc})"
        ) from None
    if len(quants) != len(inputs):
        raise ReplayError(f"case file '{path}' is incomplete (one scale per input)")
    return Case(op.name, int(meta["case"]), inputs, datatypes, quants, params, outputs)


__all__ = ["NpyError", "ReplayError", "load_case", "read_meta", "replay_command", "save_failure"]
