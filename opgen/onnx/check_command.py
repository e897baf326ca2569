"""`opgen onnx check MODEL.onnx -p CONFIG... [--json]`."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

import click

EXIT_INVALID = 1


@click.command("check")
@click.argument("model_path", metavar="MODEL.onnx", type=click.Path(path_type=Path))
@click.option(
    "-p",
    "--config",
    "configs",
    multiple=True,
    required=True,
    type=click.Path(path_type=Path),
    help="OpDef XML config (repeatable).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON on stdout.")
def check_command(model_path: Path, configs: Sequence[Path], as_json: bool) -> None:
    """Check MODEL.onnx's custom nodes against OpDef CONFIGS, as the vendor converter sees them.

    Errors are what stops the converter or the op package; warnings what gives a wrong or
    fragile result. Exit status 1 when there are errors.
    """
    # Imported here: `opgen --help` must not import onnx.
    from opgen.cli import _print_diagnostics
    from opgen.config import Level, ValidationResult, validate_configs
    from opgen.onnx.check import check_model
    from opgen.onnx.match import ModelError, load_model

    result = validate_configs(configs)
    if not result.ok:
        _print_diagnostics(result)
        sys.exit(EXIT_INVALID)
    try:
        model = load_model(model_path, external_data=False)
    except ModelError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_INVALID)
    findings = check_model(model, result.packages, model_path)
    shown = ValidationResult((), (*result.diagnostics, *findings))
    if as_json:
        click.echo(json.dumps([d.to_json() for d in shown.diagnostics], indent=2))
    else:
        _print_diagnostics(shown)
    if any(d.level is Level.ERROR for d in findings):
        sys.exit(EXIT_INVALID)
