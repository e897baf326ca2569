"""The guarded output buffers behind the runtime's overrun and unwritten-output checks."""

from __future__ import annotations

import numpy as np
import pytest

from opgen.runtime.errors import OutputOverrun, OutputUnwritten
from opgen.runtime.guard import FILL_BYTE, GuardedOutput


def guarded(shape: tuple[int, ...] = (3, 4), guard_bytes: int = 64) -> GuardedOutput:
    """A guard armed as an executor arms it before running the kernel."""
    guard = GuardedOutput(shape, np.dtype(np.int32), guard_bytes)
    guard.arm()
    return guard


def check(guard: GuardedOutput) -> None:
    guard.check(package="P", op="O", index=1, name="values")


def test_the_body_is_the_output_in_the_middle() -> None:
    guard = guarded()
    assert guard.body.shape == (3, 4) and guard.body.dtype == np.int32
    assert guard.body.ctypes.data == guard.raw.ctypes.data + 64
    assert guard.raw.nbytes == 48 + 2 * 64
    assert (guard.raw[64 : 64 + 48] == FILL_BYTE).all()


def test_a_written_output_passes() -> None:
    guard = guarded()
    guard.body[:] = 7
    check(guard)


def test_one_written_byte_is_written() -> None:
    guard = guarded()
    guard.raw[64 + 47] = 0  # the very last byte
    check(guard)


def test_an_unwritten_output_is_reported() -> None:
    guard = guarded()
    with pytest.raises(OutputUnwritten, match=r"^P: op O: execute returned success but left ") as e:
        check(guard)
    assert "output 1 'values' unwritten" in str(e.value)


def test_an_empty_output_is_never_unwritten() -> None:
    check(guarded((0, 4)))


@pytest.mark.parametrize("offset", [0, 10, 63])
def test_a_write_past_the_end_is_reported(offset: int) -> None:
    guard = guarded()
    guard.body[:] = 1
    guard.raw[64 + 48 + offset] ^= 0xFF
    with pytest.raises(OutputOverrun, match=r"past the end of output 1 'values' \(48 bytes\)") as e:
        check(guard)
    assert f"at least {offset + 1} byte(s) after it changed" in str(e.value)


@pytest.mark.parametrize("offset", [1, 17, 64])
def test_a_write_before_the_start_is_reported(offset: int) -> None:
    guard = guarded()
    guard.body[:] = 1
    guard.raw[64 - offset] ^= 0xFF
    with pytest.raises(OutputOverrun, match=f"before the start of output 1 'values': {offset} "):
        check(guard)


def test_arm_restores_canaries_and_fill() -> None:
    guard = guarded()
    guard.raw[:] = 0
    guard.arm()
    with pytest.raises(OutputUnwritten):
        check(guard)
    guard.body[:] = 3
    check(guard)


def aligned(shape: tuple[int, ...] = (3,), guard_bytes: int = 100) -> GuardedOutput:
    guard = GuardedOutput(shape, np.dtype(np.int32), guard_bytes, align=128)
    guard.arm()
    return guard


@pytest.mark.parametrize(
    ("shape", "writable"), [((3,), 128), ((32,), 128), ((33,), 256), ((0,), 128)]
)
def test_an_aligned_body_starts_on_a_block_and_owns_its_padding(
    shape: tuple[int, ...], writable: int
) -> None:
    guard = aligned(shape)
    assert guard.guard_bytes == 128  # 100 rounded up to whole blocks keeps the body aligned
    assert guard.writable.ctypes.data % 128 == 0 and guard.body.shape == shape
    if guard.nbytes:  # (numpy gives an empty array no meaningful address)
        assert guard.body.ctypes.data == guard.writable.ctypes.data
    assert guard.writable.size == writable and (guard.writable == FILL_BYTE).all()
    assert guard.raw.nbytes == writable + 2 * 128


def test_writes_into_the_padding_are_allowed() -> None:
    guard = aligned()
    guard.writable[:] = 0  # the output and the rest of its vector
    check(guard)


def test_padding_alone_does_not_count_as_written() -> None:
    guard = aligned()
    guard.writable[12:] = 0
    with pytest.raises(OutputUnwritten, match="left output 1 'values' unwritten"):
        check(guard)


@pytest.mark.parametrize(("offset", "after"), [(0, 117), (5, 122)])
def test_a_write_past_the_padding_counts_from_the_output_end(offset: int, after: int) -> None:
    guard = aligned()
    guard.body[:] = 1
    guard.raw[128 + 128 + offset] ^= 0xFF
    pattern = rf"past the end of output 1 'values' \(12 bytes\): at least {after} byte\(s\) after"
    with pytest.raises(OutputOverrun, match=pattern):
        check(guard)


def test_a_write_before_an_aligned_start_is_reported() -> None:
    guard = aligned()
    guard.body[:] = 1
    guard.raw[127] ^= 0xFF
    with pytest.raises(OutputOverrun, match="before the start of output 1 'values': 1 byte"):
        check(guard)


def test_align_must_be_a_power_of_two() -> None:
    with pytest.raises(ValueError, match="power of two"):
        GuardedOutput((3,), np.dtype(np.int32), align=96)
