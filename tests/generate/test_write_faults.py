"""An unusable output tree is a one-line `error:` naming the file it is about (never opgen's
staging or a temp file), exit 1, and the old package exactly as it was: full and read-only file
systems, a file where a directory goes, names too long, FIFOs, links, huge files, failing -f runs.

Root ignores permission bits, so as root (CI) read-only and full output directories are real
tmpfs mounts (remounted read-only, or too small); without root the permission case uses chmod.
"""

from __future__ import annotations

import os
import stat
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from opgen.render import Owner, RenderedFile
from opgen.writer import WriteError, write_package
from tests.generate.txn_harness import (
    assert_clean_error,
    directories,
    leftovers,
    ops_config,
    run,
    snapshot,
    write_config,
)

PACKAGE = "Faulty"
Mount = Callable[..., Path]


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Mount]:
    """Mount small tmpfs file systems (root only), unmounted after the test."""
    mounted: list[Path] = []

    def mount(name: str, size: str = "1m") -> Path:
        if os.geteuid() != 0:
            pytest.skip("a real full or read-only file system needs root (to mount a tmpfs)")
        target = tmp_path / name
        target.mkdir()
        result = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(target)],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")
        mounted.append(target)
        return target

    yield mount
    for target in reversed(mounted):
        subprocess.run(["umount", "-l", str(target)], capture_output=True)


@pytest.fixture
def configs(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A small package's config, a changed one, and a big one (300 ops, about 3 MB)."""
    small = write_config(tmp_path / "small", ops_config(PACKAGE, 2, "old"))
    changed = write_config(tmp_path / "changed", ops_config(PACKAGE, 2, "new"))
    big = write_config(tmp_path / "big", ops_config(PACKAGE, 300, "old"))
    return small, changed, big


def generated(config: Path, out: Path) -> Path:
    result = run("-p", config, "-o", out)
    assert result.returncode == 0, result.stderr
    return out / PACKAGE


def assert_untouched(package: Path, before: dict[str, bytes | str], dirs: set[str]) -> None:
    assert snapshot(package) == before
    assert directories(package) == dirs
    assert leftovers(package) == []


def test_a_full_disk_keeps_the_old_package(tmpfs: Mount, configs: tuple[Path, Path, Path]) -> None:
    small, _, big = configs
    package = generated(small, tmpfs("full"))
    before, dirs = snapshot(package), directories(package)
    result = run("-p", big, "-o", package.parent)
    (error,) = assert_clean_error(result, package)
    assert error.startswith(f"error: cannot write {package}/") and "No space left" in error
    assert_untouched(package, before, dirs)


def test_a_full_disk_on_a_first_generation_leaves_nothing(
    tmpfs: Mount, configs: tuple[Path, Path, Path]
) -> None:
    out = tmpfs("empty")
    result = run("-p", configs[2], "-o", out)
    (error,) = assert_clean_error(result, out / PACKAGE)
    assert "No space left on device" in error
    assert list(out.iterdir()) == []


def test_a_read_only_file_system_keeps_the_old_package(
    tmpfs: Mount, configs: tuple[Path, Path, Path]
) -> None:
    small, changed, _ = configs
    mount = tmpfs("ro", "4m")
    package = generated(small, mount)
    before, dirs = snapshot(package), directories(package)
    subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
    (error,) = assert_clean_error(run("-p", changed, "-o", mount), package)
    assert "Read-only file system" in error
    assert_untouched(package, before, dirs)


def test_a_directory_without_write_permission_keeps_the_old_package(
    tmp_path: Path, configs: tuple[Path, Path, Path]
) -> None:
    if os.geteuid() == 0:
        pytest.skip("root ignores permission bits (the read-only tmpfs test covers this case)")
    small, changed, _ = configs
    package = generated(small, tmp_path / "out")
    before, dirs = snapshot(package), directories(package)
    for directory in [package, *(package / d for d in dirs)]:
        directory.chmod(0o555)
    try:
        (error,) = assert_clean_error(run("-p", changed, "-o", package.parent), package)
        assert "Permission denied" in error
    finally:
        for directory in [package, *(package / d for d in dirs)]:
            directory.chmod(0o755)
    assert_untouched(package, before, dirs)


def test_a_file_where_a_directory_goes(tmp_path: Path, configs: tuple[Path, Path, Path]) -> None:
    small, changed, _ = configs
    package = generated(small, tmp_path / "out")
    blocker = package / "include" / "ops"
    for child in blocker.iterdir():
        child.unlink()
    blocker.rmdir()
    blocker.write_text("not a directory\n")
    before, dirs = snapshot(package), directories(package)
    errors = assert_clean_error(run("-p", changed, "-o", package.parent), blocker / "Op1.hpp")
    assert f"Not a directory ({blocker} is a regular file)" in errors[0]
    assert_untouched(package, before, dirs)


@pytest.mark.parametrize("shape", ["long-name", "long-path"])
def test_an_output_path_too_long_is_named_and_leaves_nothing(
    tmp_path: Path, configs: tuple[Path, Path, Path], shape: str
) -> None:
    parts = ["x" * 300] if shape == "long-name" else ["d" * 250] * 17  # > NAME_MAX, > PATH_MAX
    out = tmp_path.joinpath("long", *parts)
    (error,) = assert_clean_error(run("-p", configs[0], "-o", out), out / PACKAGE)
    assert "File name too long" in error
    assert not (tmp_path / "long").exists()


def test_a_file_name_too_long_is_found_before_anything_is_written(tmp_path: Path) -> None:
    package = tmp_path / PACKAGE
    files = [
        RenderedFile("Makefile", b"all:\n", Owner.OPGEN),
        RenderedFile(f"src/ops/{'n' * 256}.cpp", b"// op\n", Owner.USER),
    ]
    with pytest.raises(WriteError, match="File name too long") as caught:
        write_package(package, files)
    assert str(package / "src" / "ops" / ("n" * 256)) in str(caught.value)
    assert not package.exists()


def test_fifos_in_the_output_tree_are_refused_without_being_opened(
    tmp_path: Path, configs: tuple[Path, Path, Path]
) -> None:
    small, changed, _ = configs
    package = generated(small, tmp_path / "out")
    fifos = [package / "src" / "ops" / "Op1.cpp", package / "include" / "ops" / "Op1.hpp"]
    for fifo in fifos:
        fifo.unlink()
        os.mkfifo(fifo)
    before, dirs = snapshot(package), directories(package)
    result = run("-p", changed, "-o", package.parent, timeout=120)  # the old writer hung here
    errors = assert_clean_error(result, *fifos)
    assert all("it is a FIFO, not a regular file" in e for e in errors), errors
    assert_untouched(package, before, dirs)
    assert all(stat.S_ISFIFO(os.lstat(fifo).st_mode) for fifo in fifos)

    manifest = package / ".opgen" / "manifest.json"
    manifest.unlink()
    os.mkfifo(manifest)
    (error,) = assert_clean_error(run("-p", small, "-o", package.parent, timeout=120), manifest)
    assert "not a regular file" in error


def test_a_link_at_a_generated_file_is_refused_and_not_followed(
    tmp_path: Path, configs: tuple[Path, Path, Path]
) -> None:
    small, changed, _ = configs
    package = generated(small, tmp_path / "out")
    outside = tmp_path / "precious.txt"
    outside.write_text("keep me\n")
    link = package / "include" / "ops" / "Op1.hpp"
    link.unlink()
    link.symlink_to(outside)
    before, dirs = snapshot(package), directories(package)
    (error,) = assert_clean_error(run("-p", changed, "-o", package.parent, "-f"), link)
    assert "it is a symbolic link, not a regular file" in error
    assert outside.read_text() == "keep me\n"
    assert_untouched(package, before, dirs)


def test_a_failing_forced_run_keeps_libs_obj_and_edits(
    tmp_path: Path, configs: tuple[Path, Path, Path]
) -> None:
    small, changed, _ = configs
    package = generated(small, tmp_path / "out")
    (package / "libs" / "x86_64-linux-clang").mkdir(parents=True)
    (package / "libs" / "x86_64-linux-clang" / f"lib{PACKAGE}.so").write_bytes(b"\0lib")
    (package / "obj").mkdir()
    (package / "obj" / "Op1.o").write_bytes(b"\0obj")
    kernel = package / "src" / "ops" / "Op1.cpp"
    kernel.write_text("// my kernel\n")
    fifo = package / "include" / "ops" / "Op1.hpp"
    fifo.unlink()
    os.mkfifo(fifo)
    before, dirs = snapshot(package), directories(package)
    assert_clean_error(run("-p", changed, "-o", package.parent, "-f", timeout=120), fifo)
    assert_untouched(package, before, dirs)
    assert not (package / ".opgen" / "backup").exists()


@pytest.mark.parametrize("owner", ["user", "opgen"])
def test_a_huge_file_is_compared_without_being_read_whole(
    tmp_path: Path, configs: tuple[Path, Path, Path], owner: str
) -> None:
    small = configs[0]
    package = generated(small, tmp_path / "out")
    relpath = "src/ops/Op1.cpp" if owner == "user" else "include/ops/Op1.hpp"
    huge = package / relpath
    with huge.open("r+b") as handle:  # sparse: 2 GiB that take no disk space
        handle.truncate(2 << 30)
    result = run("-p", small, "-o", package.parent, memory_limit=768 << 20)
    if owner == "user":  # kept as it is: different, and the user's
        assert result.returncode == 0, result.stderr
        assert "1 user-owned kept" in result.stdout
    else:  # an edited opgen-owned file: refused, after a chunked hash
        assert_clean_error(result, relpath)
    assert huge.stat().st_size == 2 << 30
    assert leftovers(package) == []
