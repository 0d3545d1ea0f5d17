"""Read a user's Dockerfile (``dockerfile_path``) for what the deploy depends on: the base image,
the ports it EXPOSEs and the command it runs. Pure Python, never builds or runs anything.
(``plan/dockerfile.py`` is the opposite job: it *writes* a Dockerfile approximating the build.)

Follows BuildKit's Dockerfile syntax: parser directives at the top (``# escape=`` changes the
line-continuation character), comments and blank lines (also inside continued instructions),
line continuations, heredocs (``RUN <<EOF`` … ``EOF``, skipped), exec (JSON) and shell forms,
and multi-stage builds: the last stage is the image that runs, and a stage built ``FROM`` an
earlier one inherits its ``EXPOSE``, ``CMD``, ``ENTRYPOINT`` and ``ENV``. ``ARG``/``ENV``
values are substituted where static (``$PORT``, ``${PORT}``, ``${PORT:-8000}``,
``${PORT:+x}``): an ``ARG`` keeps its default (the platform passes no build arguments), an
``ARG`` without one is empty. Anything that cannot be resolved is marked, never guessed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from cerebrium_lsp.analysis.text import split_lines

_DIRECTIVE = re.compile(r"^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.*?)\s*$")
_HEREDOC = re.compile(r"<<(-?)([\"']?)([^\s\"'<>]+)\2")
_HEREDOC_INSTRUCTIONS = frozenset({"RUN", "COPY", "ADD"})
_VARIABLE = re.compile(
    r"\$(?:\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-+?])(?P<word>[^}]*))?\}"
    r"|(?P<plain>[A-Za-z_][A-Za-z0-9_]*))"
)
_PORT = re.compile(r"^(\d{1,5})(?:-(\d{1,5}))?(?:/(tcp|udp|sctp))?$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Instruction:
    keyword: str  # upper case: FROM, EXPOSE, CMD, …
    arguments: str  # the text after the keyword, continuations joined
    line: int  # 0-based line of the keyword
    start: int  # code-point column of the keyword
    end: int  # code-point column where the keyword's first line ends (trailing space dropped)
    end_line: int  # last line the instruction spans (heredoc bodies excluded)
    line_text: str  # the keyword's line, to convert columns to another encoding


@dataclass(frozen=True, slots=True)
class Command:
    """``CMD`` or ``ENTRYPOINT``: the exec form's argv, or the shell form's text."""

    instruction: Instruction
    argv: tuple[str, ...] | None  # exec (JSON) form
    shell: str | None  # shell form

    def display(self) -> str:
        if self.argv is not None:
            return json.dumps(list(self.argv))
        return self.shell or ""


@dataclass(frozen=True, slots=True)
class ExposedPort:
    first: int
    last: int  # == first unless a range (8000-8010)
    protocol: str
    instruction: Instruction

    def covers(self, port: int) -> bool:
        return self.first <= port <= self.last

    def display(self) -> str:
        text = str(self.first) if self.first == self.last else f"{self.first}-{self.last}"
        return text if self.protocol == "tcp" else f"{text}/{self.protocol}"


@dataclass(slots=True)
class Stage:
    base: str  # as written after FROM (variables substituted where static)
    name: str | None  # AS name
    instruction: Instruction
    parent: Stage | None = None  # the earlier stage this one is built FROM
    env: dict[str, str | None] = field(default_factory=dict)  # None: not static
    exposed: list[ExposedPort] = field(default_factory=list)
    exposes_unknown: bool = False  # an EXPOSE whose value could not be resolved
    cmd: Command | None = None
    entrypoint: Command | None = None

    @property
    def image(self) -> str:
        """The external image at the root of this stage's FROM chain."""
        return self.chain()[0].base

    def chain(self) -> list[Stage]:
        """The stages this one is built FROM, the root first, this one last. A loop, not
        recursion: a Dockerfile of a few thousand chained stages fits in the read limit."""
        stages: list[Stage] = []
        stage: Stage | None = self
        while stage is not None:  # parents are earlier stages: no cycle
            stages.append(stage)
            stage = stage.parent
        stages.reverse()
        return stages

    def inherited(self) -> tuple[list[ExposedPort], bool, Command | None, Command | None]:
        """EXPOSE, unknown EXPOSE, CMD and ENTRYPOINT of this stage with what it inherits."""
        ports: list[ExposedPort] = []
        unknown = False
        cmd: Command | None = None
        entrypoint: Command | None = None
        for stage in self.chain():
            if stage.entrypoint is not None:
                cmd = None  # a new ENTRYPOINT resets an inherited CMD (Docker's rule)
            ports += stage.exposed
            unknown = unknown or stage.exposes_unknown
            cmd = stage.cmd or cmd
            entrypoint = stage.entrypoint or entrypoint
        return ports, unknown, cmd, entrypoint


@dataclass(slots=True)
class Dockerfile:
    instructions: list[Instruction]
    stages: list[Stage]
    escape: str = "\\"

    @property
    def final(self) -> Stage | None:
        """The stage that becomes the image (the last one)."""
        return self.stages[-1] if self.stages else None


# --- Reading ---------------------------------------------------------------------------------


def parse_dockerfile(text: str) -> Dockerfile:
    """Every instruction and stage of ``text``; never raises."""
    lines = split_lines(text)
    escape, first = _directives(lines)
    instructions = _instructions(lines, first, escape)
    return Dockerfile(instructions, _stages(instructions, escape), escape)


def _directives(lines: list[str]) -> tuple[str, int]:
    """The escape character and the index of the first line after the parser directives."""
    escape = "\\"
    seen: set[str] = set()
    for index, line in enumerate(lines):
        match = _DIRECTIVE.match(line.strip())
        if match is None:
            return escape, index
        name, value = match.group(1).lower(), match.group(2)
        if name in seen:
            return escape, index  # a repeated directive is a comment
        seen.add(name)
        if name == "escape" and value in ("\\", "`"):
            escape = value
    return escape, len(lines)


def _instructions(lines: list[str], first: int, escape: str) -> list[Instruction]:
    found: list[Instruction] = []
    index = first
    while index < len(lines):
        line = lines[index]
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            index += 1
            continue
        start_line = index
        start = len(line) - len(line.lstrip())
        parts: list[str] = []
        current = line
        while True:
            body = current.rstrip()
            if body.endswith(escape):
                parts.append(body[: -len(escape)])
                index += 1
                # Comment and blank lines inside a continued instruction are dropped.
                while index < len(lines) and (
                    not lines[index].strip() or lines[index].strip().startswith("#")
                ):
                    index += 1
                if index >= len(lines):
                    break
                current = lines[index]
                continue
            parts.append(current)
            break
        end_line = min(index, len(lines) - 1)
        index += 1
        joined = "".join(parts).strip()
        keyword, _, arguments = joined.partition(" ")
        if "\t" in keyword:
            keyword, _, rest = keyword.partition("\t")
            arguments = f"{rest} {arguments}".strip()
        keyword = keyword.upper()
        first_line = lines[start_line].rstrip()
        found.append(
            Instruction(
                keyword, arguments.strip(), start_line, start, len(first_line), end_line, first_line
            )
        )
        if keyword in _HEREDOC_INSTRUCTIONS:
            index = _skip_heredocs(lines, index, arguments)
    return found


def _skip_heredocs(lines: list[str], index: int, arguments: str) -> int:
    """The line after the bodies of the heredocs ``arguments`` opens (``<<EOF``, ``<<-EOF``)."""
    for match in _HEREDOC.finditer(arguments):
        strip_tabs, delimiter = match.group(1) == "-", match.group(3)
        while index < len(lines):
            body = lines[index].lstrip("\t") if strip_tabs else lines[index]
            index += 1
            if body == delimiter:
                break
    return index


# --- Stages, variables, EXPOSE and commands ----------------------------------------------------


def _stages(instructions: list[Instruction], escape: str) -> list[Stage]:
    global_args: dict[str, str | None] = {}
    stages: list[Stage] = []
    by_name: dict[str, Stage] = {}
    stage: Stage | None = None
    scope: dict[str, str | None] = {}
    for instruction in instructions:
        keyword, arguments = instruction.keyword, instruction.arguments
        if keyword == "ARG" and stage is None:
            _declare_args(arguments, global_args, global_args, escape)
            continue
        if keyword == "FROM":
            stage = _new_stage(instruction, global_args, by_name, escape)
            stages.append(stage)
            if stage.name:
                by_name[stage.name.lower()] = stage
            scope = dict(stage.parent.env) if stage.parent is not None else {}
            stage.env = dict(scope)
            continue
        if stage is None:
            continue  # instructions before the first FROM are a build error; ignore them
        if keyword == "ARG":
            _declare_args(arguments, scope, global_args, escape)
        elif keyword == "ENV":
            for name, value in _assignments(arguments):
                resolved = substitute(value, scope, escape) if value is not None else None
                scope[name] = resolved
                stage.env[name] = resolved
        elif keyword == "EXPOSE":
            _expose(stage, instruction, scope, escape)
        elif keyword in ("CMD", "ENTRYPOINT"):
            command = _command(instruction)
            if keyword == "CMD":
                stage.cmd = command
            else:
                stage.entrypoint = command
    return stages


def _new_stage(
    instruction: Instruction,
    global_args: dict[str, str | None],
    by_name: dict[str, Stage],
    escape: str,
) -> Stage:
    words = [w for w in instruction.arguments.split() if not w.startswith("--")]
    raw = words[0] if words else ""
    base = substitute(raw, global_args, escape) or raw
    name = words[2] if len(words) >= 3 and words[1].lower() == "as" else None
    parent = by_name.get(base.lower())
    return Stage(base=base, name=name, instruction=instruction, parent=parent)


def _declare_args(
    arguments: str,
    scope: dict[str, str | None],
    global_args: dict[str, str | None],
    escape: str,
) -> None:
    for word in arguments.split():
        name, has_default, default = word.partition("=")
        if has_default:
            scope[name] = substitute(_unquote(default), scope, escape)
        elif scope is not global_args and name in global_args:
            scope[name] = global_args[name]  # re-declared in a stage: the global default
        else:
            scope.setdefault(name, "")  # no default and no build argument: empty


def _assignments(arguments: str) -> list[tuple[str, str | None]]:
    """``ENV A=1 B="two words"`` or the legacy ``ENV A 1``."""
    text = arguments.strip()
    if not text:
        return []
    first = text.split(None, 1)
    if "=" not in first[0]:
        return [(first[0], first[1].strip() if len(first) > 1 else "")]
    pairs: list[tuple[str, str | None]] = []
    for match in re.finditer(r'([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|\'[^\']*\'|\S*)', text):
        pairs.append((match.group(1), _unquote(match.group(2))))
    return pairs


def _unquote(text: str) -> str:
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return text


def substitute(text: str, scope: dict[str, str | None], escape: str = "\\") -> str | None:
    """``text`` with ``$VAR``/``${VAR}``/``${VAR:-default}``/``${VAR:+alt}`` replaced; None
    when a value is not static (unknown variable, ``${VAR:?}``, a value set from another
    unknown)."""
    out: list[str] = []
    position = 0
    for match in _VARIABLE.finditer(text):
        if match.start() > 0 and text[match.start() - 1] == escape:
            out.append(text[position : match.start() - 1] + match.group(0))
            position = match.end()
            continue
        out.append(text[position : match.start()])
        position = match.end()
        name = match.group("braced") or match.group("plain")
        op, word = match.group("op"), match.group("word") or ""
        if name not in scope:
            value: str | None = None
            declared = False
        else:
            value, declared = scope[name], True
        if value is None and declared:
            return None  # set, but from something that is not static
        if op in (":-", "-"):
            use_default = value is None or (op == ":-" and value == "")
            replacement = substitute(word, scope, escape) if use_default else value
        elif op in (":+", "+"):
            present = value is not None and (op == "+" or value != "")
            replacement = substitute(word, scope, escape) if present else ""
        elif op is not None:  # ${VAR:?message}
            if not value:
                return None
            replacement = value
        else:
            replacement = value
        if replacement is None:
            return None
        out.append(replacement)
    out.append(text[position:])
    return "".join(out)


def _expose(
    stage: Stage, instruction: Instruction, scope: dict[str, str | None], escape: str
) -> None:
    for word in instruction.arguments.split():
        value = substitute(word, scope, escape)
        match = _PORT.match(value) if value is not None else None
        if match is None:
            stage.exposes_unknown = True
            continue
        first = int(match.group(1))
        last = int(match.group(2)) if match.group(2) else first
        stage.exposed.append(
            ExposedPort(first, last, (match.group(3) or "tcp").lower(), instruction)
        )


def _command(instruction: Instruction) -> Command:
    text = instruction.arguments
    if text.startswith("["):
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = None
        if isinstance(parsed, list) and all(isinstance(item, str) for item in parsed):
            return Command(instruction, tuple(parsed), None)
    return Command(instruction, None, text)
