"""Templates reach free text only through an escaping filter that fits the file they write.

Free-text fields are found from the context dataclasses' type hints (every field typed
`FreeText`), so a new field is covered as soon as it is declared that way; a template that
interpolates one raw, launders it through another filter, or reads `.raw` fails here, before
any config exercises the branch. At render time the environment refuses raw free text too.
"""

from __future__ import annotations

import dataclasses
import inspect
import typing
from collections.abc import Iterator
from pathlib import Path

import pytest
from jinja2 import nodes

from opgen import escaping
from opgen.backends import common, cpu, gpu, htp, htp_defaults, htp_signature, opencl, typed_view
from opgen.escaping import FreeText, UnescapedTextError
from opgen.render import Owner, PlannedFile, make_environment, render
from opgen.resources import templates_dir

BACKEND_MODULES = (common, cpu, gpu, htp, htp_defaults, htp_signature, opencl, typed_view)

# Which escapers fit which generated file (by the template's file name).
C_FAMILY = {"c_comment", "c_block_comment", "c_string"}
FITTING = {
    ".cpp.j2": C_FAMILY,
    ".hpp.j2": C_FAMILY,
    ".cl.j2": {"opencl_comment"},
    ".mk.j2": {"make_comment"},
    "Makefile.j2": {"make_comment"},
    "Makefile.linux-x86_64.j2": {"make_comment"},
    "CMakeLists.txt.j2": {"cmake_comment"},
    ".md.j2": {
        "markdown",
        "markdown_code",
    },  # opgen docs (scanned with its own context in tests/docs)
    ".html.j2": {"html"},
}


def free_text_fields() -> set[str]:
    fields = set()
    for module in BACKEND_MODULES:
        for _, cls in inspect.getmembers(module, dataclasses.is_dataclass):
            hints = typing.get_type_hints(cls)
            for field in dataclasses.fields(cls):
                if FreeText in {hints[field.name], *typing.get_args(hints[field.name])}:
                    fields.add(field.name)
    return fields


def fitting_filters(template: str) -> set[str]:
    for suffix, filters in FITTING.items():
        if template.endswith(suffix):
            return filters
    raise AssertionError(f"{template}: unknown kind of file; add it to FITTING")


def problems(source: str, template: str, fields: set[str]) -> Iterator[str]:
    env = make_environment()
    tree = env.parse(source)
    allowed = fitting_filters(template)
    escaped: set[int] = set()
    for node in tree.find_all(nodes.Filter):
        if node.name in escaping.ESCAPERS and node.node is not None:
            if node.name not in allowed and isinstance(node.node, nodes.Getattr):
                yield f"line {node.lineno}: '{node.name}' does not fit {template}"
            escaped.add(id(node.node))
    for node in tree.find_all(nodes.Getattr):
        if node.attr == "raw":
            yield f"line {node.lineno}: reads .raw, which bypasses escaping"
        elif node.attr in fields and id(node) not in escaped:
            yield f"line {node.lineno}: free text '{node.attr}' without an escaping filter"


def all_templates() -> list[Path]:
    return sorted(templates_dir().rglob("*.j2"))


def test_the_contexts_declare_free_text() -> None:
    # Not vacuous: these are the fields that carry labels, defaults and file names today.
    assert {"banner", "label", "summary", "description", "note"} <= free_text_fields()


@pytest.mark.parametrize("path", all_templates(), ids=lambda p: p.name)
def test_every_template_escapes_free_text(path: Path) -> None:
    name = path.relative_to(templates_dir()).as_posix()
    found = list(problems(path.read_text(encoding="utf-8"), name, free_text_fields()))
    assert not found, f"{name}:\n" + "\n".join(found)


@pytest.mark.parametrize(
    ("source", "template", "message"),
    [
        ("// {{ ctx.banner }}", "cpu/X.cpp.j2", "free text 'banner' without"),
        ("// {{ c.label | lower }}", "cpu/X.hpp.j2", "free text 'label' without"),
        ("// {{ p.summary ~ '' }}", "cpu/X.hpp.j2", "free text 'summary' without"),
        ("// {{ p.summary.raw }}", "cpu/X.hpp.j2", "reads .raw"),
        ("# {{ ctx.banner | c_comment }}", "gpu/Kernels.mk.j2", "'c_comment' does not fit"),
        ("// {{ a.description | c_comment }}", "gpu/K.cl.j2", "'c_comment' does not fit"),
        ("  // {{ a.note }}", "htp/OpSource.cpp.j2", "free text 'note' without"),
        ("# {{ ctx.banner }}", "htp/Makefile.j2", "free text 'banner' without"),
    ],
)
def test_the_scan_catches_a_regression(source: str, template: str, message: str) -> None:
    assert any(message in p for p in problems(source, template, free_text_fields()))


@dataclasses.dataclass(frozen=True)
class _Ctx:
    text: FreeText


@pytest.mark.parametrize(
    "source",
    [
        "// {{ ctx.text }}",
        "// {{ ctx.text | lower }}",
        "// {{ ctx.text ~ '' }}",
        "{{ ctx.text|e }}",
    ],
)
def test_rendering_refuses_raw_free_text(source: str, tmp_path: Path) -> None:
    (tmp_path / "t.j2").write_text(source, encoding="utf-8")
    planned = PlannedFile("t", Owner.OPGEN, "t.j2", _Ctx(FreeText("a\nb")))
    with pytest.raises(UnescapedTextError, match=r"t\.j2: free text 'a\\nb'"):
        render([planned], make_environment([tmp_path]))


def test_rendering_escapes_through_the_filters(tmp_path: Path) -> None:
    (tmp_path / "t.j2").write_text("// {{ ctx.text | c_comment }}\n", encoding="utf-8")
    planned = PlannedFile("t", Owner.OPGEN, "t.j2", _Ctx(FreeText("a\nb\\")))
    (out,) = render([planned], make_environment([tmp_path]))
    assert out.content == b"// a\\nb\\x5C\n"


def test_every_escaper_is_a_filter() -> None:
    env = make_environment()
    for name, function in escaping.ESCAPERS.items():
        assert env.filters[name] is function
