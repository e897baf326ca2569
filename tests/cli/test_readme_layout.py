"""The README's layout listings ("## Generated ... package" sections) name every file opgen
generates for the example configs, and each entry they list exists in a generated package.

A listing is the first fenced block of its section. Its entry lines are indented two spaces: paths
(comma-separated) up to the first run of two spaces, then a description; deeper-indented lines
continue a description. In a path, `<Package>` and `<Op>` are the package's and its ops' names,
`<your configs>` any file name, `*` any name, `**` (or a trailing `/`) anything below. An entry
whose description says "only" is conditional and need not appear in every example. To document a
new generated file, add its line to the listing: nothing here needs to change.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

import opgen

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"

#: README section -> (example config, extra `opgen generate` options, generated directory suffix)
SECTIONS = {
    "Generated CPU package": ("cpu/ExampleOpPackage.xml", [], ""),
    "Generated GPU package": ("gpu/ExampleGpuOpPackage.xml", [], ""),
    "Generated HTP package": ("htp/ExampleHtpOpPackage.xml", [], ""),
    "Generated DSP package": ("dsp/ExampleDspOpPackage.xml", [], ""),
    "Generated converter op package (`-cop`)": (
        "cpu/ExampleOpPackage.xml",
        ["--converter-op-package"],
        "_Converter_Op_Package",
    ),
}


@dataclass(frozen=True)
class Entry:
    written: str
    optional: bool

    def pattern(self, package: str, ops: list[str]) -> re.Pattern[str]:
        text = re.escape(self.written.rstrip("/"))
        text = text.replace(re.escape("<Package>"), re.escape(package))
        text = text.replace(re.escape("<Op>"), "(?:" + "|".join(map(re.escape, ops)) + ")")
        text = text.replace(re.escape("<your configs>"), "[^/]+")
        text = text.replace(re.escape("**"), ".+").replace(re.escape("*"), "[^/]*")
        if self.written.endswith("/"):
            text += "/.+"
        return re.compile(text)


def readme_listing(section: str) -> list[Entry]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index(f"\n## {section}\n")
    end = readme.find("\n## ", start + 1)
    block = re.search(r"\n```\n(.*?)\n```", readme[start : end if end > 0 else None], re.S)
    assert block, f"README section '{section}' has no layout listing"
    root, *lines = block[1].splitlines()
    assert root.startswith("<out>/<Package>"), root
    entries = []
    for line in lines:
        if not line.startswith("  ") or line.startswith("   "):
            continue  # a description's continuation
        paths, _, description = line.strip().partition("  ")
        optional = " only " in f" {description} ".replace("(", " ")
        entries += [Entry(p.strip(), optional) for p in paths.split(",") if p.strip()]
    return entries


def generated_files(section: str, tmp_path: Path) -> tuple[str, list[str], list[str]]:
    config, options, suffix = SECTIONS[section]
    result = subprocess.run(
        [sys.executable, "-m", "opgen", "generate", EXAMPLES / config, "-o", tmp_path, *options],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    (package,) = opgen.load_packages([EXAMPLES / config])
    directory = tmp_path / f"{package.name}{suffix}"
    files = sorted(str(p.relative_to(directory)) for p in directory.rglob("*") if p.is_file())
    return package.name, [op.name for op in package.ops], files


@pytest.mark.parametrize("section", list(SECTIONS))
def test_the_readme_layout_lists_every_generated_file(section: str, tmp_path: Path) -> None:
    entries = readme_listing(section)
    package, ops, files = generated_files(section, tmp_path)
    patterns = [(entry, entry.pattern(package, ops)) for entry in entries]
    unlisted = [f for f in files if not any(p.fullmatch(f) for _, p in patterns)]
    assert unlisted == [], f"README '{section}' leaves out generated files"
    stale = [e.written for e, p in patterns if not e.optional and not any(map(p.fullmatch, files))]
    assert stale == [], f"README '{section}' lists files the example does not generate"


def test_the_listing_parser_reads_entries_and_skips_continuations() -> None:
    entries = readme_listing("Generated converter op package (`-cop`)")
    written = [e.written for e in entries]
    assert "ConverterOpPackage/include/**" in written
    assert "op-config reading" not in " ".join(written)  # a continuation line, not a path
    hooks = next(e for e in entries if e.written == "ConverterOpPackage/hooks/<Op>Hooks.cpp")
    assert hooks.optional
