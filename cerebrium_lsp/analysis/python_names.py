"""The names a Python module defines at top level, read with ``ast`` — never imported or run.

What ``uvicorn main:app`` needs is ``app`` bound at the top level of ``main.py`` once the module
has run. Every binding the module body can make counts: assignments (annotated, augmented, tuple
and starred targets, ``:=``), ``for``/``with``/``except`` targets, ``def``/``class``, imports
with or without ``as``, ``match`` captures, anywhere inside top-level ``if``/``try``/``for``/
``while``/``with``/``match`` blocks (a branch that may not run still counts: nothing is
guessed). A ``global`` statement in a function counts too.

A module that can bind names in ways a reader cannot see is marked ``dynamic`` and then no name
is ever called missing: ``from x import *``, a module-level ``__getattr__``, ``globals()``,
``vars()``, ``locals()``, ``exec``, ``eval``, ``setattr``, ``sys.modules`` or ``__dict__``. A
file that does not parse (a syntax error, or syntax newer than this Python) is ``parsed=False``.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from cerebrium_lsp.analysis.text import split_lines

# Calls that build a web application object: the names offered as "did you mean".
APP_CONSTRUCTORS = frozenset(
    {
        "FastAPI",
        "Starlette",
        "Flask",
        "Quart",
        "Sanic",
        "Litestar",
        "Starlite",
        "Robyn",
        "App",
        "Application",
        "ASGIApp",
        "WSGIApp",
        "get_asgi_application",
        "get_wsgi_application",
        "mount_gradio_app",
    }
)
_FACTORY_NAME = re.compile(r"^(?:(?:create|make|get|build|new)_?app\w*|\w*app_?factory)$", re.I)
_DYNAMIC_CALLS = frozenset({"globals", "vars", "locals", "exec", "eval", "setattr"})
_DYNAMIC_ATTRIBUTES = frozenset({"__dict__", "modules"})
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


@dataclass(frozen=True, slots=True)
class Definition:
    """Where a top-level name is first bound: 0-based line, code-point columns in that line."""

    line: int
    start: int
    end: int
    line_text: str  # the whole line, to convert columns to another encoding


@dataclass(slots=True)
class ModuleNames:
    parsed: bool = True
    dynamic: bool = False
    names: dict[str, Definition | None] = field(default_factory=dict)  # None: no location
    apps: list[str] = field(default_factory=list)  # bound to an app constructor's result
    factories: list[str] = field(default_factory=list)  # functions named like app factories

    def defines(self, name: str) -> bool | None:
        """True/False when known; None when the module cannot be read statically."""
        if not self.parsed or self.dynamic:
            return None
        return name in self.names


def module_names(source: str) -> ModuleNames:
    """The top-level names of ``source``; never raises."""
    try:
        tree = ast.parse(source, type_comments=False)
    except Exception:  # SyntaxError, ValueError (NUL bytes), RecursionError, MemoryError
        return ModuleNames(parsed=False)
    lines = split_lines(source)
    result = ModuleNames()
    try:
        _collect(tree, lines, result)
        result.dynamic = result.dynamic or _is_dynamic(tree)
    except Exception:  # a tree this reader does not expect: claim nothing
        return ModuleNames(parsed=False)
    return result


def _collect(tree: ast.Module, lines: list[str], out: ModuleNames) -> None:
    """Every binding made in module scope; iterative, so a deep expression cannot overflow."""
    stack: list[ast.AST] = list(reversed(tree.body))
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            _bind(out, node.name, _keyword_name(node, lines))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                if node.name == "__getattr__":
                    out.dynamic = True
                if _FACTORY_NAME.match(node.name):
                    out.factories.append(node.name)
            stack.extend(reversed([*node.decorator_list, *_defaults(node)]))
            continue
        if isinstance(node, ast.Lambda):
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            for alias in node.names:
                if alias.name == "*":
                    out.dynamic = True
                    continue
                bound = alias.asname or alias.name.split(".")[0]
                _bind(out, bound, _node_location(alias, lines))
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            _bind(out, node.id, _node_location(node, lines))
        elif isinstance(node, ast.MatchAs | ast.MatchStar) and node.name:
            _bind(out, node.name, _node_location(node, lines))
        elif isinstance(node, ast.ExceptHandler) and node.name:
            _bind(out, node.name, _node_location(node, lines))  # unbound after the block
        elif isinstance(node, ast.MatchMapping) and node.rest:
            _bind(out, node.rest, _node_location(node, lines))
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            _note_app(node, out)
        stack.extend(reversed(list(ast.iter_child_nodes(node))))
    for node in ast.walk(tree):  # ``global x`` inside a function binds x at module level
        if isinstance(node, ast.Global):
            for name in node.names:
                out.names.setdefault(name, None)


def _defaults(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> list[ast.AST]:
    """Parts of a definition evaluated in module scope (a ``:=`` there binds a module name)."""
    if isinstance(node, ast.ClassDef):
        return [*node.bases, *(k.value for k in node.keywords)]
    args = node.args
    return [*args.defaults, *(d for d in args.kw_defaults if d is not None)]


def _bind(out: ModuleNames, name: str, where: Definition | None) -> None:
    if name not in out.names or out.names[name] is None:
        out.names[name] = where


def _note_app(node: ast.Assign | ast.AnnAssign, out: ModuleNames) -> None:
    value = node.value
    if not isinstance(value, ast.Call) or _callee(value.func) not in APP_CONSTRUCTORS:
        return
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    for target in targets:
        if isinstance(target, ast.Name) and target.id not in out.apps:
            out.apps.append(target.id)


def _callee(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _is_dynamic(tree: ast.Module) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in _DYNAMIC_CALLS:
            return True
        if isinstance(node, ast.Attribute) and node.attr in _DYNAMIC_ATTRIBUTES:
            return True
    return False


# --- Locations: ``ast`` columns are UTF-8 byte offsets; ours are code points -----------------


def _column(line: str, byte_offset: int) -> int:
    return len(line.encode("utf-8")[:byte_offset].decode("utf-8", errors="ignore"))


def _line(lines: list[str], lineno: int) -> str:
    return lines[lineno - 1] if 0 < lineno <= len(lines) else ""


def _node_location(node: ast.AST, lines: list[str]) -> Definition | None:
    lineno = getattr(node, "lineno", None)
    col = getattr(node, "col_offset", None)
    if not isinstance(lineno, int) or not isinstance(col, int):
        return None
    text = _line(lines, lineno)
    start = _column(text, col)
    end_line = getattr(node, "end_lineno", lineno)
    end_col = getattr(node, "end_col_offset", None)
    end = _column(text, end_col) if end_line == lineno and isinstance(end_col, int) else len(text)
    return Definition(lineno - 1, start, max(start, end), text)


def _keyword_name(
    node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef, lines: list[str]
) -> Definition | None:
    """The name after ``def``/``class`` (the node itself starts at the keyword)."""
    text = _line(lines, node.lineno)
    match = re.compile(rf"\b(?:def|class)\s+({re.escape(node.name)})\b").search(
        text, _column(text, node.col_offset)
    )
    if match is None:
        return _node_location(node, lines)
    return Definition(node.lineno - 1, match.start(1), match.end(1), text)
