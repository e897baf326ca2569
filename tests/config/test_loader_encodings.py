"""The DOCTYPE refusal in every encoding libxml2 detects, before libxml2 parses anything; and
source positions counted the way libxml2 counts lines."""

from __future__ import annotations

from pathlib import Path

import pytest

import opgen
from opgen.config import Level, loader
from tests import factories as f

VALID = Path(__file__).resolve().parents[1] / "configs" / "valid" / "multi_a.xml"
DOCTYPE = '<!DOCTYPE OpDefCollection [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
DOCTYPE_ERROR = "DOCTYPE declarations are not allowed in OpDef configs (no DTDs, no entities)"

# (Python codec, byte-order mark written by hand or not, name in the declaration)
ENCODINGS = [
    ("utf-8", b"", "UTF-8"),
    ("utf-8", b"\xef\xbb\xbf", "UTF-8"),
    ("utf-16-le", b"", "UTF-16"),
    ("utf-16-be", b"", "UTF-16"),
    ("utf-16-le", b"\xff\xfe", "UTF-16"),
    ("utf-16-be", b"\xfe\xff", "UTF-16"),
    ("utf-32-le", b"", "UTF-32"),
    ("utf-32-be", b"", "UTF-32"),
    ("utf-32-le", b"\xff\xfe\x00\x00", "UTF-32"),
    ("utf-32-be", b"\x00\x00\xfe\xff", "UTF-32"),
    ("latin-1", b"", "ISO-8859-1"),
]
IDS = [f"{codec}{'-bom' if bom else ''}" for codec, bom, _ in ENCODINGS]


def _body() -> str:
    return VALID.read_text(encoding="utf-8").split("\n", 1)[1]


def _encoded(codec: str, bom: bytes, declared: str | None, text: str) -> bytes:
    decl = f'<?xml version="1.0" encoding="{declared}"?>\n' if declared else ""
    return bom + (decl + text).encode(codec)


@pytest.fixture
def no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    """libxml2 must not be asked to parse the file at all."""

    def refuse() -> None:
        raise AssertionError("the file reached libxml2")

    monkeypatch.setattr(loader, "_parser", refuse)


@pytest.mark.usefixtures("no_parsing")
@pytest.mark.parametrize("declare", [True, False], ids=["declared", "undeclared"])
@pytest.mark.parametrize(("codec", "bom", "name"), ENCODINGS, ids=IDS)
def test_a_doctype_is_refused_before_parsing_in_every_encoding(
    tmp_path: Path, codec: str, bom: bytes, name: str, declare: bool
) -> None:
    path = tmp_path / "dtd.xml"
    path.write_bytes(_encoded(codec, bom, name if declare else None, DOCTYPE + _body()))
    result = opgen.validate_configs([path])
    (error,) = [d for d in result.diagnostics if d.level is Level.ERROR]
    assert (error.line, error.column, error.message) == (2 if declare else 1, 1, DOCTYPE_ERROR)


@pytest.mark.parametrize(("codec", "bom", "name"), ENCODINGS, ids=IDS)
def test_a_valid_config_loads_in_every_accepted_encoding(
    tmp_path: Path, codec: str, bom: bytes, name: str
) -> None:
    path = tmp_path / "ok.xml"
    path.write_bytes(_encoded(codec, bom, name, _body()))
    result = opgen.validate_configs([path])
    assert result.ok, result.diagnostics


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\u0085", "\r"])
def test_positions_follow_libxml2_line_counting(tmp_path: Path, separator: str) -> None:
    """A separator libxml2 does not count as a line end (in a comment and in text) moves no
    later diagnostic: its line is libxml2's, and its column is found on that line."""
    op = f.op(
        "Op",
        params=[f.param("p", "QNN_DATATYPE_INT_8", mandatory=False, default="300")],
    ).replace("test op", f"test{separator}op")
    text = f.config("P", [op]).replace("<OpDefList>", f"<!-- a{separator}b -->\n<OpDefList>")
    path = f.write(tmp_path, "lines.xml", text)
    (error,) = opgen.validate_configs([path]).diagnostics
    lines = text.split("\n")
    line = next(i for i, t in enumerate(lines, 1) if "<Default>" in t)
    assert (error.line, error.column) == (line, lines[line - 1].index("<Default>") + 1)
