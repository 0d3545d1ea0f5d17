"""Settings: read with workspace/configuration (section ``cerebrium``), re-read on
didChangeConfiguration, taken from initializationOptions when the client has no
workspace/configuration; bad values fall back to defaults with one log message."""

from __future__ import annotations

import attrs
import pytest
from e2e_support import (
    WORKSPACE,
    RecordingClient,
    as_json,
    diagnostics_for,
    open_document,
    pull,
    rng,
    session,
    text_of,
    uri_of,
    wait_for_publish,
)
from lsprotocol import types
from pytest_lsp import client_capabilities

pytestmark = pytest.mark.timeout(30)

GPU_RANGE = rng(4, 10, 4, 22)


def severities(diagnostics: list[types.Diagnostic]) -> list[tuple[str, object, types.Range]]:
    return [(str(d.code), d.severity, d.range) for d in diagnostics]


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        ("warning", [("invalid-value", types.DiagnosticSeverity.Warning, GPU_RANGE)]),
        ("hint", [("invalid-value", types.DiagnosticSeverity.Hint, GPU_RANGE)]),
        ("off", []),
    ],
)
@pytest.mark.parametrize("profile", ["visual_studio_code", "neovim"])
async def test_severity_override_from_configuration(
    profile: str, level: str, expected: list[tuple[str, object, types.Range]]
) -> None:
    async with session(profile, configuration={"severity": {"invalid-value": level}}) as client:
        uri = uri_of("bad_gpu")
        open_document(client, uri, text_of("bad_gpu"))
        assert severities(await diagnostics_for(client, uri, 1)) == expected


async def test_did_change_configuration_rechecks_open_documents() -> None:
    async with session("visual_studio_code") as client:
        uri = uri_of("bad_gpu")
        open_document(client, uri, text_of("bad_gpu"))
        assert severities(await diagnostics_for(client, uri, 1)) == [
            ("invalid-value", types.DiagnosticSeverity.Error, GPU_RANGE)
        ]
        start = len(client.published)
        client.set_configuration(
            {"severity": {"invalid-value": "information"}}, section="cerebrium"
        )
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
        republished = await wait_for_publish(client, uri, 1, start=start)
        assert severities(list(republished.diagnostics)) == [
            ("invalid-value", types.DiagnosticSeverity.Information, GPU_RANGE)
        ]


async def test_pull_result_changes_with_the_settings() -> None:
    async with session("neovim") as client:
        uri = uri_of("bad_gpu")
        open_document(client, uri, text_of("bad_gpu"))
        first = await pull(client, uri)
        assert isinstance(first, types.RelatedFullDocumentDiagnosticReport)
        client.set_configuration({"severity": {"invalid-value": "off"}}, section="cerebrium")
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
        # The pull waits for the settings being re-read; new settings mean a new result id.
        report = await pull(client, uri, previous_result_id=first.result_id)
        assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
        assert as_json(report.items) == []
        assert report.result_id != first.result_id


async def test_dynamic_registration_for_configuration_changes() -> None:
    async with session("visual_studio_code") as client:
        uri = uri_of("clean")
        open_document(client, uri, text_of("clean"))
        await diagnostics_for(client, uri, 1)  # published after the settings were read
        # The file watchers registered alongside are tested in test_watched_files.py.
        configuration = [
            (r.method, r.register_options)
            for r in client.registrations
            if r.method != types.WORKSPACE_DID_CHANGE_WATCHED_FILES
        ]
        assert configuration == [
            (types.WORKSPACE_DID_CHANGE_CONFIGURATION, {"section": "cerebrium"})
        ]


async def test_files_setting_selects_the_documents_served() -> None:
    configuration = {"files": ["**/pyproject.toml"]}
    async with session("visual_studio_code", configuration=configuration) as client:
        cerebrium = uri_of("bad_gpu")
        pyproject = (WORKSPACE / "other" / "pyproject.toml").as_uri()
        open_document(client, cerebrium, text_of("bad_gpu"))
        open_document(client, pyproject, (WORKSPACE / "other" / "pyproject.toml").read_text())
        published = await wait_for_publish(client, pyproject, 1)
        assert [(d.code, d.range) for d in published.diagnostics] == [
            ("missing-root", rng(0, 1, 0, 8)),
            ("toml-syntax", rng(2, 10, 2, 11)),
        ]
        # cerebrium.toml is not ours under these settings: at most cleared, never checked.
        assert all(not p.diagnostics for p in client.published if p.uri == cerebrium)


async def test_file_checks_can_be_turned_off() -> None:
    # shapes/ has a main.py; a document next to no main.py gets missing-file only with checks on.
    text = '[cerebrium.deployment]\nname = "x"\n'
    uri = (WORKSPACE / "other" / "cerebrium.toml").as_uri()  # not on disk: nothing beside it
    async with session("visual_studio_code") as client:
        open_document(client, uri, text)
        assert [d.code for d in await diagnostics_for(client, uri, 1)] == ["missing-file"]
    async with session("visual_studio_code", configuration={"fileChecks": False}) as client:
        open_document(client, uri, text)
        assert await diagnostics_for(client, uri, 1) == []


async def test_bad_values_fall_back_to_defaults_with_one_log_message() -> None:
    configuration = {
        "debounceMs": "fast",
        "severity": {"invalid-value": "loud", "missing-file": "off"},
        "fileChecks": "yes",
        "server": {"interpreter": ["python3"]},  # the extension's own setting: ignored
    }
    async with session("visual_studio_code", configuration=configuration) as client:
        uri = uri_of("bad_gpu")
        open_document(client, uri, text_of("bad_gpu"))
        assert severities(await diagnostics_for(client, uri, 1)) == [
            ("invalid-value", types.DiagnosticSeverity.Error, GPU_RANGE)
        ]
        # Read again with the same problems (and one valid change, so the server re-checks
        # the document and we know it is done): nothing more is logged.
        start = len(client.published)
        client.set_configuration({**configuration, "files": ["**/*.toml"]}, section="cerebrium")
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
        await wait_for_publish(client, uri, 1, start=start)

    warnings = [m for m in client.log_messages if m.type == types.MessageType.Warning]
    assert [m.message for m in warnings] == [
        "cerebrium_lsp.server: invalid cerebrium settings, using defaults for: "
        "fileChecks: expected true or false, got a string; "
        "severity.invalid-value: expected one of error, hint, information, off, warning, "
        "got 'loud'; "
        "debounceMs: expected an integer from 0 to 10000"
    ]


async def test_initialization_options_for_clients_without_configuration() -> None:
    caps = client_capabilities("visual_studio_code")
    assert caps.workspace is not None
    caps = attrs.evolve(caps, workspace=attrs.evolve(caps.workspace, configuration=False))
    options = {"cerebrium": {"severity": {"invalid-value": "warning"}}}
    async with session(caps, initialization_options=options) as client:
        uri = uri_of("bad_gpu")
        open_document(client, uri, text_of("bad_gpu"))
        assert severities(await diagnostics_for(client, uri, 1)) == [
            ("invalid-value", types.DiagnosticSeverity.Warning, GPU_RANGE)
        ]
        # Without workspace/configuration, didChangeConfiguration carries the settings.
        start = len(client.published)
        client.workspace_did_change_configuration(
            types.DidChangeConfigurationParams(settings={"cerebrium": {"severity": {}}})
        )
        republished = await wait_for_publish(client, uri, 1, start=start)
        assert severities(list(republished.diagnostics)) == [
            ("invalid-value", types.DiagnosticSeverity.Error, GPU_RANGE)
        ]


async def test_shared_fixture_uses_defaults(client: RecordingClient) -> None:
    uri = uri_of("bad_gpu")
    open_document(client, uri, text_of("bad_gpu"))
    expected = [("invalid-value", types.DiagnosticSeverity.Error, GPU_RANGE)]
    assert severities(await diagnostics_for(client, uri, 1)) == expected
    assert not [m for m in client.log_messages if m.type == types.MessageType.Warning]


@pytest.mark.parametrize(
    ("files", "path", "served"),
    [
        (["**/cerebrium.toml"], "/home/me/app/cerebrium.toml", True),
        (["**/cerebrium.toml"], "/cerebrium.toml", True),
        (["**/cerebrium.toml"], "/home/me/app/notcerebrium.toml", False),
        (["**/cerebrium.toml"], "/home/me/app/pyproject.toml", False),
        (["cerebrium.toml"], "/a/b/cerebrium.toml", True),  # no leading / or **: any depth
        (["deploy/*.toml"], "/a/deploy/x.toml", True),
        (["deploy/*.toml"], "/a/deploy/sub/x.toml", False),  # * stays in one folder
        (["**/{cerebrium,cortex}.toml"], "/a/cortex.toml", True),
        (["/srv/**/*.toml"], "/srv/a/b/c.toml", True),
        (["/srv/**/*.toml"], "/home/srv/a.toml", False),
        (["**/cerebrium.[tT]oml"], "/a/cerebrium.Toml", True),
        ([], "/a/cerebrium.toml", False),
    ],
)
def test_files_globs(files: list[str], path: str, served: bool) -> None:
    from cerebrium_lsp.settings import Settings

    assert Settings(files=files).serves_path(path) is served
