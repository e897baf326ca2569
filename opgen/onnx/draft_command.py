"""`opgen onnx draft MODEL.onnx [--ops TYPE,...] [--package NAME] -o DRAFT.xml`.

Writes the draft (opgen.onnx.draft) only after it validates as a config, atomically, and never
over an existing file without --force (a draft is meant to be edited). Prints a summary on
stdout; notes about names the model must change on stderr.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from opgen.escaping import terminal_text

EXIT_INVALID = 1
EXIT_INTERNAL = 3


@click.command("draft")
@click.argument("model", type=click.Path(path_type=Path))
@click.option(
    "--ops",
    default=None,
    help="Op types to draft, comma-separated (default: every "
    "node outside ai.onnx, ai.onnx.ml and com.microsoft).",
)
@click.option("--package", default=None, help="PackageName (default: from the nodes' domain).")
@click.option(
    "-o", "--output", required=True, type=click.Path(path_type=Path), help="The config to write."
)
@click.option("-f", "--force", is_flag=True, help="Replace an existing output file.")
def draft_command(
    model: Path, ops: str | None, package: str | None, output: Path, force: bool
) -> None:
    """Draft an OpDef config for MODEL's custom nodes."""
    from opgen.cli import _print_diagnostics
    from opgen.config.save import save_config
    from opgen.onnx.draft import DraftError, draft
    from opgen.onnx.match import ModelError, load_model

    if output.exists() and not force:
        _fail(f"error: '{output}' exists; use --force to replace it")
    if not output.parent.is_dir():
        _fail(f"error: output directory '{output.parent}' does not exist")
    names = None
    if ops is not None:
        names = [o.strip() for o in ops.split(",") if o.strip()]
        if not names:
            _fail("error: --ops names no op type")
    try:
        loaded = load_model(model)
        done = draft(loaded, ops=names, package=package, source=model.name)
    except (ModelError, DraftError) as exc:
        _fail(f"error: {exc}")
    result = save_config(done.xml, output)
    if not result.ok:
        _print_diagnostics(result)
        click.echo("internal error: the draft does not validate; please report it", err=True)
        sys.exit(EXIT_INTERNAL)
    for message in done.renamed:
        click.echo(terminal_text(f"{model}: warning: {message}"), err=True)
    if done.skipped:
        click.echo(
            terminal_text(
                f"{model}: note: com.microsoft nodes not drafted: {', '.join(done.skipped)}; "
                "name them with --ops if the converter lacks them"
            ),
            err=True,
        )
    click.echo(
        terminal_text(
            f"{output}: {len(done.ops)} op(s) from {done.nodes} node(s): {', '.join(done.ops)}; "
            f"{done.decisions} DECIDE comment(s) to review"
        )
    )
    click.echo(f"next: opgen validate {output}; opgen onnx check {model} -p {output}")


def _fail(message: str) -> None:
    click.echo(terminal_text(message), err=True)
    sys.exit(EXIT_INVALID)
