"""The one Jinja environment, used by production and tests alike, and the render step.

Templates receive one typed context object and only format it: logic lives in the backends.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from opgen import __version__, escaping, naming
from opgen.resources import templates_dir
from opgen.template_cache import template_cache


class Owner(enum.Enum):
    """Who owns a generated file, which decides what regeneration may do to it."""

    OPGEN = "opgen"  # regenerated on every run; a user edit is detected and protected
    USER = "user"  # written once; never touched again without --force-generation


@dataclass(frozen=True)
class PlannedFile:
    """A file a backend wants: rendered from `template` with `context`, or copied from `source`."""

    relpath: str
    owner: Owner
    template: str | None = None
    context: object = None
    source: Path | None = None
    executable: bool = False


@dataclass(frozen=True)
class RenderedFile:
    relpath: str
    content: bytes
    owner: Owner
    executable: bool = False


def make_environment(extra_template_dirs: Sequence[Path] = ()) -> jinja2.Environment:
    """User template directories come first, so a user can override any template by name."""
    loader = jinja2.ChoiceLoader(
        [jinja2.FileSystemLoader(str(d)) for d in extra_template_dirs]
        + [jinja2.FileSystemLoader(str(templates_dir()))]
    )
    env = jinja2.Environment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
        finalize=_refuse_free_text,
        auto_reload=False,  # templates do not change during a run: no stat per render
    )
    env.filters.update(escaping.ESCAPERS)
    env.filters["c_identifier"] = naming.tensor_identifier
    # Compiled templates from earlier runs (checked against each template's source).
    env.bytecode_cache = template_cache(env, __version__)
    return env


def _refuse_free_text(value: object) -> object:
    """Every `{{ ... }}` passes through here: free text that skipped its escaping filter stops
    the render. (Filters and `~` cannot launder it either: they call str(), which raises.)"""
    if isinstance(value, escaping.FreeText):
        raise value.unescaped()
    return value


def render(
    files: Iterable[PlannedFile], env: jinja2.Environment | None = None
) -> list[RenderedFile]:
    env = env or make_environment()
    out = []
    for planned in files:
        if planned.template is not None:
            try:
                text = env.get_template(planned.template).render(ctx=planned.context)
            except escaping.UnescapedTextError as exc:
                raise escaping.UnescapedTextError(f"{planned.template}: {exc}") from None
            content = text.encode("utf-8")
        else:
            assert planned.source is not None, planned.relpath
            content = planned.source.read_bytes()
        out.append(RenderedFile(planned.relpath, content, planned.owner, planned.executable))
    return out
