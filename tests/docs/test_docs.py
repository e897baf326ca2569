"""`opgen docs`: golden references for the examples, strict HTML and Markdown, hostile config
text that stays text, per-backend tables after supplemental defs, and bad input."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from opgen import load_packages
from opgen.docs import render_docs
from tests import factories as f
from tests.docs import regenerate
from tests.docs.checks import NS, inline_text, parse_html, parse_markdown, table_rows, text_of

VALID = Path(__file__).resolve().parents[1] / "configs" / "valid"


def opgen(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "opgen", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
    )


def test_examples_match_the_golden_files() -> None:
    """After a deliberate change to the docs, regenerate with `python -m tests.docs.regenerate`."""
    fresh = regenerate.rendered()
    golden = {p.name: p.read_bytes() for p in sorted(regenerate.GOLDEN.iterdir())}
    assert sorted(fresh) == sorted(golden)
    for name, content in fresh.items():
        assert content == golden[name], f"{name} differs: python -m tests.docs.regenerate"


def test_command_writes_the_golden_files_for_all_examples(tmp_path: Path) -> None:
    out = tmp_path / "docs"
    run = opgen("docs", *regenerate.EXAMPLES, "-o", out)
    assert run.returncode == 0, run.stderr
    written = sorted(p.name for p in out.iterdir() if p.is_file())
    assert written == sorted(p.name for p in regenerate.GOLDEN.iterdir())
    for name in written:
        assert (out / name).read_bytes() == (regenerate.GOLDEN / name).read_bytes()
    assert run.stdout.splitlines() == [
        str(out / f"{pkg}{suffix}")
        for pkg in ("ExampleOpPackage", "ExampleGpuOpPackage", "ExampleHtpOpPackage")
        for suffix in (".md", ".html")
    ]
    again = opgen("docs", *regenerate.EXAMPLES, "-o", out)  # unchanged: fine, same bytes
    assert again.returncode == 0, again.stderr


@pytest.mark.parametrize("name", sorted(p.name for p in regenerate.GOLDEN.glob("*.html")))
def test_golden_html_is_strict_self_contained_xhtml(name: str) -> None:
    root = parse_html((regenerate.GOLDEN / name).read_bytes())
    package = name.removesuffix(".html")
    index = [text_of(a) for a in root.iterfind(".//h:nav//h:a", NS)]
    (pkg,) = [p for p in load_packages(regenerate.EXAMPLES) if p.name == package]
    ops = [op.name for op in pkg.ops]
    assert index == ops  # the index lists every op, in config order, linked to its section
    assert [text_of(h) for h in root.iterfind(".//h:main/h:section/h:h2", NS)] == ops


@pytest.mark.parametrize("name", sorted(p.name for p in regenerate.GOLDEN.glob("*.md")))
def test_golden_markdown_tables_keep_their_columns(name: str) -> None:
    tokens = parse_markdown((regenerate.GOLDEN / name).read_text("utf-8"))
    rows = [r for r in table_rows(tokens) if r]
    assert rows
    headers = {"Op": 3, "Config": 3, "Rule": 3, "Name": 7}
    width = 0
    for row in rows:
        if row[0] in headers:
            width = 9 if "Default" in row else headers[row[0]]
        assert len(row) == width, row


def test_topk_tables_show_datatypes_ranks_defaults_and_rules() -> None:
    (package,) = load_packages([regenerate.EXAMPLES[0]])
    md = next(f for f in render_docs([package]) if f.relpath.endswith(".md"))
    rows = [r for r in table_rows(parse_markdown(md.content.decode())) if r]
    assert ["axis", "no", "QNN_DATATYPE_INT_32", "SCALAR", "", "", "-1", "", ""] in rows
    assert [
        "indices",
        "yes",
        "QNN_DATATYPE_INT_32",
        "ND",
        "",
        "= with(in[0], -1, k)",
        "Datatype constraint 1: Positions along in[0]'s last axis (code: = QNN_DATATYPE_INT_32)",
    ] in rows
    assert ["output datatype", "indices", "= QNN_DATATYPE_INT_32"] in rows


def test_tables_are_per_backend_after_supplemental_defs(tmp_path: Path) -> None:
    run = opgen("docs", VALID / "supplemental.xml", "-o", tmp_path)
    assert run.returncode == 0, run.stderr
    root = parse_html((tmp_path / "SupplementalPkg.html").read_bytes())
    sections = {
        s.get("id"): s for s in root.iterfind(".//h:main/h:section/h:section", NS)
    }  # one per op and group of backends with the same view
    assert sorted(sections) == [
        "op-BlendCustom-CPU",
        "op-BlendCustom-HTP",
        "op-GateCustom-CPU",
        "op-GateCustom-GPU",
    ]

    def row(section: str, caption: str, name: str) -> list[str]:
        for table in sections[section].iterfind("h:table", NS):
            if text_of(table.find("h:caption", NS)) == caption:
                for tr in table.iterfind("h:tbody/h:tr", NS):
                    cells = [text_of(td).strip() for td in tr.iterfind("h:td", NS)]
                    if cells[0] == name:
                        return cells
        raise AssertionError(f"{section}/{caption}/{name}")

    # BACKEND_SPECIFIC resolved per backend; the HTP supplement replaces datatypes, the
    # shape text, constraint 0 (same id) and marks alpha as default-only.
    assert row("op-BlendCustom-CPU", "Inputs", "in[0]")[2:5] == [
        "QNN_DATATYPE_FLOAT_32",
        "ND",
        "NHWC",
    ]
    htp_in = row("op-BlendCustom-HTP", "Inputs", "in[0]")
    assert (
        htp_in[2] == "QNN_DATATYPE_UFIXED_POINT_8QNN_DATATYPE_UFIXED_POINT_16QNN_DATATYPE_FLOAT_16"
    )
    assert htp_in[5] == "4D or 5D channel-last"
    assert "enc(in[0]) == enc(out[0])" in htp_in[6]
    assert "only the default is supported" in row("op-BlendCustom-HTP", "Parameters", "alpha")[8]
    assert "only the default" not in row("op-BlendCustom-CPU", "Parameters", "alpha")[8]
    gpu_bias = row("op-GateCustom-GPU", "Parameters", "channel_bias")
    assert gpu_bias[4:6] == ["NONTRIVIAL", "[channel], packed four channels per texel"]
    assert row("op-GateCustom-CPU", "Parameters", "channel_bias")[4:6] == ["UNDEFINED", "[channel]"]


def test_backends_with_the_same_view_share_a_section(tmp_path: Path) -> None:
    config = tmp_path / "Two.xml"
    supplemental = (
        '<SupplementalOpDefList Backend="HTP"><SupportedOps><OpName>Same</OpName></SupportedOps>'
        "<SupplementalOpDef><Name>Same</Name></SupplementalOpDef></SupplementalOpDefList>"
    )
    config.write_text(f.config("TwoPkg", [f.op("Same")], [supplemental]), "utf-8")
    run = opgen("docs", config, "-o", tmp_path / "out")
    assert run.returncode == 0, run.stderr
    root = parse_html((tmp_path / "out" / "TwoPkg.html").read_bytes())
    (section,) = root.iterfind(".//h:main/h:section/h:section", NS)
    assert section.get("id") == "op-Same-CPU-HTP"
    assert text_of(section.find("h:h3", NS)) == "Same on CPU, HTP"


HOSTILE_DESCRIPTION = (
    "a <script>alert(1)</script> | b `c` {{ ctx.name }} *d* _e_ [f](javascript:alert(1)) "
    "</td></tr></table> &amp; \\"
)
HOSTILE_ENUMS = ["x|y", "<script>", "`z`", "{{ 7*7 }}", "two\nlines", "-", "1. one", "</code>"]


def hostile_config(path: Path) -> Path:
    from xml.sax.saxutils import escape, quoteattr

    enum = "".join(f"<Enum>{escape(e)}</Enum>" for e in HOSTILE_ENUMS)
    param = (
        "<Parameter><Name>mode</Name><Mandatory>false</Mandatory>"
        "<Datatype>QNN_DATATYPE_UINT_32</Datatype><Shape><Rank>SCALAR</Rank></Shape>"
        f"<Default>0</Default><Enumeration>{enum}</Enumeration></Parameter>"
    )
    tensor_description = "<Description><Content>t | u\n`v` <![CDATA[<b>]]></Content></Description>"
    code = escape("</code></pre><script>x</script>")
    source, url = quoteattr('s"<i>'), quoteattr("javascript:alert(1)")
    op = f.op("Evil", params=[param]).replace(
        "<Description><Content>test op</Content></Description>",
        f"<Description><Content>{escape(HOSTILE_DESCRIPTION)}\n# h\n\n- l</Content>"
        f"<Code>```\n{code}\n```</Code></Description>"
        f"<Reference Source={source} Url={url}>{escape('r | <b>')}</Reference>",
    )
    op = op.replace("<Name>in[0]</Name>", f"<Name>in[0]</Name>{tensor_description}", 1)
    text = f.config("Hostile", [op]).replace('Domain="test"', f"Domain={quoteattr('d|`<x>`{{')}")
    path.write_text(text, "utf-8")
    return path


def test_hostile_config_text_stays_text(tmp_path: Path) -> None:
    config = hostile_config(tmp_path / "Hostile.xml")
    run = opgen("docs", config, "-o", tmp_path / "out")
    assert run.returncode == 0, run.stderr

    root = parse_html((tmp_path / "out" / "Hostile.html").read_bytes())  # no script, ...
    section = root.find(".//h:section[@id='op-Evil']", NS)
    paragraphs = [text_of(p) for p in section.iterfind("h:p", NS)]
    assert paragraphs[0] == HOSTILE_DESCRIPTION + "\n# h"
    assert paragraphs[1] == "- l"
    assert text_of(section.find("h:pre/h:code", NS)) == "```\n</code></pre><script>x</script>\n```"
    assert text_of(section.find("h:ul/h:li", NS)) == 'r | <b> (s"<i>): javascript:alert(1)'
    assert section.find("h:ul/h:li/h:a", NS) is None  # not a web address: not a link
    values = section.find(".//h:table[h:caption='Parameters']/h:tbody/h:tr/h:td[8]", NS)
    assert [text_of(c) for c in values.iterfind("h:code", NS)] == HOSTILE_ENUMS

    tokens = parse_markdown((tmp_path / "out" / "Hostile.md").read_text("utf-8"))
    rows = [r for r in table_rows(tokens) if r]
    assert ["Hostile.xml", "d|`<x>`{{", "1.0"] in rows
    expected = ", ".join(f"{i} = {' '.join(e.split())}" for i, e in enumerate(HOSTILE_ENUMS))
    (mode,) = [r for r in rows if r[0] == "mode"]
    assert len(mode) == 9 and mode[7] == expected
    (tin,) = [r for r in rows if r[0] == "in[0]"]
    assert len(tin) == 7 and tin[6] == "t | u `v` <b>"
    paragraphs = [
        inline_text(tokens[i + 1]) for i, t in enumerate(tokens) if t.type == "paragraph_open"
    ]
    assert HOSTILE_DESCRIPTION + " # h" in paragraphs and "- l" in paragraphs
    (fence,) = [t for t in tokens if t.type == "fence"]
    assert fence.content == "```\n</code></pre><script>x</script>\n```\n"
    # Only opgen's own headings and no list but the references (one item).
    headings = [
        inline_text(tokens[i + 1]) for i, t in enumerate(tokens) if t.type == "heading_open"
    ]
    assert headings == ["Hostile", "Operations", "Evil", "Evil on CPU"]
    assert [t.type for t in tokens].count("list_item_open") == 1


def test_bad_config_gives_diagnostics_and_writes_nothing(tmp_path: Path) -> None:
    config = tmp_path / "Bad.xml"
    config.write_text(f.config("BadPkg", [f.op("Bad", backend="TPU")]), "utf-8")
    out = tmp_path / "out"
    run = opgen("docs", config, "-o", out)
    assert run.returncode == 1
    assert re.search(
        rf"^{re.escape(str(config))}:\d+:\d+: error: unknown backend 'TPU'", run.stderr, re.M
    )
    assert "Traceback" not in run.stderr
    assert not out.exists()


def test_output_that_is_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("mine", "utf-8")
    run = opgen("docs", regenerate.EXAMPLES[0], "-o", tmp_path / "out")
    assert run.returncode == 1
    assert "exists and is not a directory" in run.stderr
    assert (tmp_path / "out").read_text("utf-8") == "mine"


def test_an_edited_reference_is_refused_then_forced(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert opgen("docs", regenerate.EXAMPLES[0], "-o", out).returncode == 0
    edited = out / "ExampleOpPackage.md"
    edited.write_text("my notes\n", "utf-8")
    run = opgen("docs", regenerate.EXAMPLES[0], "-o", out)
    assert run.returncode == 1
    assert "ExampleOpPackage.md" in run.stderr and "-f/--force-generation" in run.stderr
    assert edited.read_text("utf-8") == "my notes\n"
    assert opgen("docs", regenerate.EXAMPLES[0], "-o", out, "-f").returncode == 0
    assert edited.read_bytes() == (regenerate.GOLDEN / "ExampleOpPackage.md").read_bytes()
