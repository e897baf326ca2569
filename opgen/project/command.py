"""`opgen new DIR`: the command-line edge of opgen.project.

Prompts through cookiecutter (the template's cookiecutter.json names the variables and their
prompts; an option given on the command line becomes the prompt's default), or with --no-input
takes the options and the template's defaults. Every answer is checked before anything is
written; a bad one is an `error:` line per problem and exit 1.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

import click

from opgen.escaping import file_stem, terminal_text
from opgen.project.spec import (
    DEFAULT_OP,
    DEFAULT_PACKAGE,
    ProjectSpec,
    SpecError,
    StarterShape,
    make_spec,
)

EXIT_INVALID = 1
HELP = "Create a project around a new op package: config, Makefile, references, tests, CI."


@click.command("new", help=HELP)
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--no-input", "no_input", is_flag=True, help="Ask nothing: options and defaults.")
@click.option("--package", default=None, help=f"PackageName (default: {DEFAULT_PACKAGE}).")
@click.option(
    "--op",
    "ops",
    multiple=True,
    help=f"An op to start with (repeatable, or comma-separated; default: {DEFAULT_OP}); with "
    "--from-onnx, an op type of the model to draft (default: every custom node).",
)
@click.option(
    "--backend",
    "backends",
    multiple=True,
    help="A backend of the package: CPU, GPU, HTP or DSP (repeatable; default: CPU).",
)
@click.option(
    "--shape",
    type=click.Choice([s.value for s in StarterShape]),
    default=None,
    help="The starter ops' shape: elementwise (out = in * gain), binary (out = a + b, "
    "broadcast) or reduce (out = in.sum(axis=-1)). Default: elementwise.",
)
@click.option(
    "--from-onnx",
    "from_onnx",
    type=click.Path(path_type=Path),
    default=None,
    help="Draft the config from this model's custom nodes (`opgen onnx draft`; needs opgen[onnx]).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Add the project to a directory that is not empty (its files are kept).",
)
def new_command(
    directory: Path,
    no_input: bool,
    package: str | None,
    ops: Sequence[str],
    backends: Sequence[str],
    shape: str | None,
    from_onnx: Path | None,
    force: bool,
) -> None:
    from opgen.project.create import ProjectError, check_target, create_project

    try:
        check_target(directory, force)  # before any question
    except ProjectError as exc:
        _fail(*exc.messages)
    answers = {
        "package": package or DEFAULT_PACKAGE,
        "ops": ", ".join(ops) if ops else ("" if from_onnx else DEFAULT_OP),
        "backends": ", ".join(backends) if backends else "CPU",
        "shape": shape or StarterShape.ELEMENTWISE.value,
    }
    if not no_input:
        answers = _prompt(answers, from_onnx is not None)
    try:
        spec = make_spec(
            answers["package"].strip(),
            _split(answers["ops"]),
            _split(answers["backends"]),
            answers["shape"],
            from_onnx=from_onnx is not None,
        )
    except SpecError as exc:
        _fail(*exc.messages)
    config = _config(spec, from_onnx)
    try:
        report = create_project(
            directory,
            config,
            answers,
            shape="onnx" if from_onnx else spec.shape.value,
            project=file_stem(directory.absolute().name),
            force=force,
        )
    except ProjectError as exc:
        for line in exc.diagnostics:
            click.echo(terminal_text(line), err=True)
        _fail(*exc.messages)
    for relpath in report.kept:
        click.echo(terminal_text(f"kept {directory / relpath} (it was there already)"), err=True)
    click.echo(
        terminal_text(
            f"created project {report.package} in {directory} ({len(report.created)} files; "
            f"backends {', '.join(report.backends)})"
        )
    )
    click.echo(
        terminal_text(
            f"next: cd {directory} && make test (fails with 'kernel not implemented' until you "
            "write the kernels; README.md says where)"
        )
    )


def _split(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


def _prompt(answers: dict[str, str], from_onnx: bool) -> dict[str, str]:
    """Ask for each variable of the template, the options' values as defaults."""
    from cookiecutter.prompt import prompt_for_config  # type: ignore[import-untyped]

    from opgen.project.create import template_variables

    variables = template_variables()
    asked: dict[str, Any] = {"__prompts__": variables["__prompts__"]}
    for key in ("package", "ops", "backends", "shape"):
        if from_onnx and key in ("ops", "shape"):
            continue  # the model decides the ops
        if key == "shape":
            choices = list(variables["shape"])
            asked[key] = [answers[key], *(c for c in choices if c != answers[key])]
        else:
            asked[key] = answers[key]
    try:
        given = prompt_for_config({"cookiecutter": asked})
    except (EOFError, KeyboardInterrupt):
        _fail("no answer to a question (use --no-input to take the options and defaults)")
    return {**answers, **{k: str(v) for k, v in given.items() if k in answers}}


def _config(spec: ProjectSpec, from_onnx: Path | None) -> bytes:
    from opgen.project.config_xml import starter_config, with_backends

    if from_onnx is None:
        return starter_config(spec)
    try:
        from opgen.onnx.draft import DraftError, draft
        from opgen.onnx.match import ModelError, load_model
    except ImportError as exc:
        _fail(f"--from-onnx needs the onnx package ({exc.name}): pip install 'opgen[onnx]'")
    try:
        done = draft(
            load_model(from_onnx),
            ops=list(spec.onnx_ops) or None,
            package=spec.package,
            source=from_onnx.name,
        )
    except (ModelError, DraftError) as exc:
        _fail(f"{from_onnx}: {exc}")
    for message in done.renamed:
        click.echo(terminal_text(f"{from_onnx}: warning: {message}"), err=True)
    return with_backends(done.xml, spec.backends)


def _fail(*messages: str) -> NoReturn:
    for message in messages:
        click.echo(terminal_text(f"error: {message}"), err=True)
    sys.exit(EXIT_INVALID)
