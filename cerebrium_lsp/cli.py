"""The ``cerebrium-lsp`` command: ``serve`` (default), ``check``, ``plan``, ``format``,
``schema``."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from cerebrium_lsp import __version__

if TYPE_CHECKING:
    import argparse

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


def _parser() -> argparse.ArgumentParser:
    # Imported here: `format` with plain arguments starts without it (_plain_format_args).
    import argparse

    class _Version(argparse.Action):
        """``--version``: the version, then the date of the compute and region catalog (so a
        user can tell a typo from a GPU added since). The model is imported only when asked."""

        def __init__(self, option_strings: Sequence[str], dest: str, help: str) -> None:
            super().__init__(option_strings, argparse.SUPPRESS, nargs=0, help=help)

        def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
            from cerebrium_lsp.model.catalog_age import CATALOG_DATE

            sys.stdout.write(f"{parser.prog} {__version__} (catalog of {CATALOG_DATE})\n")
            parser.exit()

    parser = argparse.ArgumentParser(
        prog="cerebrium-lsp",
        description="Language server and checker for Cerebrium's cerebrium.toml.",
    )
    parser.add_argument(
        "--version", action=_Version, help="print the version and the catalog's date, then exit"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    serve = commands.add_parser("serve", help="run the language server over stdio (the default)")
    serve.add_argument("--stdio", action="store_true", help="accepted for editor compatibility")

    check = commands.add_parser(
        "check",
        help="check cerebrium.toml files (for CI and pre-commit)",
        description="Check files, or folders searched for cerebrium.toml. Exit 0 when no "
        "errors, 1 when errors (or warnings with --fail-on warning), 2 on usage or I/O problems.",
    )
    check.add_argument("paths", nargs="*", default=["."], metavar="PATH")
    check.add_argument(
        "--format",
        choices=("text", "json", "github", "sarif"),
        default="text",
        help="output format: text (default), json (LSP diagnostics), github (GitHub Actions "
        "annotations) or sarif (SARIF 2.1.0 for code scanning)",
    )
    check.add_argument(
        "--fail-on",
        choices=("error", "warning"),
        default="error",
        help="lowest severity that makes the exit code 1 (default error)",
    )
    check.add_argument(
        "--no-file-checks",
        action="store_true",
        help="skip checks that read other files (main.py, Dockerfile, paths.*, the upload set)",
    )
    check.add_argument(
        "--fix",
        action="store_true",
        help="apply every safe quick fix to the files, then report what is left",
    )
    check.add_argument(
        "--severity",
        action="append",
        default=[],
        metavar="CODE=LEVEL",
        help="override a diagnostic's severity (error, warning, information, hint, off)",
    )

    plan = commands.add_parser(
        "plan",
        help="print the container build plan a cerebrium.toml produces",
        description="Show the image-build stages, runtime, hardware and cost a cerebrium.toml "
        "produces, or (with --diff) which stages an edit re-runs.",
    )
    plan.add_argument("file", nargs="?", default="cerebrium.toml", metavar="FILE")
    plan.add_argument(
        "--format",
        choices=("markdown", "json", "dockerfile"),
        default="markdown",
        help="markdown (default), json, or a Dockerfile that approximates the build locally",
    )
    plan.add_argument(
        "--diff",
        metavar="REV",
        help="compare with the file at git revision REV and print the rebuild impact",
    )

    fmt = commands.add_parser(
        "format",
        help="format TOML files in the style `taplo fmt` keeps (files with errors are left alone)",
        description="Format files (any TOML file named), or folders searched for "
        "cerebrium.toml; - formats standard input to standard output. Exit 0 when done, 1 with "
        "--check when a file would change, 2 on usage or I/O problems or when a file has errors "
        "(it is left unchanged; the other files are still formatted).",
    )
    fmt.add_argument("paths", nargs="*", default=["."], metavar="PATH")
    fmt.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 when a file would change"
    )
    fmt.add_argument(
        "--diff", action="store_true", help="write nothing; print a unified diff of the changes"
    )

    schema = commands.add_parser("schema", help="print the JSON Schema generated from the model")
    schema.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of stdout")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        plain = _plain_format_args(sys.argv[1:] if argv is None else argv)
        if plain is not None:  # argparse and its set-up are a third of format's start-up
            return _format_without_collector(*plain, whole_process=argv is None)
        return _run(_parser().parse_args(argv))
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly, without a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_FINDINGS


def _format_without_collector(
    paths: list[str], check: bool, diff: bool, *, whole_process: bool
) -> int:
    """``format``, with the cyclic garbage collector paused: the formatter builds no reference
    cycles (tested), and the collector's passes over its trees and modules only cost time. When
    this run is the whole process, the objects are frozen at the end, so the interpreter's exit
    does not walk them all once more."""
    import gc

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        from cerebrium_lsp.format.cli import run_format

        return run_format(paths, check=check, diff=diff)
    finally:
        if whole_process:
            gc.freeze()
        elif was_enabled:
            gc.enable()


def _plain_format_args(argv: Sequence[str]) -> tuple[list[str], bool, bool] | None:
    """``format`` with nothing but ``--check``, ``--diff`` and paths (a pre-commit hook's
    call): paths, check and diff exactly as the parser would read them. None for anything
    else (help, other options, abbreviations, ``--``, paths among the options): argparse
    reads those, with its messages."""
    if not argv or argv[0] != "format":
        return None
    args = argv[1:]
    flags = {"--check", "--diff"}
    start = 0
    while start < len(args) and args[start] in flags:
        start += 1
    end = start
    while end < len(args) and (args[end] == "-" or not args[end].startswith("-")):
        end += 1
    if any(arg not in flags for arg in args[end:]):
        return None
    options = {*args[:start], *args[end:]}
    return list(args[start:end]) or ["."], "--check" in options, "--diff" in options


def _run(args: argparse.Namespace) -> int:
    if args.command in (None, "serve"):
        from cerebrium_lsp.server import serve

        serve()
        return EXIT_OK
    if args.command == "check":
        from cerebrium_lsp.check import run_check

        return run_check(
            args.paths,
            output_format=args.format,
            fail_on=args.fail_on,
            file_checks=not args.no_file_checks,
            severity_args=args.severity,
            fix=args.fix,
        )
    if args.command == "plan":
        from cerebrium_lsp.plan import run_plan

        return run_plan(args.file, args.format, args.diff)
    if args.command == "format":
        from cerebrium_lsp.format.cli import run_format

        return run_format(args.paths, check=args.check, diff=args.diff)
    if args.command == "schema":
        from cerebrium_lsp.schema import render_schema

        text = render_schema()
        if args.output:
            try:
                Path(args.output).write_text(text, encoding="utf-8")
            except OSError as error:
                print(
                    f"cerebrium-lsp: cannot write {args.output}: {error.strerror}", file=sys.stderr
                )
                return EXIT_USAGE
        else:
            sys.stdout.write(text)
        return EXIT_OK
    return EXIT_USAGE
