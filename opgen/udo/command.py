"""`opgen import-udo CONFIG.json -o CONFIG.xml [--domain D] [--package-version V] [-f]`.

Writes the converted config only after opgen's loader accepts it, atomically, and never over an
existing file without --force.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

EXIT_INVALID = 1
EXIT_INTERNAL = 3

HELP = "Convert a legacy SNPE UDO JSON config into an equivalent OpDef XML config."


@click.command("import-udo", help=HELP)
@click.argument("config", metavar="CONFIG.json", type=click.Path(path_type=Path))
@click.option(
    "-o", "--output", required=True, type=click.Path(path_type=Path), help="The config to write."
)
@click.option("--domain", default="udo", show_default=True, help="The OpDefCollection Domain.")
@click.option(
    "--package-version", default="1.0", show_default=True, help="The OpDefCollection Version."
)
@click.option("-f", "--force", is_flag=True, help="Replace an existing output file.")
def import_udo_command(
    config: Path, output: Path, domain: str, package_version: str, force: bool
) -> None:
    from opgen.cli import _print_diagnostics
    from opgen.config import ValidationResult
    from opgen.config.save import save_config
    from opgen.udo import import_udo

    if output.exists() and not force:
        _fail(f"error: '{output}' exists; use --force to replace it")
    if not output.parent.is_dir():
        _fail(f"error: output directory '{output.parent}' does not exist")
    try:
        text = config.read_bytes().decode("utf-8")
    except OSError as exc:
        _fail(f"error: cannot read {config}: {exc.strerror or exc}")
    except UnicodeDecodeError as exc:
        _fail(f"{config}: error: not UTF-8 text (byte {exc.start}); JSON is UTF-8")
    done = import_udo(config, text, domain=domain, version=package_version)
    _print_diagnostics(ValidationResult((), done.diagnostics))
    if done.xml is None:
        sys.exit(EXIT_INVALID)
    result = save_config(done.xml, output)
    if not result.ok:
        # What the JSON checks let through and opgen refuses (a name the generated code
        # reserves, a default out of range, ...): said about the JSON file.
        for d in result.diagnostics:
            click.echo(f"{config}: {d.level.value}: in the converted config: {d.message}", err=True)
        sys.exit(EXIT_INVALID)
    (package,) = result.packages
    ops = ", ".join(op.name for op in package.ops)
    backends = ", ".join(b.value for b in package.backends)
    click.echo(
        f"{output}: op package {package.name}; backends {backends}; {len(package.ops)} op(s): {ops}"
    )


def _fail(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(EXIT_INVALID)
