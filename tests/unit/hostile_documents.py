"""Hostile and odd documents, shared by ``test_hostile.py`` and ``bench/hostile.py``.

Each builder returns the document text; ``size`` scales the ones that have a size. The realistic
large document (:func:`large_config`) is a plausible ``cerebrium.toml`` grown to ``size``
characters with long, commented dependency tables: what a 5 MB budget is measured on.
"""

from __future__ import annotations

from collections.abc import Callable

MB = 1_000_000

HEAD = """\
# A GPU inference app.
[cerebrium.deployment]
name = "llm-inference"
python_version = "3.11"
include = ["./*", "main.py", "cerebrium.toml"]
exclude = [".*"]

[cerebrium.hardware]
cpu = 4
memory = 16.0
compute = "AMPERE_A10"

[cerebrium.scaling]
min_replicas = 0
max_replicas = 5
"""


def large_config(size: int = 5 * MB) -> str:
    """A valid config of about ``size`` characters: 1 in 3 lines a quoted package name, the
    others a bare name with a range and a trailing comment."""
    lines = [HEAD, "[cerebrium.dependencies.pip]"]
    total = len(HEAD)
    i = 0
    while total < size:
        if i % 3:
            line = f'acme-package-{i:06d} = ">=1.{i % 17},<2"  # pinned by team {i % 13}'
        else:
            line = f'"acme.pkg.{i:06d}" = "=={i % 9}.{i % 7}.0"'
        lines.append(line)
        total += len(line) + 1
        i += 1
    return "\n".join(lines) + "\n"


def many_tables(count: int = 10_000) -> str:
    """``count`` tables, each unknown (one warning each)."""
    return HEAD + "".join(f"\n[cerebrium.extra{i}]\nkey = {i}\n" for i in range(count))


def nested_arrays(depth: int = 10_000) -> str:
    return f"{HEAD}\n[cerebrium.x]\nv = {'[' * depth}{']' * depth}\n"


def nested_inline_tables(depth: int = 10_000) -> str:
    return f"{HEAD}\n[cerebrium.x]\nv = {'{a = ' * depth}1{'}' * depth}\n"


def unclosed_nesting(depth: int = 10_000) -> str:
    return f"{HEAD}\n[cerebrium.x]\nv = {'[{a = ' * depth}\n"


def deep_dotted_key(depth: int = 10_000) -> str:
    return f"{HEAD}\n{'a.' * depth}a = 1\n[{'b.' * depth}b]\n"


def long_line(size: int = 2 * MB) -> str:
    return f'{HEAD}\n[cerebrium.runtime.custom]\nentrypoint = ["{"x" * size}"]\n'


def long_bare_value(size: int = MB) -> str:
    return f"{HEAD}\n[cerebrium.hardware.more]\ncpu = {'1' * size}\n"


def long_comment(size: int = 2 * MB) -> str:
    return f"{HEAD}# {'#' * size}\n"


def many_errors(lines: int = 100_000) -> str:
    return HEAD + "= = =\n" * lines


def long_array(items: int = 200_000) -> str:
    return f"{HEAD}\n[cerebrium.deployment.more]\ninclude = [{', '.join(['1'] * items)}]\n"


def unterminated_multiline(lines: int = 100_000) -> str:
    return f'{HEAD}\n[cerebrium.x]\nv = """' + "text\n" * lines


# name -> builder, for the tests and the benchmark
HOSTILE: dict[str, Callable[[], str]] = {
    "large_config_5mb": large_config,
    "tables_10000": many_tables,
    "nested_arrays_10000": nested_arrays,
    "nested_inline_tables_10000": nested_inline_tables,
    "unclosed_nesting_10000": unclosed_nesting,
    "dotted_key_10000_parts": deep_dotted_key,
    "long_line_2mb": long_line,
    "long_bare_value_1mb": long_bare_value,
    "long_comment_2mb": long_comment,
    "syntax_errors_100000": many_errors,
    "array_200000_items": long_array,
    "unterminated_multiline_100000": unterminated_multiline,
}
