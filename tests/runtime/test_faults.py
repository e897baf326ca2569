"""Kernels that fault (FaultPkg, tests/runtime/faultpkg.py): every fault is an error naming the
package, the op and how the kernel failed, through `opgen run` (isolated by default), through
the Python API with isolate=True, and in-process where that is safe."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from opgen.runtime import (
    IsolatedOpPackage,
    IsolationError,
    KernelCrashed,
    KernelTimeout,
    OpPackage,
    OpPackageError,
    OutputOverrun,
    OutputUnwritten,
    register,
)

OPGEN = [sys.executable, "-m", "opgen"]
X = np.arange(8, dtype=np.float32)

#: op -> (exception class, fragments of which the message must contain one). A 1 MB overrun
#: crashes the worker, or lands where only the canary notices: either is reported.
FAULTS: dict[str, tuple[type[OpPackageError], tuple[str, ...]]] = {
    "Segv": (KernelCrashed, ("execute crashed the worker process: killed by SIGSEGV",)),
    "Abort": (KernelCrashed, ("execute crashed the worker process: killed by SIGABRT",)),
    "Throw": (OpPackageError, ("execute threw an exception: the widget is broken",)),
    "ThrowInt": (OpPackageError, ("execute threw an exception that is not a std::exception",)),
    "Exit3": (KernelCrashed, ("execute ended the worker process: it exited with status 3",)),
    "Overrun64": (OutputOverrun, ("execute wrote past the end of output 0 'out[0]' (32 bytes)",)),
    "Overrun1M": (
        OpPackageError,
        ("killed by SIGSEGV", "killed by SIGBUS", "killed by SIGABRT", "wrote past the end"),
    ),
    "Underrun": (OutputOverrun, ("execute wrote before the start of output 0 'out[0]'",)),
    "SkipOutput": (OutputUnwritten, ("execute returned success but left output 0 'out[0]'",)),
}
#: Faults the interpreter survives in-process (caught in the support code, or by the canaries).
IN_PROCESS_SAFE = ("Throw", "ThrowInt", "Overrun64", "Underrun", "SkipOutput")


def run_op(
    library: Path, tmp_path: Path, op: str, *extra: str, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    np.save(tmp_path / "x.npy", X)
    argv = ["run", "--op_packages", str(library), "--op", op, "-i", str(tmp_path / "x.npy")]
    argv += ["-o", str(tmp_path / "out.npz"), *extra]
    return subprocess.run(
        [*OPGEN, *argv], capture_output=True, text=True, timeout=timeout, cwd=tmp_path
    )


def alive(pid: int) -> bool:
    """Whether process ``pid`` exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(c) for c in path.read_text().split()] if path.exists() else []


@pytest.fixture
def isolated(fault_library: Path) -> Iterator[IsolatedOpPackage]:
    with register(str(fault_library), isolate=True, timeout=30) as package:
        yield package


# ---- opgen run ---------------------------------------------------------------------------------


def test_a_working_kernel_runs_isolated(fault_library: Path, tmp_path: Path) -> None:
    result = run_op(fault_library, tmp_path, "Copy")
    assert result.returncode == 0, result.stderr
    with np.load(tmp_path / "out.npz") as saved:
        np.testing.assert_array_equal(saved["out[0]"], X)


@pytest.mark.parametrize("op", sorted(FAULTS))
def test_cli_reports_each_fault(fault_library: Path, tmp_path: Path, op: str) -> None:
    result = run_op(fault_library, tmp_path, op)
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith(f"error: FaultPkg: op {op}: "), errors[0]
    assert any(fragment in errors[0] for fragment in FAULTS[op][1]), errors[0]
    assert not (tmp_path / "out.npz").exists()


def test_cli_timeout_stops_a_kernel_that_never_returns(fault_library: Path, tmp_path: Path) -> None:
    result = run_op(fault_library, tmp_path, "Loop", "--timeout", "1")
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines() == [
        "error: FaultPkg: op Loop: execute did not finish within 1 s: the worker process was "
        "killed; package log: Loop: looping for ever"
    ]


def test_cli_timeout_needs_isolation(fault_library: Path, tmp_path: Path) -> None:
    result = run_op(fault_library, tmp_path, "Copy", "--in-process", "--timeout", "5")
    assert result.returncode == 1
    assert result.stderr == "error: --timeout needs a worker process: drop --in-process\n"


def _start_loop(library: Path, tmp_path: Path, *extra: str) -> subprocess.Popen[str]:
    """`opgen run -v` on Loop, returned once the kernel has said it is looping."""
    np.save(tmp_path / "x.npy", X)
    process = subprocess.Popen(
        [
            *(*OPGEN, "run", "-v", "--op_packages", str(library), "--op", "Loop"),
            *("-i", str(tmp_path / "x.npy"), "-o", str(tmp_path / "out.npz"), *extra),
        ],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    assert process.stderr is not None
    seen = []
    for line in process.stderr:  # ends at EOF if the command dies first
        seen.append(line)
        if "looping for ever" in line:
            return process
    process.wait(30)
    raise AssertionError(f"the loop never started: {seen}")


def test_ctrl_c_stops_an_isolated_kernel(fault_library: Path, tmp_path: Path) -> None:
    process = _start_loop(fault_library, tmp_path)
    try:
        workers = children(process.pid)
        assert len(workers) == 1
        process.send_signal(signal.SIGINT)
        assert process.wait(30) == 130
        assert process.stderr is not None
        assert process.stderr.read().splitlines()[-1] == "interrupted"
        assert not alive(workers[0])
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_ctrl_c_kills_an_in_process_kernel(fault_library: Path, tmp_path: Path) -> None:
    process = _start_loop(fault_library, tmp_path, "--in-process")
    try:
        process.send_signal(signal.SIGINT)
        assert process.wait(30) == -signal.SIGINT  # not ignored, as it was
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


# ---- Python API, isolated -----------------------------------------------------------------------


@pytest.mark.parametrize("op", sorted(FAULTS))
def test_api_isolated_raises_and_survives(fault_library: Path, op: str) -> None:
    kind, fragments = FAULTS[op]
    package = register(str(fault_library), isolate=True, timeout=30)
    with package, pytest.raises(kind) as caught:
        package.execute(op, [X])
    error = caught.value
    assert (error.package, error.op, error.stage) == ("FaultPkg", op, "execute")
    assert any(fragment in str(error) for fragment in fragments), str(error)
    assert not alive(package.pid) or not isinstance(error, KernelCrashed)


def test_crash_names_the_signal_and_the_next_call_says_the_worker_is_gone(
    isolated: IsolatedOpPackage,
) -> None:
    pid = isolated.pid
    with pytest.raises(KernelCrashed) as caught:
        isolated.execute("Segv", [X])
    assert caught.value.signal_name == "SIGSEGV" and caught.value.exit_status is None
    assert not alive(pid)
    with pytest.raises(IsolationError, match=r"the worker process is gone \(execute ended it: "):
        isolated.execute("Copy", [X])
    isolated.close()  # closing a package whose worker died is fine


def test_exit_status_is_not_opgens_internal_error(isolated: IsolatedOpPackage) -> None:
    with pytest.raises(KernelCrashed) as caught:
        isolated.execute("Exit3", [X])
    assert caught.value.exit_status == 3 and caught.value.signal_name is None


def test_a_package_error_keeps_the_worker(isolated: IsolatedOpPackage) -> None:
    pid = isolated.pid
    for op in IN_PROCESS_SAFE:
        with pytest.raises(FAULTS[op][0]):
            isolated.execute(op, [X])
    np.testing.assert_array_equal(isolated.execute("Copy", [X])[0], X)
    assert isolated.pid == pid and alive(pid)


def test_api_timeout(fault_library: Path) -> None:
    with register(str(fault_library), isolate=True, timeout=1) as package:
        with pytest.raises(KernelTimeout, match="execute did not finish within 1 s") as caught:
            package.execute("Loop", [X])
        assert caught.value.log == ("Loop: looping for ever",)
        assert not alive(package.pid)
        with pytest.raises(IsolationError, match="ran longer than 1 s"):
            package.execute("Copy", [X])


def test_keyboard_interrupt_kills_the_worker(isolated: IsolatedOpPackage) -> None:
    timer = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            isolated.execute("Loop", [X])
    finally:
        timer.cancel()
    assert not alive(isolated.pid)
    with pytest.raises(IsolationError, match="interrupted during execute"):
        isolated.execute("Copy", [X])


def test_a_dropped_package_does_not_leave_its_worker(fault_library: Path) -> None:
    package = register(str(fault_library), isolate=True)
    pid = package.pid
    del package
    assert not alive(pid)


def test_op_package_register_isolates_too(fault_library: Path) -> None:
    with OpPackage.register(str(fault_library), isolate=True) as package:
        assert isinstance(package, IsolatedOpPackage)
        assert package.info.operations[0] == "Copy"
        np.testing.assert_array_equal(package.execute("Copy", [X])[0], X)


# ---- in-process ---------------------------------------------------------------------------------


@pytest.mark.parametrize("op", IN_PROCESS_SAFE)
def test_in_process_faults_are_errors(fault_library: Path, op: str) -> None:
    kind, (fragment,) = FAULTS[op]
    with register(str(fault_library)) as package:
        with pytest.raises(kind, match=f"^FaultPkg: op {op}: ") as caught:
            package.execute(op, [X])
        assert fragment in str(caught.value)
        assert type(caught.value) is kind
        np.testing.assert_array_equal(package.execute("Copy", [X])[0], X)


def test_the_result_of_a_faulting_kernel_is_not_returned(fault_library: Path) -> None:
    given = np.full(8, 7.0, np.float32)
    with register(str(fault_library)) as package, pytest.raises(OutputOverrun):
        package.execute("Overrun64", [X], outputs=[given])
    assert (given == 7.0).all()  # the caller's array is untouched
