"""`opgen docs`: an op reference per package, in Markdown and in HTML, from the declarations.

`plan(packages)` gives `<Package>.md` and `<Package>.html` per package as planned files (one
typed context, `opgen.docs.context.PackageDoc`, two templates under templates/docs/); the
command renders them through opgen's one Jinja environment and writes them with opgen's writer.
"""

from __future__ import annotations

from collections.abc import Sequence

from opgen.docs.context import PackageDoc, package_doc
from opgen.model import Package
from opgen.render import Owner, PlannedFile, RenderedFile, make_environment, render

__all__ = ["TEMPLATES", "PackageDoc", "package_doc", "plan", "render_docs"]

#: Output suffix -> template, in the order the files are planned.
TEMPLATES = {".md": "docs/Package.md.j2", ".html": "docs/Package.html.j2"}


def plan(packages: Sequence[Package]) -> list[PlannedFile]:
    files = []
    for package in packages:
        ctx = package_doc(package)
        files += [
            PlannedFile(f"{package.name}{suffix}", Owner.OPGEN, template, ctx)
            for suffix, template in TEMPLATES.items()
        ]
    return files


def render_docs(packages: Sequence[Package]) -> list[RenderedFile]:
    return render(plan(packages), make_environment())
