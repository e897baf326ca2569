"""The compiled-template cache (opgen/template_cache.py): same bytes with it, without it, and
whatever state it is in; never stale; never used when it is not a private directory of ours."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from opgen.render import make_environment
from opgen.template_cache import DirectoryCache
from tests import factories as f

CONFIG = f.config("CachePkg", [f.op("Cached", params=[f.param("alpha", default="1.0")])])


def _generate(
    config: Path, out: Path, cache_home: Path | None, **env: str
) -> subprocess.Popen[str]:
    environ = {k: v for k, v in os.environ.items() if k != "XDG_CACHE_HOME"}
    if cache_home is not None:
        environ["XDG_CACHE_HOME"] = str(cache_home)
    environ.update(env)
    return subprocess.Popen(
        [sys.executable, "-m", "opgen", "generate", str(config), "-o", str(out)],
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _run(config: Path, out: Path, cache_home: Path | None, **env: str) -> dict[str, bytes]:
    proc = _generate(config, out, cache_home, **env)
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 0, stderr
    return _tree(out / "CachePkg")


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".opgen" not in p.parts
    }


def _entries(cache_home: Path) -> list[Path]:
    return sorted((cache_home / "opgen" / "templates").glob("*/*.jbc"))


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cache-config") / "CachePkg.xml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def uncached(config: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("uncached")
    tree = _run(config, out, None, OPGEN_TEMPLATE_CACHE="off")
    assert tree  # the package is there
    return tree


def test_cold_and_warm_runs_write_the_bytes_of_an_uncached_run(
    config: Path, uncached: dict[str, bytes], tmp_path: Path
) -> None:
    home = tmp_path / "cache"
    assert _run(config, tmp_path / "cold", home) == uncached
    entries = _entries(home)
    assert entries  # the cold run filled the cache
    stamps = {p: p.stat().st_mtime_ns for p in entries}
    assert _run(config, tmp_path / "warm", home) == uncached
    assert {p: p.stat().st_mtime_ns for p in _entries(home)} == stamps  # read, not rewritten
    assert oct((home / "opgen" / "templates").stat().st_mode & 0o777) == "0o700"


def test_damaged_entries_are_compiled_again_and_replaced(
    config: Path, uncached: dict[str, bytes], tmp_path: Path
) -> None:
    home = tmp_path / "cache"
    _run(config, tmp_path / "first", home)
    entries = _entries(home)
    for n, entry in enumerate(entries):  # truncated, empty, garbage
        data = entry.read_bytes()
        entry.write_bytes([data[: len(data) // 2], b"", b"\x00garbage" * 10][n % 3])
    assert _run(config, tmp_path / "second", home) == uncached
    assert all(p.stat().st_size > 100 for p in _entries(home))


def test_concurrent_cold_runs_agree(
    config: Path, uncached: dict[str, bytes], tmp_path: Path
) -> None:
    home = tmp_path / "cache"
    procs = [_generate(config, tmp_path / f"out{i}", home) for i in range(3)]
    for proc in procs:
        _, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 0, stderr
    for i in range(3):
        assert _tree(tmp_path / f"out{i}" / "CachePkg") == uncached
    leftovers = [p for p in (home / "opgen" / "templates").rglob("*") if p.name.startswith(".")]
    assert leftovers == []  # temporary files were renamed into place


@pytest.mark.parametrize("state", ["a file", "group-writable", "a link"])
def test_an_unusable_cache_directory_is_not_used(
    state: str, config: Path, uncached: dict[str, bytes], tmp_path: Path
) -> None:
    home = tmp_path / "cache"
    elsewhere = tmp_path / "elsewhere"
    if state == "a file":
        home.write_text("not a directory")
    elif state == "group-writable":
        (home / "opgen" / "templates").mkdir(parents=True)
        (home / "opgen" / "templates").chmod(0o770)
    else:
        elsewhere.mkdir()
        (home / "opgen").mkdir(parents=True)
        (home / "opgen" / "templates").symlink_to(elsewhere)
    assert _run(config, tmp_path / "out", home) == uncached
    if state != "a file":
        assert list((home / "opgen" / "templates").rglob("*.jbc")) == []
    if elsewhere.exists():
        assert list(elsewhere.rglob("*")) == []


def test_a_relative_xdg_cache_home_is_ignored(
    config: Path, uncached: dict[str, bytes], tmp_path: Path
) -> None:
    # The XDG spec: a relative value is invalid. opgen then uses ~/.cache, never a directory
    # relative to where it runs.
    work = tmp_path / "work"
    work.mkdir()
    home = tmp_path / "home"
    proc = subprocess.run(
        [sys.executable, "-m", "opgen", "generate", str(config), "-o", str(tmp_path / "out")],
        env={**os.environ, "XDG_CACHE_HOME": "relative-cache", "HOME": str(home)},
        cwd=work,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert _tree(tmp_path / "out" / "CachePkg") == uncached
    assert list(work.iterdir()) == []
    assert list((home / ".cache" / "opgen" / "templates").glob("*/*.jbc"))


def test_an_edited_template_is_never_served_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    overrides = tmp_path / "templates"
    overrides.mkdir()
    template = overrides / "probe.txt.j2"
    template.write_text("first {{ ctx }}\n")
    env = make_environment([overrides])
    assert isinstance(env.bytecode_cache, DirectoryCache)
    assert env.get_template("probe.txt.j2").render(ctx=1) == "first 1\n"
    # Same size, same name, same mtime granularity: only the checksum tells them apart.
    template.write_text("other {{ ctx }}\n")
    assert make_environment([overrides]).get_template("probe.txt.j2").render(ctx=2) == "other 2\n"


def test_an_unreadable_cache_falls_back_in_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    env = make_environment()
    assert isinstance(env.bytecode_cache, DirectoryCache)
    # The directory vanishes under a running generation: a miss, then a failed dump, no error.
    directory = env.bytecode_cache.directory
    for entry in directory.iterdir():
        entry.unlink()
    directory.rmdir()
    assert env.loader is not None
    name = next(n for n in env.loader.list_templates() if n.endswith(".j2"))
    assert env.get_template(name).render is not None  # compiled, not read from the cache
    assert not directory.exists()  # and nothing was re-created
