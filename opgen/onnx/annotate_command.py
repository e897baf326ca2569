"""`opgen onnx annotate MODEL.onnx -p CONFIG... -o OUT.onnx` (see opgen.onnx.annotate).

Prints the converter command line that consumes the result on stdout; notes, a warning per
output still unknown, and errors (gcc-style, naming the node) on stderr. Errors: nothing is
written, exit 1. The output is written atomically (a temporary file renamed over it), so a failed
or killed run leaves the old file; only the path -o names is ever written.
"""

from __future__ import annotations

import os
import shlex
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from opgen.config import Level
from opgen.escaping import terminal_text

if TYPE_CHECKING:
    import onnx

    from opgen.onnx.annotate import OutputStatus

EXIT_INVALID = 1


def node_line(model: Path, node: str | None, op_type: str, level: str, message: str) -> str:
    """`MODEL.onnx: node 'name' (OpType): level: message`, printed as check prints it."""
    from opgen.onnx.diagnostics import ModelDiagnostic

    return ModelDiagnostic(
        Level(level), model, 0, 0, message, node=node, op_type=op_type if node else None
    ).format()


def _fail(message: str) -> NoReturn:
    click.echo(terminal_text(message), err=True)
    sys.exit(EXIT_INVALID)


@click.command("annotate")
@click.argument("model", type=click.Path(path_type=Path))
@click.option(
    "-p",
    "--config",
    "configs",
    multiple=True,
    required=True,
    type=click.Path(path_type=Path),
    help="OpDef XML config (repeatable).",
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path),
    help="The annotated model (may name MODEL to replace it).",
)
def annotate_command(model: Path, configs: Sequence[Path], output: Path) -> None:
    """Write the custom nodes' output shapes and dtypes into MODEL as value_info."""
    from opgen.cli import _print_diagnostics
    from opgen.config import validate_configs
    from opgen.onnx import annotate as ann
    from opgen.onnx.match import ModelError, load_model

    result = validate_configs(configs)
    _print_diagnostics(result)
    if not result.ok:
        sys.exit(EXIT_INVALID)
    if output.is_dir():
        _fail(f"error: output path '{output}' is a directory")
    if not output.parent.is_dir():
        _fail(f"error: output directory '{output.parent}' does not exist")
    try:
        loaded = load_model(model)
    except ModelError as exc:
        _fail(f"error: {exc}")
    try:
        done = ann.annotate(loaded, result.packages)
    except ann.AnnotateError as exc:
        _fail(node_line(model, None, "", "error", str(exc)))
    for domain in done.added_domains:
        click.echo(
            node_line(
                model,
                None,
                "",
                "note",
                f"added domain '{domain}' to opset_import (version 1): ONNX needs it to infer "
                "and check the model; the converter ignores domains",
            ),
            err=True,
        )
    if done.errors:
        for e in done.errors:
            click.echo(node_line(model, e.node, e.op_type, "error", e.message), err=True)
        _fail(f"{len(done.errors)} error(s); nothing written")
    try:
        ann.check(done.model)
    except ann.AnnotateError as exc:
        if not done.unknown:
            _fail(node_line(model, None, "", "error", str(exc)))
        # A graph output fed by an unknown output has no shape, which onnx.checker requires:
        # the model is still what the converter (with the library) can consume.
        click.echo(
            node_line(model, None, "", "warning", f"{exc} (until the unknown outputs are known)"),
            err=True,
        )
    _write(done.model, output)

    for o in done.unknown:
        click.echo(
            node_line(
                model,
                o.node,
                o.op_type,
                "warning",
                f"output '{o.tensor}' is still unknown ({_what(o)}): {o.reason}; the converter "
                "needs the converter op package for it",
            ),
            err=True,
        )
    symbolic = [o for o in done.outputs if o.known and o.symbolic]
    for o in symbolic:
        click.echo(
            node_line(
                model,
                o.node,
                o.op_type,
                "note",
                f"output '{o.tensor}' has named dims {_dims(o.dims)}: the "
                "converter reads a dim_param as 0 and asks the converter op package",
            ),
            err=True,
        )
    known = sum(o.known for o in done.outputs)
    click.echo(
        f"{output}: {len(done.custom)} custom node(s), {known} of {len(done.outputs)} "
        f"output(s) known, {len(done.written)} value_info written "
        f"({done.rounds} inference round(s))"
    )
    args = ann.converter_command(
        str(output), [str(c) for c in configs], result.packages, library=done.needs_library
    )
    click.echo(" ".join(shlex.quote(a) for a in args))
    if done.needs_library:
        click.echo(
            "  (the library: opgen generate --converter-op-package ... and `make cpu` in each "
            "<Package>_Converter_Op_Package; paths relative to the generation's output)"
        )


def _what(o: OutputStatus) -> str:
    if o.dims is None:
        return "no shape" if o.elem_type else "no shape, no dtype"
    return f"shape {_dims(o.dims)}" + ("" if o.elem_type else ", no dtype")


def _dims(dims: Sequence[object] | None) -> str:
    if dims is None:
        return "unknown rank"
    return "[" + ", ".join("?" if d is None else str(d) for d in dims) + "]"


def _write(model: onnx.ModelProto, output: Path) -> None:
    import onnx

    fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent)
    os.close(fd)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp's 0600 is not what a new file gets
        onnx.save_model(model, tmp)
        os.replace(tmp, output)
    finally:
        Path(tmp).unlink(missing_ok=True)
