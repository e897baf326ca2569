"""JSON with positions: every value knows the line and column it starts at.

The json module gives values without positions, which diagnostics about a legacy config need
(`CONFIG.json:12:9: error: ...`). This is a small recursive-descent reader of RFC 8259 JSON that
borrows the json module's own string and number scanning, so the values are the same as
`json.loads` gives; objects keep their keys' positions and refuse duplicate keys (json.loads
would silently keep the last).
"""

from __future__ import annotations

import bisect
import json
import json.decoder
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Union

# The json module's own string scanner (C-accelerated; not in the typing stubs).
_SCAN = "scanstring"
_scanstring: Callable[[str, int, bool], tuple[str, int]] = getattr(json.decoder, _SCAN)

_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_SPACE = re.compile(r"[ \t\n\r]*")
_LITERALS = {"true": True, "false": False, "null": None}
MAX_DEPTH = 200

Value = Union[str, int, float, bool, None, "JObject", "JArray"]


@dataclass(frozen=True)
class Position:
    line: int
    column: int


@dataclass(frozen=True)
class JValue:
    """A value and where it starts."""

    value: Value
    at: Position


@dataclass(frozen=True)
class JObject:
    """An object: members in file order, each key with its own position."""

    members: tuple[tuple[str, Position, JValue], ...]
    at: Position
    _index: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for i, (key, _, _) in enumerate(self.members):
            self._index[key] = i

    def get(self, key: str) -> JValue | None:
        i = self._index.get(key)
        return None if i is None else self.members[i][2]

    def keys(self) -> tuple[str, ...]:
        return tuple(key for key, _, _ in self.members)


@dataclass(frozen=True)
class JArray:
    items: tuple[JValue, ...]
    at: Position


class JsonSyntaxError(ValueError):
    def __init__(self, message: str, at: Position) -> None:
        super().__init__(message)
        self.message = message
        self.at = at


def parse(text: str) -> JValue:
    """The document's value; JsonSyntaxError (with its position) for anything not JSON."""
    return _Reader(text).document()


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(self, offset: int) -> Position:
        line = bisect.bisect_right(self.starts, offset)
        return Position(line, offset - self.starts[line - 1] + 1)

    def fail(self, message: str, offset: int) -> JsonSyntaxError:
        return JsonSyntaxError(message, self.position(offset))

    def skip(self, i: int) -> int:
        match = _SPACE.match(self.text, i)
        assert match is not None  # the pattern matches the empty string
        return match.end()

    def document(self) -> JValue:
        i = self.skip(1 if self.text.startswith("\ufeff") else 0)
        if i == len(self.text):
            raise self.fail("the file holds no JSON value", i)
        value, i = self.value(i, 0)
        i = self.skip(i)
        if i != len(self.text):
            raise self.fail("extra data after the JSON value", i)
        return value

    def value(self, i: int, depth: int) -> tuple[JValue, int]:
        if depth > MAX_DEPTH:
            raise self.fail(f"nested deeper than {MAX_DEPTH} levels", i)
        at = self.position(i)
        char = self.text[i : i + 1]
        if char == "{":
            return self.object(i, depth)
        if char == "[":
            return self.array(i, depth)
        if char == '"':
            string, end = self.string(i)
            return JValue(string, at), end
        for word, literal in _LITERALS.items():
            if self.text.startswith(word, i):
                return JValue(literal, at), i + len(word)
        match = _NUMBER.match(self.text, i)
        if match is not None and match.end() > i:
            number: int | float = (
                float(match.group()) if match.group(1) or match.group(2) else int(match.group())
            )
            return JValue(number, at), match.end()
        if not char:
            raise self.fail("unexpected end of file: a value is missing", i)
        raise self.fail(f"expected a JSON value, found {char!r}", i)

    def string(self, i: int) -> tuple[str, int]:
        try:
            return _scanstring(self.text, i + 1, True)
        except json.JSONDecodeError as exc:
            raise self.fail(exc.msg.lower(), exc.pos) from None

    def object(self, i: int, depth: int) -> tuple[JValue, int]:
        at = self.position(i)
        members: list[tuple[str, Position, JValue]] = []
        seen: set[str] = set()
        i = self.skip(i + 1)
        if self.text.startswith("}", i):
            return JValue(JObject((), at), at), i + 1
        while True:
            if not self.text.startswith('"', i):
                raise self.fail("expected a key in double quotes", i)
            key_at = self.position(i)
            key, i = self.string(i)
            if key in seen:
                raise JsonSyntaxError(f"duplicate key '{key}'", key_at)
            seen.add(key)
            i = self.skip(i)
            if not self.text.startswith(":", i):
                raise self.fail(f"expected ':' after key '{key}'", i)
            value, i = self.value(self.skip(i + 1), depth + 1)
            members.append((key, key_at, value))
            i = self.skip(i)
            if self.text.startswith(",", i):
                i = self.skip(i + 1)
                continue
            if self.text.startswith("}", i):
                return JValue(JObject(tuple(members), at), at), i + 1
            raise self.fail("expected ',' or '}' in an object", i)

    def array(self, i: int, depth: int) -> tuple[JValue, int]:
        at = self.position(i)
        items: list[JValue] = []
        i = self.skip(i + 1)
        if self.text.startswith("]", i):
            return JValue(JArray((), at), at), i + 1
        while True:
            value, i = self.value(i, depth + 1)
            items.append(value)
            i = self.skip(i)
            if self.text.startswith(",", i):
                i = self.skip(i + 1)
                continue
            if self.text.startswith("]", i):
                return JValue(JArray(tuple(items), at), at), i + 1
            raise self.fail("expected ',' or ']' in an array", i)


def plain(value: JValue) -> object:
    """The value without positions, as json.loads gives it."""
    v = value.value
    if isinstance(v, JObject):
        return {key: plain(item) for key, _, item in v.members}
    if isinstance(v, JArray):
        return [plain(item) for item in v.items]
    return v
