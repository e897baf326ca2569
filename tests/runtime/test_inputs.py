"""Hostile runtime inputs (issue 7, item 7): each is one `error:` line and exit status 1, decided
before anything is allocated; big-endian inputs are converted, unsupported dtypes refused."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import numpy.lib.format as npformat
import pytest

from opgen.runtime import OpRequestError, register
from opgen.runtime.npyfile import NpyError, load_npy
from opgen.runtime.request import MAX_OUTPUT_BYTES

OPGEN = [sys.executable, "-m", "opgen"]


def _header_only(shape: tuple[int, ...], descr: str = "<f4") -> bytes:
    """A valid .npy header claiming ``shape``, and no data."""
    path_bytes = bytearray()

    class Sink:
        def write(self, data: bytes) -> None:
            path_bytes.extend(data)

    header = {"descr": descr, "fortran_order": False, "shape": shape}
    npformat.write_array_header_1_0(Sink(), header)  # type: ignore[no-untyped-call]
    return bytes(path_bytes)


def _saved(array: np.ndarray, **kw: bool) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        with path.open("wb") as handle:
            np.save(handle, array, **kw)  # type: ignore[arg-type]

    return write


def _raw(data: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(data)


def _truncated(path: Path) -> None:
    np.save(path, np.arange(100, dtype=np.float32))
    path.write_bytes(path.read_bytes()[:-40])


#: name -> (writes the input file, fragment of the error)
BAD_INPUTS: dict[str, tuple[Callable[[Path], None], str]] = {
    "empty": (_raw(b""), "the file is empty (0 bytes), not a .npy file"),
    "3.6 TiB header": (
        _raw(_header_only((1_000_000, 1_000_000))),
        "the header claims shape (1000000, 1000000) of float32 (3.6 TiB), but the file "
        "holds 0 bytes of data (truncated or corrupt)",
    ),
    "truncated": (
        _truncated,
        "the header claims shape (100,) of float32 (400 bytes), but the file holds 360 bytes",
    ),
    "garbage header": (_raw(b"\x93NUMPY\x01\x00\x10\x00{'descr': 12}     \n"), "not a valid .npy"),
    "not npy": (_raw(b"hello, world\n"), "not a valid .npy file"),
    "npz": (
        lambda p: (
            np.savez(p.with_suffix(".npz"), a=np.ones(2))
            or p.write_bytes(p.with_suffix(".npz").read_bytes())
        ),
        "it is an .npz archive; give one .npy file per input",
    ),
    "object": (
        _saved(np.array([1, "a"], dtype=object), allow_pickle=True),
        "it holds Python objects (dtype object), not numbers",
    ),
    "structured": (
        _saved(np.zeros(3, dtype=[("a", "<f4"), ("b", "<i4")])),
        "it has a structured dtype",
    ),
    "complex": (
        _saved(np.zeros(3, np.complex64)),
        "dtype complex64 is not a tensor datatype (supported: ",
    ),
    "fifo": (os.mkfifo, "it is not a regular file (a FIFO, device or directory)"),
    "directory": (Path.mkdir, "it is not a regular file (a FIFO, device or directory)"),
    "uint32 overflow": (
        _raw(_header_only((2**33,), "|u1")),
        "dimension 8589934592 of shape (8589934592,) does not fit a uint32",
    ),
}

#: --output-spec -> fragment of the error
BAD_OUTPUT_SPECS = {
    "out[0]=float32:1000000,1000000,1000": "3.6 PiB is more than an output may take (4.0 GiB)",
    "out[0]=float32:12345678901234567890123": "dimension 12345678901234567890123 does not fit",
    "out[0]=float32:" + "9" * 5000: "is not a whole number below 2**32",
    "out[0]=float32:-1": "dimension -1 is negative",
    "out[0]=float32:1e3": "dimension '1e3' is not a whole number",
    "out[0]=complex64:4": "unsupported dtype 'complex64'",
}


def run(library: Path, tmp_path: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*OPGEN, "run", "--op_packages", str(library), "--op", "Copy", *argv],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )


def assert_error(result: subprocess.CompletedProcess[str], fragment: str) -> None:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert fragment in lines[0], lines[0]
    assert len(lines[0]) < 400  # a 5000-digit dimension is not echoed whole


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_file(fault_library: Path, tmp_path: Path, name: str) -> None:
    write, fragment = BAD_INPUTS[name]
    path = tmp_path / "in.npy"
    write(path)
    result = run(fault_library, tmp_path, "-i", str(path), "-o", "out.npz")
    assert_error(result, f"error: input '{path}': {fragment}")
    assert not (tmp_path / "out.npz").exists()


def test_missing_input_file(fault_library: Path, tmp_path: Path) -> None:
    result = run(fault_library, tmp_path, "-i", "nowhere.npy", "-o", "out.npz")
    assert_error(result, "error: cannot read input 'nowhere.npy': No such file or directory")


@pytest.mark.parametrize("spec", sorted(BAD_OUTPUT_SPECS))
def test_bad_output_spec(fault_library: Path, tmp_path: Path, spec: str) -> None:
    np.save(tmp_path / "x.npy", np.ones(4, np.float32))
    result = run(fault_library, tmp_path, "-i", "x.npy", "--output-spec", spec, "-o", "out.npz")
    assert_error(result, BAD_OUTPUT_SPECS[spec])


@pytest.mark.parametrize("mode", [[], ["--in-process"]])
def test_big_endian_input_is_converted(
    fault_library: Path, tmp_path: Path, mode: list[str]
) -> None:
    values = np.arange(6, dtype=">f4").reshape(2, 3)
    np.save(tmp_path / "big.npy", values)
    result = run(fault_library, tmp_path, "-i", "big.npy", "-o", "out.npz", *mode)
    assert result.returncode == 0, result.stderr
    with np.load(tmp_path / "out.npz") as saved:
        out = saved["out[0]"]
    assert out.dtype == np.dtype("<f4") and out.shape == (2, 3)
    np.testing.assert_array_equal(out, values)


def test_fortran_order_input_is_read_in_order(tmp_path: Path) -> None:
    values = np.asfortranarray(np.arange(6, dtype=np.int16).reshape(2, 3))
    np.save(tmp_path / "f.npy", values)
    np.testing.assert_array_equal(load_npy(tmp_path / "f.npy"), values)


def test_sizes_are_checked_before_np_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "huge.npy").write_bytes(_header_only((1_000_000, 1_000_000)))

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("np.load was reached")

    monkeypatch.setattr(np, "load", refuse)
    with pytest.raises(NpyError, match=r"3\.6 TiB"):
        load_npy(tmp_path / "huge.npy")


def test_api_refuses_a_huge_output_shape(fault_library: Path) -> None:
    with register(str(fault_library)) as package:
        with pytest.raises(OpRequestError, match=r"output 0 of shape \(1000000, 1000000\): "):
            package.execute("Copy", [np.ones(2, np.float32)], outputs=[((10**6, 10**6), "f4")])
        with pytest.raises(OpRequestError, match="does not fit a uint32"):
            package.execute("Copy", [np.ones(2, np.float32)], outputs=[((2**32,), "u1")])
    assert MAX_OUTPUT_BYTES == 4 << 30


def test_an_output_path_that_is_a_fifo_is_refused_not_opened(
    fault_library: Path, tmp_path: Path
) -> None:
    np.save(tmp_path / "in.npy", np.ones(4, np.float32))
    os.mkfifo(tmp_path / "out.npz")
    result = run(fault_library, tmp_path, "-i", "in.npy", "-o", "out.npz")
    assert_error(result, "cannot write 'out.npz': it is not a regular file")


def test_the_output_file_appears_whole_or_not_at_all(fault_library: Path, tmp_path: Path) -> None:
    np.save(tmp_path / "in.npy", np.arange(4, dtype=np.float32))
    result = run(fault_library, tmp_path, "-i", "in.npy", "-o", "out.npz")
    assert result.returncode == 0, result.stderr
    np.testing.assert_array_equal(np.load(tmp_path / "out.npz")["out[0]"], np.arange(4))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.npy", "out.npz"]  # no temporary


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("[" * 20000 + "]" * 20000, "--param p: lists nest too deeply"),
        ("9" * 5000, "is not JSON (a number, boolean, string or list) nor a bare word"),
        ("two words", "'two words' is not JSON"),
    ],
)
def test_bad_param_values(fault_library: Path, tmp_path: Path, value: str, fragment: str) -> None:
    np.save(tmp_path / "in.npy", np.ones(4, np.float32))
    result = run(fault_library, tmp_path, "-i", "in.npy", "--param", f"p={value}", "-o", "o.npz")
    assert_error(result, fragment)
