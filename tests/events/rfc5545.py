"""A small, strict RFC 5545 reader for the tests: the second parser beside `icalendar`.

It refuses what a careless writer gets wrong: bare LF, lines over 75 octets, a content line
without a colon, a bad property or parameter name, an unbalanced BEGIN/END. It shares no code
with `icalendar`, so a file both read the same way is read the way clients read it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

NAME = re.compile(r"[A-Za-z0-9-]+\Z")
# param-value = paramtext / quoted-string (RFC 5545 3.1): no control characters anywhere.
PARAM_VALUE = re.compile(r'"[^"\x00-\x08\x0a-\x1f\x7f]*"|[^";:,\x00-\x08\x0a-\x1f\x7f]*')


class Invalid(ValueError):
    pass


@dataclass
class Property:
    name: str
    params: dict[str, list[str]]
    value: str

    def text(self) -> str:
        """The value read as TEXT (RFC 5545 3.3.11): escapes undone."""
        return re.sub(
            r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), self.value
        )


@dataclass
class Component:
    name: str
    properties: list[Property] = field(default_factory=list)
    children: list[Component] = field(default_factory=list)

    def all(self, name: str) -> list[Property]:
        return [prop for prop in self.properties if prop.name == name.upper()]

    def one(self, name: str) -> Property:
        found = self.all(name)
        if len(found) != 1:
            raise Invalid(f"{self.name} has {len(found)} {name}, expected one")
        return found[0]

    def names(self) -> set[str]:
        return {prop.name for prop in self.properties}

    def walk(self, name: str) -> list[Component]:
        found = [self] if self.name == name.upper() else []
        for child in self.children:
            found.extend(child.walk(name))
        return found


def unfold(data: bytes) -> list[str]:
    """Physical lines (CRLF, at most 75 octets each) joined into content lines (3.1)."""
    if not data.endswith(b"\r\n"):
        raise Invalid("the last line does not end with CRLF")
    physical = data[:-2].split(b"\r\n")
    for number, line in enumerate(physical, start=1):
        if b"\n" in line or b"\r" in line:
            raise Invalid(f"line {number}: a bare CR or LF")
        if len(line) > 75:
            raise Invalid(f"line {number}: {len(line)} octets, more than 75")
    lines: list[bytes] = []
    for line in physical:
        if line[:1] in (b" ", b"\t"):
            if not lines:
                raise Invalid("the file starts with a continuation line")
            lines[-1] += line[1:]
        else:
            lines.append(line)
    try:
        return [line.decode("utf-8") for line in lines]
    except UnicodeDecodeError as error:
        raise Invalid("not UTF-8") from error


def _split_params(rest: str, number: int) -> tuple[dict[str, list[str]], str]:
    """Read ;NAME=VALUE[,VALUE]... up to the colon that starts the value."""
    params: dict[str, list[str]] = {}
    position = 0
    while rest[position] == ";":
        equals = rest.find("=", position)
        if equals < 0:
            raise Invalid(f"line {number}: a parameter without '='")
        name = rest[position + 1 : equals]
        if not NAME.match(name):
            raise Invalid(f"line {number}: bad parameter name {name!r}")
        position = equals + 1
        values = []
        while True:
            match = PARAM_VALUE.match(rest, position)
            value = match.group(0)
            values.append(value[1:-1] if value.startswith('"') else value)
            position = match.end()
            if position >= len(rest):
                raise Invalid(f"line {number}: no ':' before the value")
            if rest[position] != ",":
                break
            position += 1
        if name.upper() in params:
            raise Invalid(f"line {number}: parameter {name} twice")
        params[name.upper()] = values
        if rest[position] not in ";:":
            raise Invalid(f"line {number}: unexpected {rest[position]!r} after a parameter")
    if rest[position] != ":":
        raise Invalid(f"line {number}: no ':' before the value")
    return params, rest[position + 1 :]


def content_line(line: str, number: int) -> Property:
    """name *(";" param) ":" value (RFC 5545 3.1)."""
    match = re.match(r"[^;:]*", line)
    name = match.group(0)
    if not NAME.match(name):
        raise Invalid(f"line {number}: bad property name {name!r}")
    rest = line[match.end() :]
    if not rest:
        raise Invalid(f"line {number}: no ':' in {line!r}")
    params, value = _split_params(rest, number)
    return Property(name.upper(), params, value)


def parse(data: bytes) -> Component:
    """The VCALENDAR in these bytes; raises Invalid on anything RFC 5545 does not allow."""
    stack: list[Component] = []
    root: Component | None = None
    for number, line in enumerate(unfold(data), start=1):
        prop = content_line(line, number)
        if prop.name == "BEGIN":
            component = Component(prop.value.upper())
            if stack:
                stack[-1].children.append(component)
            elif root is not None:
                raise Invalid(f"line {number}: a second top-level component")
            else:
                root = component
            stack.append(component)
        elif prop.name == "END":
            if not stack or stack[-1].name != prop.value.upper():
                raise Invalid(f"line {number}: END:{prop.value} does not close the open component")
            stack.pop()
        elif not stack:
            raise Invalid(f"line {number}: a property outside any component")
        else:
            current = stack[-1]
            if current.children:
                raise Invalid(f"line {number}: {prop.name} after a sub-component of {current.name}")
            current.properties.append(prop)
    if stack or root is None or root.name != "VCALENDAR":
        raise Invalid("not one complete VCALENDAR")
    return root
