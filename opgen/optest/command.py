"""`opgen test`: every op of the given packages against a numpy reference, on cases drawn from
the configs (see :mod:`opgen.optest`).

Output: per package and target a line per op (``ok`` or ``FAIL``, the case count, the worst
absolute and relative error), each failing case with what differs, and where ``--save-failures``
put it with its replay command. Exit 0 when every case is within tolerance; 1 on any mismatch,
package failure or bad input (one ``error: ...`` line, never a traceback); 130 on Ctrl-C.
"""

from __future__ import annotations

import sys
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

import click

EXIT_FAILED = 1
EXIT_INTERRUPTED = 130
#: Failing cases printed per op (all of them are saved and in the JUnit XML).
SHOWN_FAILURES = 5
DEFAULT_CASES = 20


class _Stop(Exception):
    """Bad input: the command ends with ``error: <message>``."""


def _fail(message: str) -> NoReturn:
    click.echo(f"error: {' '.join(str(message).split())}", err=True)
    sys.exit(EXIT_FAILED)


@click.command("test", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("configs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--op_packages",
    "--op-packages",
    "packages",
    multiple=True,
    required=True,
    metavar="LIB[:PROVIDER[:TARGET]][,...]",
    help="Op package(s) to test (repeatable; TARGET CPU, GPU, HTP...).",
)
@click.option(
    "--reference",
    required=True,
    type=click.Path(path_type=Path),
    metavar="MODULE.py",
    help="Numpy implementations: a function per op type, inputs positional, params as keyword "
    "arguments (as for opgen onnx run --reference).",
)
@click.option("--op", "ops", multiple=True, metavar="NAME", help="Test only this op (repeatable).")
@click.option(
    "--cases",
    type=click.IntRange(min=1, max=100000),
    default=DEFAULT_CASES,
    show_default=True,
    help="Cases per op and package.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the drawn cases.")
@click.option(
    "--junit", type=click.Path(path_type=Path), metavar="FILE", help="Write JUnit XML here."
)
@click.option(
    "--save-failures",
    "save_dir",
    type=click.Path(path_type=Path),
    metavar="DIR",
    help="Save each failing case as DIR/<Package>-<TARGET>-<Op>-<i>.npz (and print the "
    "command that replays it).",
)
@click.option(
    "--replay",
    type=click.Path(path_type=Path),
    metavar="CASE.npz",
    help="Run the one case saved in CASE.npz again (instead of drawing cases).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=None,
    metavar="SECONDS",
    help="Stop a package call that runs longer (default 60; 0: no limit).",
)
def test_command(
    configs: Sequence[Path],
    packages: Sequence[str],
    reference: Path,
    ops: Sequence[str],
    cases: int,
    seed: int,
    junit: Path | None,
    save_dir: Path | None,
    replay: Path | None,
    timeout: float | None,
) -> None:
    """Test op packages against numpy references on cases drawn from their configs (every
    declared datatype and rank, shapes that obey the shape rules); exit 1 on any mismatch."""
    from opgen.runtime.cli import DEFAULT_TIMEOUT

    specs = [s.strip() for each in packages for s in each.split(",") if s.strip()]
    limit = (DEFAULT_TIMEOUT if timeout is None else timeout) or None
    try:
        setup = _setup(configs, reference, ops)
        if replay is not None:
            ok = _replay(setup, specs, replay, limit)
        else:
            ok = _test(setup, specs, cases, seed, junit, save_dir, limit)
    except _Stop as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    if not ok:
        sys.exit(EXIT_FAILED)


class _Setup:
    def __init__(
        self, configs: Sequence[Path], packages: Any, reference: Path, functions: Any, ops: Any
    ) -> None:
        self.configs = list(configs)
        self.packages = packages
        self.reference = reference
        self.functions: dict[str, Callable[..., Any]] = functions
        self.ops: frozenset[str] = ops


def _setup(configs: Sequence[Path], reference: Path, ops: Sequence[str]) -> _Setup:
    from opgen.config import Level, validate_configs
    from opgen.runtime.reference import ReferenceModuleError, load_reference

    result = validate_configs(configs)
    for d in result.diagnostics:
        click.echo(d.format(), err=True)
    if not result.ok:
        errors = sum(d.level is Level.ERROR for d in result.diagnostics)
        raise _Stop(f"the configs have {errors} error(s)")
    declared = {op.name for p in result.packages for op in p.ops}
    unknown = [name for name in ops if name not in declared]
    if unknown:
        raise _Stop(
            f"--op {', '.join(unknown)}: no config declares it "
            f"(ops: {', '.join(sorted(declared)) or 'none'})"
        )
    try:
        functions = load_reference(reference)
    except ReferenceModuleError as exc:
        raise _Stop(str(exc)) from None
    return _Setup(configs, result.packages, reference, functions, frozenset(ops))


# ---- drawing and running cases ---------------------------------------------------------------


def _test(
    setup: _Setup,
    specs: Sequence[str],
    count: int,
    seed: int,
    junit: Path | None,
    save_dir: Path | None,
    timeout: float | None,
) -> bool:
    from opgen.optest.junit import PackageFailure, write_junit
    from opgen.optest.session import OpReport

    reports: list[OpReport] = []
    failures: list[PackageFailure] = []
    planned = [_plan(setup, spec, timeout) for spec in specs]
    missing = sorted({op.name for _, ops, _ in planned for op in ops} - set(setup.functions))
    if missing:
        for runner, _, _ in planned:
            if runner is not None:
                runner.close()
        defined = ", ".join(sorted(setup.functions)) or "none"
        raise _Stop(
            f"the reference {setup.reference} has no function for {', '.join(missing)} "
            f"(it defines: {defined})"
        )
    for spec, (runner, ops, problem) in zip(specs, planned, strict=True):
        if problem is not None:
            click.echo(f"error: {spec}: {problem}", err=True)
            failures.append(PackageFailure(spec, problem))
        if runner is None:
            continue
        try:
            name = runner.package.info.package_name
            click.echo(f"{name} on {runner.target} ({Path(runner.spec.library).name}):")
            for op in ops:
                report = _test_op(setup, runner, name, op, count, seed)
                reports.append(report)
                _print_report(setup, runner, report, save_dir)
        finally:
            runner.close()
    if setup.ops and not any(r.op in setup.ops for r in reports) and not failures:
        raise _Stop(f"no given op package has op {', '.join(sorted(setup.ops))}")
    if junit is not None:
        try:
            write_junit(junit, reports, failures)
        except OSError as exc:
            raise _Stop(f"cannot write '{junit}': {exc.strerror or exc}") from None
    total = sum(len(r.results) for r in reports)
    failed = sum(len(r.failed) for r in reports) + sum(r.error is not None for r in reports)
    click.echo(
        f"{len(reports)} op(s) on {len(specs)} package(s), {total} case(s): "
        + (f"{failed} failed" if failed else "all passed")
        + (f"; {len(failures)} package(s) could not be tested" if failures else "")
    )
    return not failed and not failures


def _plan(setup: _Setup, spec: str, timeout: float | None) -> tuple[Any, list[Any], str | None]:
    """The runner (None when the package does not load), its ops to test, and a problem."""
    from opgen.optest.session import PackageRunner, declared_ops
    from opgen.runtime.errors import OpPackageError

    try:
        runner = PackageRunner(spec, [str(c) for c in setup.configs], timeout)
    except OpPackageError as exc:
        return None, [], " ".join(str(exc).split())
    info = runner.package.info
    declared = declared_ops(setup.packages, info.package_name, runner.target)
    if declared is None:
        runner.close()
        names = ", ".join(p.name for p in setup.packages)
        return (
            None,
            [],
            (
                f"the configs declare no op of {info.package_name} for {runner.target} "
                f"(they declare {names})"
            ),
        )
    ops = [op for op in declared if not setup.ops or op.name in setup.ops]
    absent = [op.name for op in ops if op.name not in info.operations]
    problem = None
    if absent:
        problem = (
            f"{info.package_name} ({runner.target}) does not provide {', '.join(absent)}, which "
            f"the configs declare (it has: {', '.join(info.operations) or 'none'})"
        )
    return runner, [op for op in ops if op.name in info.operations], problem


def _test_op(setup: _Setup, runner: Any, package: str, op: Any, count: int, seed: int) -> Any:
    from opgen.optest.cases import generate_cases
    from opgen.optest.session import OpReport, run_case
    from opgen.runtime.reference import ReferenceModuleError

    words = [
        seed & 0xFFFFFFFF,
        *(zlib.crc32(w.encode()) for w in (package, runner.target, op.name)),
    ]
    drawn = generate_cases(op, count, words, quantization=runner.quantization)
    results = []
    for case in drawn.cases:
        try:
            results.append(run_case(runner, case, setup.functions))
        except ReferenceModuleError as exc:
            error = f"{exc} (case {case.index}: {case.label})"
            return OpReport(
                package,
                runner.target,
                op.name,
                tuple(results),
                drawn.skipped,
                drawn.variants,
                error,
            )
    return OpReport(package, runner.target, op.name, tuple(results), drawn.skipped, drawn.variants)


def _print_report(setup: _Setup, runner: Any, report: Any, save_dir: Path | None) -> None:
    from opgen.optest.replay import NpyError, save_failure

    cases = len(report.results)
    compared = any(r.comparisons for r in report.results)
    # A worst error of 0 would read as "exact" when no case got as far as a comparison.
    worst = (
        f"worst abs {report.worst_abs:.3g} rel {report.worst_rel:.3g}"
        if compared
        else "no output compared"
    )
    if report.ok:
        status = "ok" if cases else "SKIP"
        click.echo(f"  {report.op:<16} {status:<5} {cases} case(s)  {worst}")
    else:
        failed = len(report.failed)
        click.echo(f"  {report.op:<16} FAIL  {failed} of {cases} case(s) failed  {worst}")
    if report.error is not None:
        click.echo(f"    error: {report.error}")
    for shown, result in enumerate(report.failed):
        if shown < SHOWN_FAILURES:
            click.echo(f"    case {result.case.index} ({result.case.label}): {result.describe()}")
        elif shown == SHOWN_FAILURES:
            click.echo(f"    ... and {len(report.failed) - SHOWN_FAILURES} more failing case(s)")
        if save_dir is None:
            continue
        try:
            path, command = save_failure(
                save_dir, result, report.package, runner.spec, setup.configs, setup.reference
            )
        except (OSError, NpyError) as exc:
            raise _Stop(f"cannot save the case in '{save_dir}': {exc}") from None
        if shown < SHOWN_FAILURES:
            click.echo(f"      saved {path}")
            click.echo(f"      replay: {command}")
    for reason in report.skipped:
        click.echo(f"    skipped: {reason}")


# ---- --replay --------------------------------------------------------------------------------


def _replay(setup: _Setup, specs: Sequence[str], path: Path, timeout: float | None) -> bool:
    from opgen.optest.replay import ReplayError, load_case, read_meta
    from opgen.optest.session import PackageRunner, declared_ops, run_case
    from opgen.runtime.errors import OpPackageError
    from opgen.runtime.reference import ReferenceModuleError

    try:
        meta, arrays = read_meta(path)
    except ReplayError as exc:
        raise _Stop(str(exc)) from None
    for spec in specs:
        try:
            runner = PackageRunner(spec, [str(c) for c in setup.configs], timeout)
        except OpPackageError as exc:
            raise _Stop(f"{spec}: {exc}") from None
        try:
            name = runner.package.info.package_name
            if (name, runner.target) != (meta["package"], meta["target"]):
                continue
            declared = declared_ops(setup.packages, name, runner.target) or ()
            op = next((o for o in declared if o.name == meta["op"]), None)
            if op is None:
                raise _Stop(
                    f"the configs do not declare {meta['op']} of {name} for {runner.target}"
                )
            try:
                case = load_case(path, meta, arrays, op)
                result = run_case(runner, case, setup.functions)
            except (ReplayError, ReferenceModuleError) as exc:
                raise _Stop(str(exc)) from None
        finally:
            runner.close()
        where = f"{name} on {runner.target}: {op.name} case {case.index} ({case.label})"
        if result.ok:
            click.echo(f"{where}: ok")
            return True
        click.echo(f"{where}: FAIL: {result.describe()}")
        return False
    raise _Stop(
        f"no given op package is {meta['package']} on {meta['target']}, which {path} was saved from"
    )
