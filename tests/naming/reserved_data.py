"""Derive opgen/reserved_names.py from the compiler: the names a config must not use.

    .venv/bin/python -m tests.naming.reserved_data        # rewrite opgen/reserved_names.py

Run it (with g++ and clang++ installed) after a template or bundled header starts including a new
header, or on a new compiler/libc; then review `git diff opgen/reserved_names.py`.
tests/naming/test_reserved.py fails while the shipped data misses a name the compiler defines.

What is derived, and from where:
- MACROS: every macro `g++ -dM -E` (and clang++) defines over the headers a generated package
  includes (the `#include <...>` lines of the templates and support files, the bundled QNN and
  support headers) plus the C library headers a kernel is likely to include, each attributed to
  the first header (in HEADERS order) that defines it. Names the implementation-reserved rule
  already refuses (`__x`, `_X`) are left out.
- GLOBALS: names those headers declare at global scope (clang's AST dump): a package name is a
  global namespace, so it must not be one of them.
- UNQUALIFIED: the global names the templates' code (not comments or strings) spells without
  qualification, plus `std`: a config name equal to one would hide it where generated code uses it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
OUTPUT = ROOT / "opgen" / "reserved_names.py"
INCLUDE_DIRS = [
    TEMPLATES / "common" / "include" / "QNN",
    TEMPLATES / "common" / "static" / "include",
    TEMPLATES / "cpu" / "static" / "include",
    TEMPLATES / "gpu" / "static" / "include",
    TEMPLATES / "htp" / "static" / "include",
    TEMPLATES / "dsp" / "static" / "include",
    TEMPLATES / "dsp" / "static" / "include" / "QNN",
]
# The C library headers a kernel is likely to include, in C++ spelling; the package's own includes
# are added from the templates.
_KERNEL_HEADER_TEXT = """
    cstddef cstdint climits cfloat cstdio cstdlib cstring cmath cassert cerrno cinttypes cctype
    cstdarg csignal csetjmp ctime clocale cwchar cwctype cuchar cfenv
"""
KERNEL_HEADERS = _KERNEL_HEADER_TEXT.split()
# Macros the package's build defines on the command line (Makefile.linux-x86_64.j2).
COMMAND_LINE_MACROS = {"QNN_API": "the package's Makefile (-DQNN_API)"}
# Bundled stubs that only stop the build (the HTP emulation has no HVX): nothing to scan.
REFUSING_HEADERS = {"hexagon_protos.h", "hexagon_types.h"}
# The HTP emulation's headers: only HTP templates include them (see template_tokens).
HTP_EMULATION = '"HTP/core/'
_RESERVED_RULE = re.compile(r"__|_[A-Z]")
_INCLUDE = re.compile(r"^\s*#\s*include\s*<([^>]+)>", re.M)


def _template_files() -> list[Path]:
    return sorted(
        p for p in TEMPLATES.rglob("*") if p.is_file() and p.suffix in {".j2", ".hpp", ".cpp", ".h"}
    )


def headers() -> list[str]:
    """Every header a generated package (or a typical kernel) includes, in attribution order."""
    found: list[str] = list(KERNEL_HEADERS)
    for path in _template_files():
        for name in _INCLUDE.findall(path.read_text(encoding="utf-8")):
            if name not in found:
                found.append(name)
    own = sorted(
        p.relative_to(d).as_posix()
        for d in INCLUDE_DIRS
        for p in d.rglob("*")
        if p.suffix in {".h", ".hpp"} and p.name not in REFUSING_HEADERS
    )
    return [f"<{h}>" for h in found] + [f'"{h}"' for h in own]


def _compile(cxx: str, source: str, *flags: str) -> str:
    args = [cxx, "-std=c++17", *flags, *(f"-I{d}" for d in INCLUDE_DIRS), "-x", "c++", "-"]
    run = subprocess.run(args, input=source, capture_output=True, text=True, timeout=300)
    if run.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{run.stderr}")
    return run.stdout


def compiler_macros(cxx: str, header_list: list[str] | None = None) -> set[str]:
    """Macros `cxx` defines with the given headers included (None: all of them)."""
    chosen = headers() if header_list is None else header_list
    source = "".join(f"#include {h}\n" for h in chosen)
    names = set()
    for line in _compile(cxx, source, "-dM", "-E").splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] == "#define":
            names.add(parts[1].split("(")[0])
    return {n for n in names if not _RESERVED_RULE.match(n)}


def attributed_macros(compilers: list[str]) -> dict[str, str]:
    """Each macro with the first header that defines it ("predefined" when none has to)."""
    result: dict[str, str] = {}
    for cxx in compilers:
        for name in compiler_macros(cxx, []):
            result.setdefault(name, "predefined by the compiler")
    for header in headers():
        for cxx in compilers:
            for name in compiler_macros(cxx, [header]):
                result.setdefault(name, header)
    # A bundled header's own macros are attributed to the file that defines them.
    for d in INCLUDE_DIRS:
        for path in sorted(d.rglob("*.h*")):
            text = path.read_text(encoding="utf-8")
            for name in re.findall(r"^\s*#\s*define\s+(\w+)", text, re.M):
                if name in result and result[name].startswith('"'):
                    result[name] = f'"{path.relative_to(d).as_posix()}"'
    result.update(COMMAND_LINE_MACROS)
    return result


_NODE = re.compile(r"^(?P<indent>[| `]*)[|`]-(?P<kind>\w+) ")
_GLOBAL_KINDS = {
    "FunctionDecl",
    "VarDecl",
    "TypedefDecl",
    "TypeAliasDecl",
    "CXXRecordDecl",
    "RecordDecl",
    "EnumDecl",
    "NamespaceDecl",
    "EnumConstantDecl",
    "ClassTemplateDecl",
    "FunctionTemplateDecl",
}


def _decl_name(line: str, kind: str) -> str | None:
    if " operator" in line:
        return None
    body = line.split("'", 1)[0]  # drop the type, if any
    words = re.findall(r"[A-Za-z_][A-Za-z0-9_]*", body.split(">", 1)[-1])
    skip = {
        "col", "line", "implicit", "used", "referenced", "invalid", "sloc", "prev", "parent",
        "definition", "struct", "class", "union", "enum", "inline", "extern", "static", "cinit",
        "callinit", "listinit", "constexpr", "imported", "hidden", "nrvo", "tls", "in", "C",
        "typename", "cxx_noexcept", "noexcept", "fixed", "delete", "default", "trivial",
    }  # fmt: skip
    names = [w for w in words if w not in skip and not w.startswith("0x")]
    return names[-1] if names else None


def compiler_globals(clangxx: str) -> dict[str, str]:
    """Names declared at global scope (directly, in extern "C", or as unscoped enumerators), each
    attributed to the first standard header, or the bundled header, that declares it."""
    per_header: dict[str, set[str]] = {}
    for header in headers():
        dump = _compile(clangxx, f"#include {header}\n", "-fsyntax-only", "-Xclang", "-ast-dump",
                        "-fno-color-diagnostics")  # fmt: skip
        names: set[str] = set()
        # (depth of a node that is a global scope: the TU, extern "C" blocks, unscoped enums)
        scopes = {0}
        for line in dump.splitlines():
            m = _NODE.match(line)
            if not m:
                continue
            depth = len(m["indent"]) // 2 + 1
            scopes = {d for d in scopes if d < depth}
            kind = m["kind"]
            if depth - 1 in scopes and kind in _GLOBAL_KINDS:
                name = _decl_name(line, kind)
                if name and not _RESERVED_RULE.match(name):
                    names.add(name)
            if depth - 1 in scopes and (
                kind == "LinkageSpecDecl" or (kind == "EnumDecl" and " class " not in line)
            ):
                scopes.add(depth)
        per_header[header] = names
    # Standard headers in HEADERS order (<cstddef> before <cstdio>...), then bundled ones smallest
    # first (QnnCommon.h before the headers that include it).
    order = [h for h in per_header if h.startswith("<")] + sorted(
        (h for h in per_header if not h.startswith("<")), key=lambda h: len(per_header[h])
    )
    result: dict[str, str] = {}
    for header in order:
        for name in sorted(per_header[header]):
            result.setdefault(name, header)
    # Between bundled headers that declare the same set, the one whose text names it wins.
    texts = {
        f'"{p.relative_to(d).as_posix()}"': p.read_text(encoding="utf-8")
        for d in INCLUDE_DIRS
        for p in d.rglob("*.h*")
    }
    for name, header in result.items():
        if header in texts and not re.search(rf"\b{name}\b", texts[header]):
            result[name] = next(
                (h for h in order if h in texts and re.search(rf"\b{name}\b", texts[h])), header
            )
    return result


_COMMENT_OR_STRING = re.compile(
    r'//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|\{#.*?#\}|\{\{.*?\}\}|\{%.*?%\}', re.S
)


def template_tokens() -> set[str]:
    """Identifiers the templates' C/C++ code spells (comments, strings and Jinja removed)."""
    tokens: set[str] = set()
    for path in _template_files():
        # Only templates: the static support code lives in namespace opgen, out of reach. HTP
        # templates put config names only into op-function arguments (the rest are glued into
        # longer names); opgen.naming.htp_argument_problem covers what those functions spell.
        if not path.name.endswith((".cpp.j2", ".hpp.j2")) or "htp" in path.parts:
            continue
        text = _COMMENT_OR_STRING.sub(" ", path.read_text(encoding="utf-8"))
        tokens |= set(re.findall(r"(?<![:.>\w])[A-Za-z_]\w*", text))
    return tokens


def unqualified(globals_: dict[str, str]) -> dict[str, str]:
    """Global names the templates spell unqualified, and every <cstddef>/<cstdint> name (the
    backends build field types and casts from those)."""
    used_tokens = template_tokens()
    used = {
        n: h
        for n, h in globals_.items()
        if (n in used_tokens and not h.startswith(HTP_EMULATION)) or h in ("<cstddef>", "<cstdint>")
    }
    used["std"] = "<cstddef>"
    return used


def _render(name: str, table: dict[str, str], doc: str) -> str:
    by_origin: dict[str, list[str]] = {}
    for key in sorted(table):
        by_origin.setdefault(table[key], []).append(key)
    lines = [f"# {doc}", f'{name}_TEXT = """']
    for origin in sorted(by_origin):
        lines.append(f"[{origin}]")
        row = ""
        for key in by_origin[origin]:
            if row and len(row) + len(key) + 1 > 99:
                lines.append(row)
                row = ""
            row = f"{row} {key}" if row else key
        if row:
            lines.append(row)
    lines.append('"""')
    return "\n".join(lines)


FOOTER = """
def _parse(text: str) -> dict[str, str]:
    table: dict[str, str] = {}
    origin = ""
    for line in text.splitlines():
        if line.startswith("["):
            origin = line[1:-1]
        else:
            table.update(dict.fromkeys(line.split(), origin))
    return table


@functools.cache
def macros() -> dict[str, str]:
    \"\"\"Macro name -> the header (or build step) that defines it.\"\"\"
    return _parse(MACROS_TEXT)


@functools.cache
def globals_() -> dict[str, str]:
    \"\"\"Name declared at global scope -> the header that declares it.\"\"\"
    return _parse(GLOBALS_TEXT)


@functools.cache
def unqualified() -> dict[str, str]:
    \"\"\"Global name the generated code spells unqualified -> its header.\"\"\"
    return _parse(UNQUALIFIED_TEXT)
"""


def main() -> None:
    compilers = [c for c in ("g++", "clang++") if shutil.which(c)]
    if "clang++" not in compilers:
        sys.exit("needs clang++ (for the AST dump of global names) and g++")
    macros = attributed_macros(compilers)
    globals_ = compiler_globals("clang++")
    used = unqualified(globals_)
    text = "\n\n".join(
        [
            '"""Names a config must not use: data derived from the compiler by '
            "tests/naming/reserved_data.py.\n\nGenerated; do not edit. Refresh with "
            '`python -m tests.naming.reserved_data`.\n"""\n\n'
            "from __future__ import annotations\n\nimport functools",
            _render("MACROS", macros, "Macros, by the header that defines them."),
            _render("GLOBALS", globals_, "Names declared at global scope, by header."),
            _render("UNQUALIFIED", used, "Global names generated code spells unqualified."),
        ]
    )
    OUTPUT.write_text(text + "\n\n" + FOOTER, encoding="utf-8")
    print(f"wrote {OUTPUT}: {len(macros)} macros, {len(globals_)} globals, {len(used)} unqualified")


if __name__ == "__main__":
    main()
