"""Diagnostics end to end: exact content, identical to ``check --format json``, versioned and
debounced pushes, clearing on close, and pull diagnostics for clients that declare them."""

from __future__ import annotations

import asyncio
import time

import pytest
from e2e_support import (
    WORKSPACE,
    RecordingClient,
    as_json,
    change_document,
    check_json,
    close_document,
    diagnostics_for,
    edit,
    open_document,
    pull,
    pulls,
    rng,
    session,
    text_of,
    uri_of,
    wait_for_publish,
)
from lsprotocol import types

from cerebrium_lsp.model.catalog_age import catalog_age_note

pytestmark = pytest.mark.timeout(30)

BAD_GPU_MESSAGE = (
    '"AMPERE_A1O" is not a valid `compute`. Did you mean "AMPERE_A10"? Expected one of: "CPU", '
    '"TURING_T4", "ADA_L4", "AMPERE_A10", "ADA_L40", "INF2", "AMPERE_A100_40GB", '
    '"AMPERE_A100_80GB", "BLACKWELL_RTX6000", "HOPPER_H100", "HOPPER_H200", "BLACKWELL_B200", '
    f'"TRN1". {catalog_age_note()}'
)


def bad_gpu_diagnostic(line: int = 4) -> types.Diagnostic:
    return types.Diagnostic(
        range=rng(line, 10, line, 22),
        severity=types.DiagnosticSeverity.Error,
        code="invalid-value",
        source="cerebrium",
        message=BAD_GPU_MESSAGE,
        data={"replacement": "AMPERE_A10"},
    )


async def test_typo_in_gpu_is_an_error_on_the_value(client: RecordingClient) -> None:
    uri = uri_of("bad_gpu")
    open_document(client, uri, text_of("bad_gpu"))
    assert as_json(await diagnostics_for(client, uri, 1)) == as_json([bad_gpu_diagnostic()])


async def test_clean_file_has_no_diagnostics(client: RecordingClient) -> None:
    uri = uri_of("clean")
    open_document(client, uri, text_of("clean"))
    assert as_json(await diagnostics_for(client, uri, 1)) == as_json([])


async def test_project_diagnostics(client: RecordingClient) -> None:
    uri = uri_of("project")
    open_document(client, uri, text_of("project"))
    assert as_json(await diagnostics_for(client, uri, 1)) == as_json(
        [
            types.Diagnostic(
                range=rng(2, 0, 2, 14),
                severity=types.DiagnosticSeverity.Information,
                code="ignored-with-dockerfile",
                source="cerebrium",
                message="`python_version` is ignored because `dockerfile_path` is set: the image "
                "is built from ./Dockerfile. Move it into the Dockerfile or remove it.",
                tags=[types.DiagnosticTag.Unnecessary],
            ),
            types.Diagnostic(
                range=rng(10, 0, 10, 3),
                severity=types.DiagnosticSeverity.Warning,
                code="ignored-with-dockerfile",
                source="cerebrium",
                message="`paths.pip` is ignored because `dockerfile_path` is set: the image is "
                "built from ./Dockerfile.",
                tags=[types.DiagnosticTag.Unnecessary],
            ),
        ]
    )


@pytest.mark.parametrize("name", ["bad_gpu", "clean", "project", "shapes"])
async def test_same_as_check_json(client: RecordingClient, name: str) -> None:
    path = WORKSPACE / name / "cerebrium.toml"
    expected = check_json(path)

    uri = uri_of(name)
    open_document(client, uri, text_of(name))
    published = await diagnostics_for(client, uri, 1)
    assert as_json(published) == expected["diagnostics"]


async def test_incremental_edit_updates_diagnostics(client: RecordingClient) -> None:
    uri = uri_of("clean")
    open_document(client, uri, text_of("clean"))
    assert as_json(await diagnostics_for(client, uri, 1)) == as_json([])
    # compute = "AMPERE_A10"  ->  compute = "AMPERE_A1O"
    change_document(client, uri, 2, [edit((7, 20), (7, 21), "O")])
    assert as_json(await diagnostics_for(client, uri, 2)) == as_json([bad_gpu_diagnostic(line=7)])
    change_document(client, uri, 3, [edit((7, 20), (7, 21), "0")])
    assert as_json(await diagnostics_for(client, uri, 3)) == as_json([])


async def test_close_clears_pushed_diagnostics(client: RecordingClient) -> None:
    uri = uri_of("bad_gpu")
    open_document(client, uri, text_of("bad_gpu"))
    assert as_json(await diagnostics_for(client, uri, 1)) == as_json([bad_gpu_diagnostic()])
    start = len(client.published)
    close_document(client, uri)
    if pulls(client):
        report = await pull(client, uri)  # a closed document has nothing to report
        assert as_json(report) == {"kind": "full", "items": []}
        return
    cleared = await wait_for_publish(client, uri, start=start)
    assert as_json(cleared) == {"uri": uri, "diagnostics": []}


async def test_other_toml_files_are_left_alone(client: RecordingClient) -> None:
    other = (WORKSPACE / "other" / "pyproject.toml").as_uri()
    open_document(client, other, (WORKSPACE / "other" / "pyproject.toml").read_text())
    uri = uri_of("bad_gpu")
    open_document(client, uri, text_of("bad_gpu"))
    assert as_json(await diagnostics_for(client, uri, 1)) == as_json([bad_gpu_diagnostic()])
    if pulls(client):
        assert as_json(await pull(client, other)) == {"kind": "full", "items": []}
    # Both opens publish at once, in order: a publish for `other` would have come first.
    assert [p.uri for p in client.published] == ([] if pulls(client) else [uri])


async def test_burst_of_edits_costs_one_publish_after_the_window() -> None:
    debounce_ms = 400
    async with session("visual_studio_code", configuration={"debounceMs": debounce_ms}) as client:
        uri = uri_of("clean")
        open_document(client, uri, text_of("clean"))
        first = await wait_for_publish(client, uri, 1)
        assert as_json(first.diagnostics) == []
        start = len(client.published)

        # Five quick edits of the GPU name; only the last (a typo) matters.
        for version, char in enumerate("12340", start=2):
            change_document(client, uri, version, [edit((7, 20), (7, 21), char)])
        change_document(client, uri, 7, [edit((7, 20), (7, 21), "O")])
        last_edit = time.monotonic()

        published = await wait_for_publish(client, uri, start=start)
        elapsed = time.monotonic() - last_edit
        # The first publish after the burst is for the last version: nothing stale, one analysis.
        assert as_json(published) == as_json(
            types.PublishDiagnosticsParams(
                uri=uri, diagnostics=[bad_gpu_diagnostic(line=7)], version=7
            )
        )
        assert elapsed >= debounce_ms / 1000  # the window runs from the last edit
        assert elapsed < debounce_ms / 1000 + 5  # and adds nothing unbounded after it


async def test_by_default_the_last_edit_of_a_burst_waits_for_no_window() -> None:
    # debounceMs 0 (the default): no quiet window. Edits that arrive before the analysis runs
    # join it; whatever is published, the versions only go up and the last edit's arrives.
    async with session("visual_studio_code") as client:
        uri = uri_of("clean")
        open_document(client, uri, text_of("clean"))
        await wait_for_publish(client, uri, 1)
        start = len(client.published)

        for version, char in enumerate("12340", start=2):
            change_document(client, uri, version, [edit((7, 20), (7, 21), char)])
        change_document(client, uri, 7, [edit((7, 20), (7, 21), "O")])
        last = await asyncio.wait_for(wait_for_publish(client, uri, 7, start=start), 5)

        assert as_json(last.diagnostics) == as_json([bad_gpu_diagnostic(line=7)])
        versions = [p.version for p in client.published[start:] if p.uri == uri]
        assert versions == sorted(set(versions))  # never an older version after a newer one
        assert len(versions) <= 6  # at most one publish per edit


async def test_open_publishes_without_waiting_for_the_window() -> None:
    async with session("visual_studio_code", configuration={"debounceMs": 10_000}) as client:
        uri = uri_of("bad_gpu")
        open_document(client, uri, text_of("bad_gpu"))
        published = await asyncio.wait_for(wait_for_publish(client, uri, 1), 5)
        assert as_json(published.diagnostics) == as_json([bad_gpu_diagnostic()])


async def test_pull_reports_are_versioned_and_never_pushed() -> None:
    async with session("neovim") as client:
        assert pulls(client)
        uri = uri_of("bad_gpu")
        open_document(client, uri, text_of("bad_gpu"))

        first = await pull(client, uri)
        assert isinstance(first, types.RelatedFullDocumentDiagnosticReport)
        assert as_json(first.items) == as_json([bad_gpu_diagnostic()])
        assert first.result_id is not None

        same = await pull(client, uri, previous_result_id=first.result_id)
        assert same == types.RelatedUnchangedDocumentDiagnosticReport(result_id=first.result_id)

        change_document(client, uri, 2, [edit((4, 20), (4, 21), "0")])
        fixed = await pull(client, uri, previous_result_id=first.result_id)
        assert isinstance(fixed, types.RelatedFullDocumentDiagnosticReport)
        assert as_json(fixed.items) == []
        assert fixed.result_id not in (None, first.result_id)

        close_document(client, uri)
        await pull(client, uri)  # a round trip after the close
        assert client.published == []


@pytest.mark.parametrize("profile", ["visual_studio_code", "emacs", "neovim"])
async def test_pull_is_advertised_only_to_clients_that_declare_it(profile: str) -> None:
    async with session(profile) as client:
        assert client.initialize_result is not None
        provider = client.initialize_result.capabilities.diagnostic_provider
        if profile == "neovim":
            assert provider == types.DiagnosticOptions(
                identifier="cerebrium", inter_file_dependencies=False, workspace_diagnostics=False
            )
        else:
            assert provider is None
        uri = uri_of("clean")
        open_document(client, uri, text_of("clean"))
        await diagnostics_for(client, uri, 1)
        # A pull client got no push, a push client exactly one.
        assert len(client.published) == (0 if profile == "neovim" else 1)
