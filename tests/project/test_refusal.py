"""`opgen new` refuses what it must, and never deletes or replaces what it did not create."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from opgen.project import create
from opgen.project.config_xml import starter_config
from opgen.project.spec import make_spec
from tests.project.harness import opgen_new, project_files, tree


def _user_directory(root: Path) -> Path:
    directory = root / "mine"
    (directory / "tests").mkdir(parents=True)
    (directory / "README.md").write_text("my own readme\n")
    (directory / "notes.txt").write_text("notes\n")
    (directory / "tests" / "test_mine.py").write_text("def test_mine():\n    pass\n")
    return directory


def test_refuses_a_directory_that_is_not_empty(tmp_path: Path) -> None:
    directory = _user_directory(tmp_path)
    before = tree(directory)
    result = opgen_new(tmp_path, "mine", "--no-input")
    assert result.returncode == 1
    assert result.stderr == (
        "error: 'mine' exists and is not empty; use --force to add the project's files to it "
        "(files already there are kept, none is deleted)\n"
    )
    assert tree(directory) == before
    assert [p.name for p in tmp_path.iterdir()] == ["mine"]


def test_force_adds_the_project_and_keeps_every_file_there(tmp_path: Path) -> None:
    directory = _user_directory(tmp_path)
    before = tree(directory)
    result = opgen_new(tmp_path, "mine", "--no-input", "--force", "--package", "P")
    assert result.returncode == 0, result.stderr
    assert "kept mine/README.md (it was there already)" in result.stderr
    after = tree(directory)
    assert {k: after[k] for k in before} == before  # the user's files, byte for byte
    assert set(after) == set(before) | project_files("P")
    assert [p.name for p in tmp_path.iterdir()] == ["mine"]


def test_an_empty_directory_needs_no_force(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = opgen_new(tmp_path, "empty", "--no-input", "--package", "P")
    assert result.returncode == 0, result.stderr
    assert set(tree(tmp_path / "empty")) == project_files("P")


def test_a_file_where_the_project_needs_a_directory_is_refused(tmp_path: Path) -> None:
    directory = tmp_path / "mine"
    directory.mkdir()
    (directory / "tests").write_text("a file called tests\n")
    before = tree(directory)
    result = opgen_new(tmp_path, "mine", "--no-input", "--force")
    assert result.returncode == 1
    assert "error: 'mine/tests' exists and is not a directory" in result.stderr
    assert tree(directory) == before


def test_a_symlinked_directory_is_not_written_through(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    directory = tmp_path / "mine"
    directory.mkdir()
    (directory / "tests").symlink_to(outside)
    result = opgen_new(tmp_path, "mine", "--no-input", "--force")
    assert result.returncode == 1
    assert list(outside.iterdir()) == []
    assert [p.name for p in directory.iterdir()] == ["tests"]


def test_target_that_is_a_file_or_lacks_a_parent(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    result = opgen_new(tmp_path, "f", "--no-input")
    assert (result.returncode, result.stderr) == (1, "error: 'f' exists and is not a directory\n")
    result = opgen_new(tmp_path, "no/such/p", "--no-input")
    assert result.returncode == 1
    assert result.stderr == "error: the parent directory of 'no/such/p' does not exist\n"
    assert [p.name for p in tmp_path.iterdir()] == ["f"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--package", "int"], "error: --package 'int': the package name is a C/C++ keyword"),
        (["--package", "My Ops"], "error: --package 'My Ops': the package name is not a valid"),
        (["--op", "a-b"], "error: --op 'a-b': the op name is not a valid C/C++ identifier"),
        (["--op", "OPGEN_X"], "error: --op 'OPGEN_X': the op name is reserved for macros"),
        (["--op", "Scale,scale"], "error: --op 'scale': the op name is given twice (as 'Scale'"),
        (["--package", "P", "--op", "P"], "error: --op 'P': the op name is the package's name"),
        (["--op", "x" * 300], "file names are limited to 255 bytes"),
        (["--backend", "TPU"], "error: --backend 'TPU': not a backend a project can target"),
        (["--op", " , "], "error: --op: name at least one op"),
    ],
)
def test_bad_names_write_nothing(tmp_path: Path, options: list[str], message: str) -> None:
    result = opgen_new(tmp_path, "p", "--no-input", *options)
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_every_bad_name_is_reported_at_once(tmp_path: Path) -> None:
    result = opgen_new(tmp_path, "p", "--no-input", "--package", "int", "--op", "1x",
                       "--backend", "TPU")  # fmt: skip
    assert result.returncode == 1
    assert [line.split(":")[1] for line in result.stderr.splitlines()] == [
        " --package 'int'",
        " --backend 'TPU'",
        " --op '1x'",
    ]


def test_a_failure_midway_removes_only_what_this_run_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = _user_directory(tmp_path)
    before = tree(directory)
    spec = make_spec("P", ["Op"], ["CPU"], "elementwise")
    links = []
    real_link = os.link

    def failing_link(source: str | Path, target: str | Path) -> None:
        links.append(target)
        if len(links) == 4:  # a disk that fills up after three files
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_link(source, target)

    monkeypatch.setattr(create.os, "link", failing_link)
    with pytest.raises(create.ProjectError, match="No space left on device"):
        create.create_project(
            directory, starter_config(spec), {}, shape="elementwise", project="mine", force=True
        )
    assert len(links) == 4
    assert tree(directory) == before
    assert sorted(p.relative_to(directory).as_posix() for p in directory.rglob("*")) == [
        "README.md", "notes.txt", "tests", "tests/test_mine.py",
    ]  # fmt: skip
    assert [p.name for p in tmp_path.iterdir()] == ["mine"]
