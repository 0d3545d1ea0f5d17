"""The upload-set checks: include/exclude matching nothing, secret-looking files, development
folders and a large upload, reported by `check` as by the plan (one walk, one verdict), with a
quick fix that excludes the files and keeps ".*"; and the walk's cache."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cerebrium_lsp.analysis import upload_set as upload_set_module
from cerebrium_lsp.analysis.engine import Analysis, AnalysisOptions, analyze
from cerebrium_lsp.analysis.fixes import apply_edits, fixes_for
from cerebrium_lsp.analysis.upload_set import forget_uploads, upload_set
from cerebrium_lsp.cli import main
from cerebrium_lsp.plan import build_plan

ROOT = Path(__file__).resolve().parents[2]
WORKSPACE = ROOT / "tests" / "workspace"
UPLOAD_CODES = {"no-files-matched", "secret-file", "dev-folder", "upload-size"}
APP = '[cerebrium.deployment]\nname = "app"\n'


def analyse(project: Path, text: str | None = None, *, file_checks: bool = True) -> Analysis:
    text = text if text is not None else (project / "cerebrium.toml").read_text(encoding="utf-8")
    options = AnalysisOptions(project_dir=project, file_checks=file_checks)
    return analyze(text, options, raise_errors=True)


def upload_codes(analysis: Analysis) -> dict[str, str]:
    return {d.code: d.message for d in analysis.diagnostics if d.code in UPLOAD_CODES}


def project(tmp_path: Path, text: str = APP, **files: str) -> Path:
    """A project folder: cerebrium.toml, main.py and ``files`` (name -> text; "__" is "/")."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "cerebrium.toml").write_text(text, encoding="utf-8")
    (tmp_path / "main.py").write_text("print('app')\n", encoding="utf-8")
    for name, content in files.items():
        path = tmp_path / name.replace("__", "/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    forget_uploads()
    return tmp_path


# --- The workspace fixtures, through the analysis and through `check` ---------------------------


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("upload_secrets", {"secret-file"}),
        ("upload_secrets_clean", set()),
        ("upload_nothing", {"no-files-matched"}),
        ("upload_nothing_clean", set()),
        ("upload_dev", {"dev-folder"}),
        ("upload_dev_clean", set()),
    ],
)
def test_workspace_fixtures(
    fixture: str, expected: set[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert set(upload_codes(analyse(WORKSPACE / fixture))) == expected
    code = main(["check", str(WORKSPACE / fixture)])
    out = capsys.readouterr().out
    assert {c for c in UPLOAD_CODES if f"[{c}]" in out} == expected
    assert code == (1 if "no-files-matched" in expected else 0)


def test_secret_files_are_named_never_shown() -> None:
    analysis = analyse(WORKSPACE / "upload_secrets")
    [secret] = [d for d in analysis.diagnostics if d.code == "secret-file"]
    assert secret.severity == "warning"
    for name in (".env (environment file)", "id_rsa (SSH private key)", "certs/server.pem"):
        assert name in secret.message
    assert "service-account.json" in secret.message
    # Templates, certificates and ordinary JSON are not secrets.
    for name in (".env.example", "ca.pem", "config.json"):
        assert name not in secret.message
    assert "not-a-real-token" not in secret.message and "test fixture" not in secret.message
    assert "replaces the default" in secret.message  # why .env got in
    text = analysis.text
    assert text[secret.span.start : secret.span.end] == "exclude"


def test_no_files_matched_is_on_the_include_value_and_agrees_with_the_plan() -> None:
    folder = WORKSPACE / "upload_nothing"
    analysis = analyse(folder)
    [error] = [d for d in analysis.diagnostics if d.code == "no-files-matched"]
    assert error.severity == "error"
    assert analysis.text[error.span.start : error.span.end] == '["src/*"]'
    assert "no files found matching include patterns" in error.message
    plan = build_plan(analysis, folder)
    assert "no-files-matched" in {w.code for w in plan.warnings}
    clean = WORKSPACE / "upload_nothing_clean"
    assert "no-files-matched" not in {w.code for w in build_plan(analyse(clean), clean).warnings}


def test_the_plan_lists_the_same_secrets() -> None:
    folder = WORKSPACE / "upload_secrets"
    plan = build_plan(analyse(folder), folder)
    [warning] = [w for w in plan.warnings if w.code == "secret-file"]
    assert "id_rsa" in warning.message and ".env.example" not in warning.message


def test_bracketed_string_is_reported_once_by_string_for_list(tmp_path: Path) -> None:
    # Nothing matches because the value is one string: string-for-list says so and offers the
    # array, so no-files-matched does not repeat it on the same value.
    folder = project(tmp_path, APP + 'include = "[./*, main.py]"\n')
    errors = [d for d in analyse(folder).diagnostics if d.severity == "error"]
    assert [d.code for d in errors] == ["string-for-list"]
    assert "match nothing" in errors[0].message and '["./*", "main.py"]' in errors[0].message


def test_bracketed_patterns_in_an_array_say_why_nothing_matched(tmp_path: Path) -> None:
    folder = project(tmp_path, APP + 'include = ["[./*", "main.py]"]\n')
    message = upload_codes(analyse(folder))["no-files-matched"]
    assert "write a TOML array" in message


def test_exclude_that_removes_everything_is_reported_on_exclude(tmp_path: Path) -> None:
    folder = project(tmp_path, APP + 'exclude = ["**"]\n')
    analysis = analyse(folder)
    [error] = [d for d in analysis.diagnostics if d.code == "no-files-matched"]
    assert analysis.text[error.span.start : error.span.end] == '["**"]'


@pytest.mark.parametrize(
    ("name", "content", "why"),
    [
        (".env", "A=1\n", "environment file"),
        (".env.production", "A=1\n", "environment file"),
        ("id_ed25519", "x\n", "SSH private key"),
        (".netrc", "machine x\n", "login credentials"),
        ("keys__app.key", "-----BEGIN EC PRIVATE KEY-----\n", "private key"),
        ("tls.pem", "-----BEGIN ENCRYPTED PRIVATE KEY-----\n", "private key"),
        (".aws__credentials", "[default]\n", "AWS credentials"),
        (".ssh__config", "Host x\n", "SSH keys"),
        ("gcloud__application_default_credentials.json", "{}", "Google Cloud credentials"),
        ("client.json", '{"installed": {"client_secret": "x"}}', "credentials JSON"),
        ("store.p12", "x", "key store"),
    ],
)
def test_secret_kinds(tmp_path: Path, name: str, content: str, why: str) -> None:
    # exclude = ["data/"] replaced the default, so root dot-files are uploaded too.
    folder = project(tmp_path, APP + 'exclude = ["data/"]\n', **{name: content})
    message = upload_codes(analyse(folder)).get("secret-file", "")
    assert f"({why})" in message


@pytest.mark.parametrize(
    ("name", "content"),
    [
        (".env.example", "A=\n"),
        (".env.sample", "A=\n"),
        ("ca.pem", "-----BEGIN CERTIFICATE-----\n"),
        ("slides.key", "PK\x03\x04 a Keynote file"),
        ("id_rsa.pub", "ssh-ed25519 AAAA\n"),
        ("config.json", '{"type": "model"}'),
        (".venv__lib__test.pem", "-----BEGIN PRIVATE KEY-----\n"),  # libraries ship test keys
        ("env.py", "A = 1\n"),
    ],
)
def test_not_secrets(tmp_path: Path, name: str, content: str) -> None:
    folder = project(tmp_path, APP + 'exclude = ["data/"]\n', **{name: content})
    assert "secret-file" not in upload_codes(analyse(folder))


def test_default_exclude_keeps_root_env_out_but_not_nested_ones(tmp_path: Path) -> None:
    folder = project(tmp_path, APP, **{".env": "A=1\n", "config__.env": "B=2\n"})
    message = upload_codes(analyse(folder))["secret-file"]
    assert "config/.env" in message and ".env (" not in message.replace("config/.env (", "")


def test_a_symlink_out_of_the_project_is_never_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "real.pem").write_text("-----BEGIN PRIVATE KEY-----\n", encoding="utf-8")
    folder = project(tmp_path / "app", APP)
    (folder / "linked.pem").symlink_to(outside / "real.pem")
    assert "secret-file" not in upload_codes(analyse(folder))


def test_dev_folders_say_files_and_size(tmp_path: Path) -> None:
    folder = project(
        tmp_path, APP, **{".venv__pyvenv.cfg": "home\n", "node_modules__x__index.js": "1\n"}
    )
    message = upload_codes(analyse(folder))["dev-folder"]
    assert ".venv/ (1 file, 5 B)" in message and "node_modules/ (1 file, 2 B)" in message


def test_large_upload_names_the_largest_files(tmp_path: Path) -> None:
    folder = project(tmp_path, APP)
    (folder / "weights").mkdir()
    with (folder / "weights" / "model.bin").open("wb") as handle:
        handle.truncate(80_000_000)
    message = upload_codes(analyse(folder))["upload-size"]
    assert "80.0 MB" in message and "weights/model.bin (80.0 MB)" in message
    assert "main.py" not in message  # too small to matter


def test_file_checks_off_and_partners_skip_the_walk(tmp_path: Path) -> None:
    folder = project(tmp_path, APP + 'include = ["src/*"]\n')
    assert not upload_codes(analyse(folder, file_checks=False))
    partner = APP + 'include = ["src/*"]\n\n[cerebrium.runtime.deepgram]\n'
    assert not upload_codes(analyse(folder, partner))


# --- The quick fix ------------------------------------------------------------------------------


def fixed_text(folder: Path, code: str, text: str | None = None) -> str:
    analysis = analyse(folder, text)
    [diagnostic] = [d for d in analysis.diagnostics if d.code == code]
    [fix] = fixes_for(analysis, diagnostic, folder)
    assert not fix.safe  # the author decides whether the app needs these files
    return apply_edits(analysis.text, fix.edits)


def test_fix_adds_the_secrets_to_the_written_exclude(tmp_path: Path) -> None:
    shutil.copytree(WORKSPACE / "upload_secrets", tmp_path / "p")
    folder = tmp_path / "p"
    after = fixed_text(folder, "secret-file")
    assert (
        'exclude = [".*", "certs/server.pem", "id_rsa", "service-account.json", "data/"]' in after
    )
    assert after.startswith("# The upload holds")  # comments kept
    assert "secret-file" not in upload_codes(analyse(folder, after))


def test_fix_adds_an_exclude_that_keeps_the_default(tmp_path: Path) -> None:
    folder = project(tmp_path, APP + "# keep\n", id_rsa="x\n")
    after = fixed_text(folder, "secret-file")
    assert after == APP + 'exclude = [".*", "id_rsa"]\n# keep\n'
    assert not upload_codes(analyse(folder, after))


def test_fix_fills_an_empty_exclude(tmp_path: Path) -> None:
    folder = project(tmp_path, APP + "exclude = []\n", **{".venv__x": "1"})
    after = fixed_text(folder, "dev-folder")
    assert 'exclude = [".*", ".venv/"]' in after
    assert not upload_codes(analyse(folder, after))


def test_fix_into_a_multiline_exclude(tmp_path: Path) -> None:
    text = APP + 'exclude = [\n  "data/",  # big\n]\n'
    folder = project(tmp_path, text, **{".env": "A=1\n"})
    after = fixed_text(folder, "secret-file")
    assert after == APP + 'exclude = [\n  ".*", "data/",  # big\n]\n'


def test_no_fix_for_a_string_exclude(tmp_path: Path) -> None:
    folder = project(tmp_path, APP + 'exclude = "data/"\n', **{".env": "A=1\n"})
    analysis = analyse(folder)
    [diagnostic] = [d for d in analysis.diagnostics if d.code == "secret-file"]
    assert fixes_for(analysis, diagnostic, folder) == []


# --- The cache ------------------------------------------------------------------------------


def test_the_walk_is_cached_until_a_folder_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(upload_set_module, "TRUST_S", 0.0)  # look at the folders every time
    folder = project(tmp_path, APP, src__app_py="1")
    first = upload_set(folder, ["./*"], [".*"])
    assert upload_set(folder, ["./*"], [".*"]) is first
    assert upload_set(folder, ["./*"], [".*", "src/"]) is not first  # other patterns
    (folder / "src" / "new.py").write_text("2", encoding="utf-8")  # changes src/'s time
    second = upload_set(folder, ["./*"], [".*"])
    assert second is not first
    assert "src/new.py" in {f.path for f in second.walk.files}


def test_while_typing_the_folders_are_looked_at_once_a_second(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = project(tmp_path, APP, src__app_py="1")
    first = upload_set(folder, ["./*"], [".*"])
    looked: list[object] = []
    real = upload_set_module.folder_stamp
    monkeypatch.setattr(upload_set_module, "folder_stamp", lambda f: looked.append(f) or real(f))
    for _ in range(20):
        assert upload_set(folder, ["./*"], [".*"]) is first
    assert looked == []
    monkeypatch.setattr(upload_set_module, "TRUST_S", 0.0)  # as if a second had passed
    assert upload_set(folder, ["./*"], [".*"]) is first
    assert len(looked) == 2  # the project and src/: one lstat per folder, no walk


def test_forget_uploads_drops_a_project(tmp_path: Path) -> None:
    folder = project(tmp_path, APP)
    first = upload_set(folder, ["./*"], [".*"])
    forget_uploads([folder])
    assert upload_set(folder, ["./*"], [".*"]) is not first


@pytest.mark.parametrize(
    "line", ['include = ["src/*"', 'include = ["src/', 'exclude = ["data/", "', 'include = "src']
)
def test_half_typed_patterns_wait(tmp_path: Path, line: str) -> None:
    folder = project(tmp_path, APP + line + "\n")
    assert not upload_codes(analyze(APP + line, AnalysisOptions(project_dir=folder)))


def test_a_folder_that_does_not_exist_is_not_walked(tmp_path: Path) -> None:
    analysis = analyze(APP, AnalysisOptions(project_dir=tmp_path / "gone"), raise_errors=True)
    assert not upload_codes(analysis)


def test_an_unsaved_config_counts_when_the_patterns_select_it(tmp_path: Path) -> None:
    # A new document in an empty folder: once saved, cerebrium.toml itself is a match.
    assert not upload_codes(analyze(APP, AnalysisOptions(project_dir=tmp_path)))
    narrow = APP + 'include = ["src/*"]\n'
    codes = upload_codes(analyze(narrow, AnalysisOptions(project_dir=tmp_path)))
    assert set(codes) == {"no-files-matched"}
