"""HTP outputs are guarded as CPU and GPU outputs are: 128-byte aligned, the padding to whole
vectors writable, a write beyond it or before the start an OutputOverrun, an output left
unwritten an OutputUnwritten, with the CPU/GPU wording, in-process and isolated; the caller's
arrays receive nothing unless the checks pass."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from opgen.runtime import OutputOverrun, OutputUnwritten, register
from opgen.runtime.errors import OutputCheckError
from tests.htp import htppkg

FAULTS: list[tuple[str, tuple[int, ...], type[OutputCheckError], str]] = [
    # 12 bytes in a 128-byte vector: byte 128 + 7 is the 124th after the output.
    (
        "PastPadding",
        (1, 3),
        OutputOverrun,
        "execute wrote past the end of output 0 (12 bytes): at least 124 byte(s) after it "
        "changed (the result is discarded)",
    ),
    # Exactly one vector: no padding, so byte 128 + 7 is the 8th after the output.
    (
        "PastPadding",
        (4, 8),
        OutputOverrun,
        "execute wrote past the end of output 0 (128 bytes): at least 8 byte(s) after it "
        "changed (the result is discarded)",
    ),
    (
        "BeforeStart",
        (1, 3),
        OutputOverrun,
        "execute wrote before the start of output 0: 4 byte(s) before it changed (the result "
        "is discarded)",
    ),
    (
        "Unwritten",
        (2, 5),
        OutputUnwritten,
        "execute returned success but left output 0 unwritten (it still holds the fill "
        "pattern 0xA5 in every byte)",
    ),
]


@pytest.fixture(params=["in-process", "isolated"], scope="module")
def package(request: pytest.FixtureRequest, htp_library: Path) -> Iterator[Any]:
    with register(htppkg.spec(htp_library), isolate=request.param == "isolated") as registered:
        yield registered


@pytest.mark.parametrize(("op", "shape", "kind", "message"), FAULTS)
def test_a_faulty_output_is_reported_and_discarded(
    package: Any, op: str, shape: tuple[int, ...], kind: type[OutputCheckError], message: str
) -> None:
    x = np.arange(np.prod(shape), dtype=np.float32).reshape(shape) + 1
    given = np.full(shape, 7.0, np.float32)
    with pytest.raises(kind, match=f"^TestHtpPkg: op {op}: {re.escape(message)}") as caught:
        package.execute(op, [x], outputs=[given])
    assert (caught.value.package, caught.value.op, caught.value.stage) == (
        "TestHtpPkg",
        op,
        "execute",
    )
    assert (given == 7.0).all()  # nothing reached the caller's array


@pytest.mark.parametrize("shape", [(1, 3), (4, 8), (3, 50)])
def test_whole_vector_stores_into_the_padding_are_accepted(
    package: Any, shape: tuple[int, ...]
) -> None:
    x = np.arange(np.prod(shape), dtype=np.float32).reshape(shape) - 5
    (y,) = package.execute("VectorStore", [x])
    np.testing.assert_array_equal(y, x)


def test_outputs_stay_aligned_and_guards_are_rearmed(package: Any) -> None:
    x = np.arange(7, dtype=np.float32).reshape(1, 7)
    (y,) = package.execute("Aligned", [x])  # fails unless the output is 128-byte aligned
    np.testing.assert_array_equal(y, x)
    with pytest.raises(OutputOverrun):
        package.execute("PastPadding", [x])
    (y,) = package.execute("VectorStore", [x])  # the next call is not blamed for the last
    np.testing.assert_array_equal(y, x)


def test_opgen_run_reports_an_overrun_in_one_line(htp_library: Path, tmp_path: Path) -> None:
    np.save(tmp_path / "x.npy", np.ones((1, 3), np.float32))
    result = subprocess.run(
        [sys.executable, "-m", "opgen", "run", "--op_packages", htppkg.spec(htp_library),
         "--op", "PastPadding", "-i", str(tmp_path / "x.npy"), "-o", str(tmp_path / "y.npz")],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 1, (result.stdout, result.stderr)
    # The hand-written test package has no OpDef configs: that warning, then the one error line.
    warning, *lines = result.stderr.splitlines()
    assert warning.startswith("warning: no OpDef configs found for "), result.stderr
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(
        "error: TestHtpPkg: op PastPadding: execute wrote past the end of output 0 (12 bytes): "
        "at least 124 byte(s) after it changed"
    ), lines[0]
    assert not (tmp_path / "y.npz").exists()
