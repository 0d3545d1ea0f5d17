"""``entrypoint-target``: the entrypoint's module, app and file, read from the project folder
with ``ast`` and never imported. Project fixtures in tests/workspace/targets, checked through
``cerebrium-lsp check``; the readers underneath tested directly."""

from __future__ import annotations

from pathlib import Path

import pytest

from cerebrium_lsp.analysis import file_cache
from cerebrium_lsp.analysis.checks.context import subtable, value_of
from cerebrium_lsp.analysis.checks.entrypoint import (
    entrypoint_file,
    entrypoint_target,
    locate_target,
)
from cerebrium_lsp.analysis.checks.runtime import argv_tokens
from cerebrium_lsp.analysis.engine import AnalysisOptions, analyze
from cerebrium_lsp.analysis.entrypoint_command import (
    AppTarget,
    ModuleTarget,
    ScriptTarget,
    Token,
    parse_target,
)
from cerebrium_lsp.analysis.fixes import apply_edits, fixes_for
from cerebrium_lsp.analysis.python_names import module_names
from cerebrium_lsp.analysis.tree import Span
from cerebrium_lsp.cli import main

ROOT = Path(__file__).resolve().parents[2]
TARGETS = ROOT / "tests" / "workspace" / "targets"

# fixture -> (line:column, words the message must hold); None: no entrypoint-target.
EXPECTED: dict[str, tuple[str, tuple[str, ...]] | None] = {
    "attr-missing": (
        "6:32",
        ("`main:app`: main.py defines no `app` at top level", "Did you mean `main:server`?"),
    ),
    "script-missing": ("6:26", ("`python serve.py`: serve.py is not in the project folder",)),
    "module-missing": (
        "6:27",
        ("no module `api.main` in the project folder", "api/main.py or api/main/__init__.py"),
    ),
    "package-attr-missing": (
        "6:93",
        ("pkg/__init__.py defines no `application`", "gunicorn", "`pkg:app`"),
    ),
    "python-m-no-main": (
        "6:32",
        ("app/ is a package without __main__.py", "No module named app.__main__"),
    ),
    "app-dir-attr-missing": (
        "6:70",
        ("src/server.py defines no `app`", "Did you mean `server:api`?"),
    ),
    "clean-aliases": None,
    "clean-factory": None,
    "clean-package": None,
    "clean-dynamic": None,
    "clean-syntax-error": None,
    "clean-installed-module": None,
    "clean-tuple": None,
    "clean-script": None,
}


def test_every_fixture_is_listed() -> None:
    assert sorted(p.name for p in TARGETS.iterdir() if p.is_dir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_check_command_on_fixture(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", str(TARGETS / name)])
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if "[entrypoint-target]" in line]
    expected = EXPECTED[name]
    if expected is None:
        assert lines == []
        return
    position, words = expected
    assert len(lines) == 1, out
    assert f"cerebrium.toml:{position}: error [entrypoint-target]" in lines[0]
    for word in words:
        assert word in lines[0]


def test_no_file_checks_says_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", "--no-file-checks", str(TARGETS / "attr-missing")])
    assert "entrypoint-target" not in capsys.readouterr().out


def analyse(project: Path, toml: str) -> list[tuple[str, str]]:
    analysis = analyze(toml, AnalysisOptions(project_dir=project), raise_errors=True)
    return [(d.code, d.message) for d in analysis.diagnostics if d.code == "entrypoint-target"]


CUSTOM = '[cerebrium.deployment]\nname = "x"\n\n[cerebrium.runtime.custom]\nentrypoint = {}\n'


def test_quick_fix_uses_the_one_app(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text("from fastapi import FastAPI\nserver = FastAPI()\n")
    text = CUSTOM.format('["uvicorn", "main:app"]')
    analysis = analyze(text, AnalysisOptions(project_dir=tmp_path))
    [diagnostic] = [d for d in analysis.diagnostics if d.code == "entrypoint-target"]
    [fix] = fixes_for(analysis, diagnostic, tmp_path)
    assert fix.title == "Use `main:server`"
    assert not fix.safe
    assert 'entrypoint = ["uvicorn", "main:server"]' in apply_edits(text, fix.edits)


def test_two_apps_offer_both_without_a_fix(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text(
        "from fastapi import FastAPI\nadmin = FastAPI()\napi = FastAPI()\n"
    )
    text = CUSTOM.format('["uvicorn", "main:app"]')
    analysis = analyze(text, AnalysisOptions(project_dir=tmp_path))
    [diagnostic] = [d for d in analysis.diagnostics if d.code == "entrypoint-target"]
    assert "`admin`, `api`" in diagnostic.message
    assert fixes_for(analysis, diagnostic, tmp_path) == []


def test_string_entrypoint_is_checked_with_spans_inside(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text("server = 1\n")
    text = CUSTOM.format('"uvicorn main:app --port 8000"')
    analysis = analyze(text, AnalysisOptions(project_dir=tmp_path))
    [diagnostic] = [d for d in analysis.diagnostics if d.code == "entrypoint-target"]
    assert text[diagnostic.span.start : diagnostic.span.end] == "app"


def test_main_py_missing_is_reported_once(tmp_path: Path) -> None:
    analysis = analyze(
        CUSTOM.format('["uvicorn", "main:app"]'), AnalysisOptions(project_dir=tmp_path)
    )
    codes = [d.code for d in analysis.diagnostics]
    assert "missing-file" in codes
    assert "entrypoint-target" not in codes


def test_a_dockerfile_decides_the_files(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text("FROM python:3.11\nCMD python serve.py\n")
    text = CUSTOM.format('["python", "serve.py"]') + 'dockerfile_path = "Dockerfile"\n'
    assert analyse(tmp_path, text) == []


@pytest.mark.parametrize(
    "extra",
    [
        '\n[cerebrium.dependencies.pip]\nmyserver = "latest"\n',
        '\n[cerebrium.deployment]\nshell_commands = ["pip install git+https://x/myserver"]\n',
    ],
)
def test_a_module_the_build_may_install_is_not_reported(tmp_path: Path, extra: str) -> None:
    text = CUSTOM.format('["uvicorn", "myserver.api:app"]').replace(
        '[cerebrium.deployment]\nname = "x"\n', ""
    )
    assert analyse(tmp_path, text + extra) == []
    assert analyse(tmp_path, text) != []


def test_requirements_file_naming_the_module(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("fastapi\nMyServer==1.0\n")
    text = CUSTOM.format('["uvicorn", "myserver.api:app"]')
    paths = '\n[cerebrium.dependencies.paths]\npip = "requirements.txt"\n'
    assert analyse(tmp_path, text + paths) == []


def test_symlink_out_of_the_project_is_never_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside.py"
    outside.write_text("server = 1\n")
    project = tmp_path / "project"
    project.mkdir()
    (project / "main.py").symlink_to(outside)
    (project / "serve.py").symlink_to(tmp_path / "missing.py")
    assert analyse(project, CUSTOM.format('["uvicorn", "main:app"]')) == []
    assert analyse(project, CUSTOM.format('["python", "../outside.py"]')) == []


def test_too_large_or_binary_modules_say_nothing(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text("x = 1\n" * (file_cache.READ_LIMIT // 6 + 1))
    (tmp_path / "bin.py").write_bytes(b"\x00\xff\xfe garbage \x00")
    assert analyse(tmp_path, CUSTOM.format('["uvicorn", "main:app"]')) == []
    assert analyse(tmp_path, CUSTOM.format('["uvicorn", "bin:app"]')) == []


def test_module_is_parsed_once_per_file_version(tmp_path: Path) -> None:
    calls: list[str] = []

    def parse(text: str) -> str:
        calls.append(text)
        return text

    path = tmp_path / "main.py"
    path.write_text("a = 1\n")
    assert file_cache.parse_file(path, parse) == "a = 1\n"
    assert file_cache.parse_file(path, parse) == "a = 1\n"
    assert len(calls) == 1
    path.write_text("app = 1\n")
    assert file_cache.parse_file(path, parse) == "app = 1\n"
    assert len(calls) == 2


def test_edit_to_main_py_changes_the_result(tmp_path: Path) -> None:
    text = CUSTOM.format('["uvicorn", "main:app"]')
    (tmp_path / "main.py").write_text("server = 1\n")
    assert len(analyse(tmp_path, text)) == 1
    (tmp_path / "main.py").write_text("server = 1\napp = server\n")
    assert analyse(tmp_path, text) == []


# --- Reading the command ------------------------------------------------------------------------


def tokens(*argv: str) -> list[Token]:
    spans, at = [], 0
    for text in argv:
        spans.append(Token(text, Span(at, at + len(text) + 2)))
        at += len(text) + 4
    return spans


@pytest.mark.parametrize(
    ("argv", "module", "attr", "dirs", "factory"),
    [
        (("uvicorn", "main:app"), "main", "app", (".",), False),
        (("/usr/local/bin/uvicorn", "--port", "8000", "main:app"), "main", "app", (".",), False),
        (("uvicorn", "--factory", "app.main:create_app"), "app.main", "create_app", (".",), True),
        (("uvicorn", "--app-dir", "src", "server:app"), "server", "app", ("src",), False),
        (("uvicorn", "--app-dir=src", "server:app"), "server", "app", ("src",), False),
        (("python", "-m", "uvicorn", "--app-dir", "src", "s:app"), "s", "app", ("src", "."), False),
        (("python3", "-m", "gunicorn", "main:app"), "main", "app", (".",), False),
        (
            ("gunicorn", "-k", "uvicorn.workers.UvicornWorker", "-b", "0.0.0.0:80", "main:app"),
            "main",
            "app",
            (".",),
            False,
        ),
        (
            ("gunicorn", "--chdir", "web", "wsgi:create_app()"),
            "wsgi",
            "create_app",
            ("web",),
            False,
        ),
        (("hypercorn", "main:app.asgi", "--bind", "0.0.0.0:8000"), "main", "app", (".",), False),
        (("uvicorn", "--log-config", "x:y", "main:app"), "main", "app", (".",), False),
    ],
)
def test_server_targets(
    argv: tuple[str, ...], module: str, attr: str, dirs: tuple[str, ...], factory: bool
) -> None:
    target = parse_target(tokens(*argv))
    assert isinstance(target, AppTarget)
    assert (target.module, target.attr, target.app_dirs, target.factory) == (
        module,
        attr,
        dirs,
        factory,
    )


def test_target_spans_cover_module_and_attribute() -> None:
    [server, token] = tokens("uvicorn", "pkg.main:app")
    target = parse_target([server, token])
    assert isinstance(target, AppTarget)
    assert target.module_span == Span(token.span.start + 1, token.span.start + 9)
    assert target.attr_span == Span(token.span.start + 10, token.span.start + 13)


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (("python", "serve.py"), ScriptTarget),
        (("python3.11", "-u", "-X", "dev", "app/main.py", "--port", "80"), ScriptTarget),
        (("python", "-m", "pkg.cli"), ModuleTarget),
        (("python", "-c", "import main"), type(None)),
        (("sh", "-c", "uvicorn main:app"), type(None)),
        (("ddtrace-run", "uvicorn", "main:app"), type(None)),
        (("gunicorn", "--pythonpath", "lib", "main:app"), type(None)),
        (("uvicorn", "main"), type(None)),
        (("uvicorn",), type(None)),
        ((), type(None)),
    ],
)
def test_other_commands(argv: tuple[str, ...], expected: type) -> None:
    assert isinstance(parse_target(tokens(*argv)), expected)


# --- Reading the module -------------------------------------------------------------------------

MODULE = """\
from __future__ import annotations
import os, json as j
from a.b import c, d as e
import pkg.sub
x: int = 1
y, (z, *rest) = 1, (2, 3)
if os.environ.get("X"):
    cond = 1
else:
    other = 2
try:
    from fast import thing
except ImportError as err:
    thing = None
for loop_var in []:
    pass
with open("f") as handle:
    pass
if (walrus := 3):
    pass
match x:
    case {"k": captured, **kw}:
        pass
    case [first, *others]:
        pass
async def handler():
    inner = 1
    global late
class Model:
    attribute = 1
app = FastAPI()
"""


def test_every_top_level_binding() -> None:
    names = module_names(MODULE)
    assert names.parsed and not names.dynamic
    expected = {
        "annotations", "os", "j", "c", "e", "pkg", "x", "y", "z", "rest", "cond", "other",
        "thing", "err", "loop_var", "handle", "walrus", "captured", "kw", "first", "others",
        "handler", "late", "Model", "app",
    }  # fmt: skip
    assert set(names.names) == expected
    assert names.apps == ["app"]
    assert names.defines("inner") is False
    assert names.defines("attribute") is False


def test_definition_locations_in_code_points() -> None:
    names = module_names('café = "é"\nasync def create_app():\n    pass\nclass  App: ...\n')
    cafe, factory, cls = names.names["café"], names.names["create_app"], names.names["App"]
    assert cafe is not None and (cafe.line, cafe.start, cafe.end) == (0, 0, 4)
    assert factory is not None and (factory.line, factory.start, factory.end) == (1, 10, 20)
    assert cls is not None and (cls.line, cls.start, cls.end) == (3, 7, 10)
    assert names.factories == ["create_app"]


@pytest.mark.parametrize(
    "source",
    [
        "from x import *\n",
        "def __getattr__(name):\n    return 1\n",
        "globals()['app'] = 1\n",
        "import sys\nsys.modules[__name__].app = 1\n",
        "def f():\n    exec('app = 1')\n",
        "setattr(object, 'app', 1)\n",
    ],
)
def test_dynamic_modules_claim_nothing(source: str) -> None:
    assert module_names(source).defines("app") is None


@pytest.mark.parametrize(
    "source",
    ["def broken(:\n", "x = 1\x00\n", "(" * 500 + ")" * 500, "type X = int\n" * 2],
)
def test_unparsable_source_claims_nothing(source: str) -> None:
    names = module_names(source)
    assert names.defines("app") is None or names.parsed


def test_deep_expressions_do_not_overflow() -> None:
    source = "app = " + "+".join(["1"] * 50_000) + "\n"
    names = module_names(source)
    assert names.defines("app") in (True, None)


def test_a_string_still_being_typed_is_not_checked(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text("app = 1\n")
    assert analyse(tmp_path, CUSTOM.format('["uvicorn", "main:ap')) == []
    assert analyse(tmp_path, CUSTOM.format('"uvicorn main:ap')) == []
    assert len(analyse(tmp_path, CUSTOM.format('["uvicorn", "main:ap"'))) == 1  # closed string


CORPUS = ROOT.parent / "shared" / "corpus" / "real"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not beside the checkout")
def test_every_real_entrypoint_is_read() -> None:
    """The real files' entrypoints: each uvicorn one yields its module and app, each python one
    its file, and none raises."""
    seen: dict[str, int] = {}
    for path in sorted(CORPUS.glob("*.toml")):
        analysis = analyze(path.read_bytes().decode("utf-8-sig"), raise_errors=True)
        cerebrium = subtable(analysis.document.root, "cerebrium")
        if cerebrium is None:
            continue
        target = entrypoint_target(cerebrium)
        value = value_of(subtable(cerebrium, "runtime", "custom"), "entrypoint")
        argv = [text for text, _ in argv_tokens(value)] if value is not None else []
        if not argv:
            continue
        program = argv[0]
        kind = type(target).__name__
        seen[kind] = seen.get(kind, 0) + 1
        if program == "uvicorn":
            assert isinstance(target, AppTarget) and target.attr == "app", path.name
        elif program.startswith("python") and not argv[1].startswith("-"):
            assert isinstance(target, ScriptTarget) and target.path == argv[1], path.name
    assert seen.get("AppTarget", 0) >= 20 and seen.get("ScriptTarget", 0) >= 5, seen


def test_a_package_folder_linked_out_of_the_project_is_not_listed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "server.so").write_text("")
    project = tmp_path / "project"
    project.mkdir()
    (project / "pkg").symlink_to(outside, target_is_directory=True)
    assert analyse(project, CUSTOM.format('["uvicorn", "pkg.server:app"]')) == []
    assert analyse(project, CUSTOM.format('["uvicorn", "pkg.other:app"]')) == []


@pytest.mark.parametrize(
    ("command", "files", "name", "expected"),
    [
        ('["uvicorn", "main:app"]', {"main.py": "app = 1\n"}, "main", "main.py"),
        ('["python", "serve.py"]', {"serve.py": "print(1)\n"}, "serve.py", "serve.py"),
        ('["python", "tool"]', {"tool/__main__.py": "print(1)\n"}, "tool", "tool/__main__.py"),
        ('["python", "-m", "pkg"]', {"pkg/__main__.py": "print(1)\n"}, "pkg", "pkg/__main__.py"),
        ('["python", "-m", "serve"]', {"serve.py": "print(1)\n"}, "serve", "serve.py"),
    ],
)
def test_definition_and_link_go_to_the_same_file(
    tmp_path: Path, command: str, files: dict[str, str], name: str, expected: str
) -> None:
    # Go to definition and the document link read one lookup, so they cannot disagree.
    for relative, text in files.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text, encoding="utf-8")
    toml = f"[cerebrium.runtime.custom]\nentrypoint = {command}\n"
    cerebrium = subtable(analyze(toml).document.root, "cerebrium")
    assert cerebrium is not None
    offset = toml.index(f'"{name}') + 1
    location = locate_target(cerebrium, tmp_path, offset)
    assert location is not None
    assert location.path == tmp_path / expected
    assert location.origin == Span(offset, offset + len(name))
    assert entrypoint_file(entrypoint_target(cerebrium), tmp_path) == (
        location.origin,
        location.path,
    )
