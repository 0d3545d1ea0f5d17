"""``entrypoint-target``: what the entrypoint starts exists in the project, read never run.

``uvicorn main:app`` needs ``main.py`` (or ``main/__init__.py``) defining ``app`` at top level;
``python serve.py`` needs ``serve.py``; ``python -m pkg`` needs ``pkg/__main__.py`` when ``pkg``
is the project's. Otherwise the image builds (minutes, billed) and the app never starts.

Nothing is reported when it cannot be told from the files: with a Dockerfile (it decides where
files land), a module that is not in the project but may be installed by the build (a pip
dependency, a shell command naming it, a custom base image), a module that binds names
dynamically, a file that does not parse, is too large or lies outside the project. The main.py
the CLI itself requires is ``missing-file``'s, not reported twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cerebrium_lsp.analysis.checks.context import (
    CheckContext,
    string_value,
    subtable,
    value_of,
)
from cerebrium_lsp.analysis.checks.runtime import argv_tokens
from cerebrium_lsp.analysis.entrypoint_command import (
    AppTarget,
    ModuleTarget,
    ScriptTarget,
    Token,
    parse_target,
)
from cerebrium_lsp.analysis.file_cache import parse_file, project_path
from cerebrium_lsp.analysis.python_names import Definition, ModuleNames, module_names
from cerebrium_lsp.analysis.tree import Array, ResolvedTable, Scalar, Span, Value

# Base images that carry no application code of their own.
_PLAIN_IMAGES = ("debian:", "ubuntu:", "python:", "nvidia/cuda:", "public.ecr.aws/")


@dataclass(frozen=True, slots=True)
class FoundModule:
    path: Path | None  # the module's source (``x.py`` or ``x/__init__.py``); None: not found
    known: bool  # False: something is there that cannot be read (compiled, namespace, outside)
    relative: str  # what was looked for, for messages: "api/main.py"
    is_package: bool = False


def entrypoint_target(cerebrium: ResolvedTable) -> AppTarget | ScriptTarget | ModuleTarget | None:
    """What ``[cerebrium.runtime.custom] entrypoint`` starts, when it can be told."""
    value = value_of(subtable(cerebrium, "runtime", "custom"), "entrypoint")
    items = value.items if isinstance(value, Array) else [value]
    if value is None or any(isinstance(i, Scalar) and not i.terminated for i in items):
        return None  # a string still being typed: its text is not the command yet
    return parse_target([Token(text, span) for text, span in argv_tokens(value)])


def find_module(project_dir: Path, app_dirs: tuple[str, ...], module: str) -> FoundModule:
    """Where ``module`` is, searching ``app_dirs`` (relative to the project) in order."""
    parts = module.split(".")
    relative = "/".join(parts)
    for app_dir in app_dirs:
        root = project_path(project_dir, app_dir)
        if root is None:
            return FoundModule(None, False, relative)
        prefix = "" if app_dir.strip() in (".", "./", "") else app_dir.strip().rstrip("/") + "/"
        base = project_path(project_dir, prefix + "/".join(parts[:-1]) or ".")
        if base is None:
            return FoundModule(None, False, relative)  # a folder on the way leaves the project
        name = parts[-1]
        source = base / f"{name}.py"
        package = base / name
        if source.is_file():
            inside = project_path(project_dir, f"{prefix}{relative}.py")
            return FoundModule(inside, inside is not None, f"{prefix}{relative}.py")
        if package.is_dir():
            init = project_path(project_dir, f"{prefix}{relative}/__init__.py")
            if init is not None and init.is_file():
                return FoundModule(init, True, f"{prefix}{relative}/__init__.py", True)
            return FoundModule(None, False, f"{prefix}{relative}/")  # a namespace package
        if base.is_dir() and any(p.suffix != ".py" for p in base.glob(f"{name}.*")):
            return FoundModule(None, False, relative)  # compiled (.so, .pyc): not readable
    return FoundModule(None, True, relative)


def _top_level_in_project(project_dir: Path, app_dirs: tuple[str, ...], module: str) -> bool:
    top = module.split(".")[0]
    for app_dir in app_dirs:
        root = project_path(project_dir, app_dir)
        if root is not None and ((root / f"{top}.py").exists() or (root / top).is_dir()):
            return True
    return False


def check_entrypoint_target(ctx: CheckContext, cerebrium: ResolvedTable) -> None:
    project_dir = ctx.options.project_dir
    if not ctx.file_checks or project_dir is None:
        return
    custom = subtable(cerebrium, "runtime", "custom")
    if custom is None or string_value(custom, "dockerfile_path"):
        return
    target = entrypoint_target(cerebrium)
    if isinstance(target, AppTarget):
        _check_app(ctx, cerebrium, project_dir, target)
    elif isinstance(target, ScriptTarget):
        _check_script(ctx, cerebrium, project_dir, target)
    elif isinstance(target, ModuleTarget):
        _check_module(ctx, project_dir, target)


def _check_app(
    ctx: CheckContext, cerebrium: ResolvedTable, project_dir: Path, target: AppTarget
) -> None:
    found = find_module(project_dir, target.app_dirs, target.module)
    if not found.known:
        return
    command = f"`{target.module}:{target.attr}`"
    if found.path is None:
        if _main_py_rule_reports(cerebrium, target) or _may_come_from_build(
            ctx, cerebrium, target.module.split(".")[0]
        ):
            return
        looked = f"{found.relative}.py or {found.relative}/__init__.py"
        where = " or ".join(f"{d}/" for d in target.app_dirs if d != ".")
        ctx.report(
            "entrypoint-target",
            target.module_span or target.token.span,
            f"{command}: no module `{target.module}` in the project folder"
            f"{' under ' + where if where else ''} (looked for {looked}), so {target.server} "
            f"cannot import it and the app never starts once the image is built. Write the "
            "module's path from the project folder with dots for folders (`src.main:app` for "
            "src/main.py), or add the file.",
        )
        return
    names = parse_file(found.path, module_names)
    if names is None or names.defines(target.attr) is not False:
        return
    if found.is_package and (found.path.parent / target.attr).exists():
        return  # a submodule: bound once imported, which cannot be told from here
    if found.is_package and (found.path.parent / f"{target.attr}.py").exists():
        return
    _report_missing_attr(ctx, target, found.relative, names)


def _report_missing_attr(
    ctx: CheckContext, target: AppTarget, relative: str, names: ModuleNames
) -> None:
    candidates = names.factories if target.factory else names.apps
    offered = [c for c in candidates if c != target.attr]
    said = f"{relative} defines no `{target.attr}` at top level"
    if offered:
        listing = ", ".join(f"`{c}`" for c in offered)
        said += f" (it defines {'the app factory' if target.factory else 'the app'} {listing})"
    error = (
        f' (“Attribute "{target.attr}" not found in module "{target.module}"”)'
        if target.server == "uvicorn"
        else ""
    )
    advice = (
        f"Did you mean `{target.module}:{offered[0]}`? "
        if len(offered) == 1
        else "Did you mean one of them? "
        if offered
        else ""
    )
    data = None
    if len(offered) == 1 and target.attr_span is not None:
        data = {"replacement": offered[0], "title": f"Use `{target.module}:{offered[0]}`"}
    ctx.report(
        "entrypoint-target",
        target.attr_span or target.token.span,
        f"`{target.module}:{target.attr}`: {said}, so {target.server} fails to load the "
        f"app{error} and it never starts once the image is built. {advice}Point the entrypoint "
        f"at the object that holds the app, or define `{target.attr}` in {relative}.",
        data=data,
    )


def _check_script(
    ctx: CheckContext, cerebrium: ResolvedTable, project_dir: Path, target: ScriptTarget
) -> None:
    path = project_path(project_dir, target.path)
    if path is None or path.is_file():
        return
    if path.is_dir():
        if (path / "__main__.py").exists():
            return
        what = f"{target.path} is a folder without __main__.py"
    else:
        if _may_come_from_build(ctx, cerebrium, Path(target.path).name):
            return
        what = f"{target.path} is not in the project folder"
    span = target.token.text_span or target.token.span
    ctx.report(
        "entrypoint-target",
        span,
        f"`python {target.path}`: {what}, so Python exits at start and the app never starts once "
        "the image is built. Write the path relative to the folder that holds cerebrium.toml, "
        "or add the file.",
    )


def _check_module(ctx: CheckContext, project_dir: Path, target: ModuleTarget) -> None:
    if not _top_level_in_project(project_dir, (".",), target.module):
        return  # an installed module (``python -m vllm.entrypoints…``): not ours to find
    found = find_module(project_dir, (".",), target.module)
    if not found.known:
        return
    span = target.token.text_span or target.token.span
    if found.path is None:
        problem = f"the project has no {found.relative}.py or {found.relative}/__main__.py"
        error = f"No module named {target.module}"
    elif found.is_package and not (found.path.parent / "__main__.py").is_file():
        folder = found.relative.removesuffix("/__init__.py")
        problem = f"{folder}/ is a package without __main__.py"
        error = f"No module named {target.module}.__main__"
    else:
        return
    ctx.report(
        "entrypoint-target",
        span,
        f"`python -m {target.module}`: {problem}, so Python stops with “{error}” and the app "
        "never starts once the image is built. Name a module that exists, or add the file.",
    )


def _main_py_rule_reports(cerebrium: ResolvedTable, target: AppTarget) -> bool:
    """The CLI's own main.py rule (``missing-file``) already covers ``uvicorn main:app``."""
    value = value_of(subtable(cerebrium, "runtime", "custom"), "entrypoint")
    first = value.items[0] if isinstance(value, Array) and value.items else None
    return (
        target.module == "main"
        and target.app_dirs == (".",)
        and isinstance(first, Scalar)
        and first.value == "uvicorn"
    )


def _may_come_from_build(ctx: CheckContext, cerebrium: ResolvedTable, name: str) -> bool:
    """``name`` may be installed or created by the build: named by a pip dependency or a build
    command, or the app runs on a custom base image."""
    wanted = _normalised(name)
    dependencies = subtable(cerebrium, "dependencies", "pip")
    if dependencies is not None and any(
        _normalised(key).split("[")[0] == wanted for key in dependencies.children
    ):
        return True
    deployment = subtable(cerebrium, "deployment")
    for key in ("shell_commands", "pre_build_commands"):
        if wanted in _normalised(_text(value_of(deployment, key))):
            return True
    image = string_value(deployment, "docker_base_image_url")
    if image and not image.startswith(_PLAIN_IMAGES):
        return True
    requirements = string_value(subtable(cerebrium, "dependencies", "paths"), "pip")
    project_dir = ctx.options.project_dir
    if requirements and project_dir is not None:
        path = project_path(project_dir, requirements)
        text = parse_file(path, _normalised) if path is not None else None
        if text is None or wanted in text:
            return True
    return False


def _normalised(text: str) -> str:
    """Lower case, ``-`` as ``_``: how a distribution, a module and a command may spell one
    name."""
    return text.lower().replace("-", "_")


def _text(value: Value | None) -> str:
    if isinstance(value, Array):
        return " ".join(str(i.value) for i in value.items if isinstance(i, Scalar))
    if isinstance(value, Scalar):
        return str(value.value)
    return ""


@dataclass(frozen=True, slots=True)
class TargetLocation:
    """Where go-to-definition leads from the entrypoint: the module file, and the line that
    binds the app when the cursor is on the attribute."""

    origin: Span  # the module or attribute part of the entrypoint token
    path: Path
    definition: Definition | None


def entrypoint_file(
    target: AppTarget | ScriptTarget | ModuleTarget | None, project_dir: Path
) -> tuple[Span, Path] | None:
    """The project file the entrypoint starts, with the span of its name in the command: the
    module of ``uvicorn main:app``, the script of ``python serve.py`` (a folder's
    ``__main__.py``), the ``__main__.py`` or module file of ``python -m pkg``; None when it is
    not in the project or cannot be told. Links and go-to-definition both use it."""
    if isinstance(target, AppTarget):
        found = find_module(project_dir, target.app_dirs, target.module)
        if target.module_span is None or found.path is None or not found.known:
            return None
        return target.module_span, found.path
    if isinstance(target, ScriptTarget):
        span = target.token.text_span
        path = project_path(project_dir, target.path)
        if path is not None and path.is_dir():
            path = path / "__main__.py"  # ``python folder`` runs the folder's __main__.py
        return (span, path) if span is not None and path is not None and path.is_file() else None
    if isinstance(target, ModuleTarget):
        span = target.token.text_span
        relative = target.module.replace(".", "/")
        for candidate in (f"{relative}/__main__.py", f"{relative}.py"):
            path = project_path(project_dir, candidate)
            if span is not None and path is not None and path.is_file():
                return span, path
    return None


def locate_target(
    cerebrium: ResolvedTable, project_dir: Path, offset: int
) -> TargetLocation | None:
    """The definition behind the entrypoint at ``offset`` (``main`` -> main.py, ``app`` -> the
    line defining ``app``, a script or ``-m`` module -> its file); only files inside the
    project."""
    target = entrypoint_target(cerebrium)
    if (
        isinstance(target, AppTarget)
        and target.attr_span is not None
        and target.attr_span.contains(offset)
    ):
        found = find_module(project_dir, target.app_dirs, target.module)
        if found.path is None or not found.known:
            return None
        names = parse_file(found.path, module_names)
        where = names.names.get(target.attr) if names is not None else None
        return TargetLocation(target.attr_span, found.path, where)
    file = entrypoint_file(target, project_dir)
    if file is not None and file[0].contains(offset):
        return TargetLocation(file[0], file[1], None)
    return None
