"""`opgen onnx run`: run a model on the host, custom nodes through compiled op packages.

The packages run in a worker process (as with `opgen run`) unless --in-process. Problems end with
one line on stderr, exit status 1: ``MODEL.onnx: node 'name' (OpType): error: message`` for a node,
``MODEL.onnx: error: message`` for the model, ``error: message`` for the command line.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

if TYPE_CHECKING:
    import numpy.typing as npt

    from opgen.onnx.runner import Comparison, Difference

EXIT_FAILED = 1
#: The shell's status for a command stopped by Ctrl-C (128 + SIGINT).
EXIT_INTERRUPTED = 130


def _fail(message: str, where: str | None = None) -> NoReturn:
    text = " ".join(str(message).split())
    click.echo(f"{where}: error: {text}" if where else f"error: {text}", err=True)
    sys.exit(EXIT_FAILED)


@click.command("run", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("model", type=click.Path(path_type=Path))
@click.option(
    "--op_packages",
    "--op-packages",
    "packages",
    multiple=True,
    required=True,
    metavar="LIB[:PROVIDER[:TARGET]][,...]",
    help="Op package(s) for the custom nodes (repeatable; TARGET CPU, GPU or HTP).",
)
@click.option(
    "-i",
    "--input",
    "inputs",
    multiple=True,
    metavar="NAME=FILE.npy",
    help="A graph input (repeatable).",
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path),
    help="Output .npz file, keyed by the model's output names.",
)
@click.option(
    "--reference",
    type=click.Path(path_type=Path),
    metavar="MODULE.py",
    help="Numpy implementations of the custom ops (a function per op type: inputs positional, "
    "params as keyword arguments); prints the largest difference from them per custom node "
    "output and per model output.",
)
@click.option(
    "--in-process",
    is_flag=True,
    help="Load and run the packages in this process (a crashing kernel takes opgen down).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=None,
    metavar="SECONDS",
    help="Stop a package call that runs longer (default 60; 0: no limit). Needs the default "
    "isolation.",
)
def run_command(
    model: Path,
    packages: Sequence[str],
    inputs: Sequence[str],
    output: Path,
    reference: Path | None,
    in_process: bool,
    timeout: float | None,
) -> None:
    """Run MODEL on the host: standard nodes through onnx.reference, custom nodes through the
    op packages (CPU, GPU via OpenCL, or HTP emulation), attributes mapped to params with the
    packages' configs."""
    from opgen.runtime.cli import DEFAULT_TIMEOUT

    if in_process and timeout is not None:
        _fail("--timeout needs a worker process: drop --in-process")
    specs = [s.strip() for each in packages for s in each.split(",") if s.strip()]
    feeds = _feeds(inputs)
    limit = None if in_process else (DEFAULT_TIMEOUT if timeout is None else timeout) or None
    try:
        _run(model, specs, feeds, output, reference, not in_process, limit)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)


def _feeds(inputs: Sequence[str]) -> dict[str, npt.NDArray[Any]]:
    from opgen.runtime.run_args import BadRequest, load_input

    feeds: dict[str, npt.NDArray[Any]] = {}
    for text in inputs:
        name, sep, path = text.partition("=")
        if not sep or not name or not path:
            _fail(f"-i '{text}' is not NAME=FILE.npy")
        if name in feeds:
            _fail(f"-i {name} is given twice")
        try:
            feeds[name] = load_input(Path(path))
        except BadRequest as exc:
            _fail(str(exc))
    return feeds


def _run(
    model: Path,
    specs: list[str],
    feeds: dict[str, npt.NDArray[Any]],
    output: Path,
    reference: Path | None,
    isolate: bool,
    timeout: float | None,
) -> None:
    from opgen.onnx import runner
    from opgen.onnx.run_models import prepared
    from opgen.runtime.run_args import BadRequest, save_outputs

    comparison: Comparison | None = None
    try:
        loaded = prepared(model)
        if reference is None:
            outputs = runner.run(loaded, specs, feeds, isolate=isolate, timeout=timeout)
        else:
            comparison = runner.compare(
                loaded, specs, feeds, reference, isolate=isolate, timeout=timeout
            )
            outputs = comparison.outputs
    except runner.RunError as exc:
        where = f"{model}: node '{exc.node}' ({exc.op_type})" if exc.node else str(model)
        _fail(str(exc), where)
    try:
        save_outputs(output, outputs)
    except BadRequest as exc:
        _fail(str(exc))
    for name, array in outputs.items():
        click.echo(f"{name}: {array.dtype} {list(array.shape)}")
    if comparison is not None:
        _print_comparison(comparison)
    click.echo(f"wrote {output}")


def _print_comparison(comparison: Comparison) -> None:
    click.echo("largest absolute difference from the reference:")
    for diff in comparison.nodes:
        click.echo(f"  node '{diff.node}' ({diff.op_type}) {diff.tensor}: {_shown(diff)}")
    for diff in comparison.model_outputs:
        click.echo(f"  output {diff.tensor}: {_shown(diff)}")


def _shown(diff: Difference) -> str:
    if diff.problem is not None:
        return diff.problem
    assert diff.value is not None
    return f"{diff.value:.3g}"
