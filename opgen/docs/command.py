"""`opgen docs CONFIG... -o DIR`: writes DIR/<Package>.md and DIR/<Package>.html."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

import click

EXIT_INVALID = 1

HELP = "Write an op reference per package (DIR/<Package>.md and DIR/<Package>.html) from CONFIGS."


@click.command("docs", help=HELP)
@click.argument("configs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path),
    help="Directory that receives <Package>.md and <Package>.html.",
)
@click.option(
    "-f",
    "--force-generation",
    "force",
    is_flag=True,
    help="Overwrite docs that were edited since opgen wrote them (a copy is kept under .opgen/).",
)
def docs_command(configs: Sequence[Path], output: Path, force: bool) -> None:
    # Imported here: loading the command for `opgen --help` stays cheap.
    from opgen.cli import _print_diagnostics
    from opgen.config import validate_configs
    from opgen.docs import render_docs
    from opgen.writer import WriteError, write_packages

    result = validate_configs(configs)
    _print_diagnostics(result)
    if not result.ok:
        sys.exit(EXIT_INVALID)
    if os.path.lexists(output) and not os.path.isdir(output):
        click.echo(f"error: output path '{output}' exists and is not a directory", err=True)
        sys.exit(EXIT_INVALID)
    files = render_docs(result.packages)
    try:
        write_packages([(output, files)], force=force)
    except WriteError as exc:
        for message in exc.messages:
            click.echo(f"error: {message}", err=True)
        sys.exit(EXIT_INVALID)
    except OSError as exc:
        click.echo(f"error: cannot write {exc.filename or output}: {exc.strerror or exc}", err=True)
        sys.exit(EXIT_INVALID)
    for rendered in files:
        click.echo(output / rendered.relpath)
