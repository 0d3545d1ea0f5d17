"""Property-based tests: nothing a file holds can crash the analysis or a feature, every range
stays inside the document, and quick fixes never break a file that parsed or delete a comment.

Inputs: TOML-like text generated from the config model's own tables, keys and values; random
mutations of every corpus file and example (insert, delete, duplicate, swap characters and
lines, cut); and every cut of every example. The oracle is :func:`fuzz_support.exercise`.

The default run is sized to finish in well under a minute. ``HYPOTHESIS_PROFILE=long`` (or
``bench/fuzz.py`` for a timed campaign) runs many more examples.
"""

from __future__ import annotations

import os
import random

import pytest
from fuzz_support import ALPHABET, exercise, mutate, random_offsets, seed_texts
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cerebrium_lsp.analysis.engine import AnalysisOptions, analyze
from cerebrium_lsp.model import MODEL

settings.register_profile(
    "fuzz-default",
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "long",
    max_examples=5_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PROFILE = settings.get_profile(
    "long" if os.environ.get("HYPOTHESIS_PROFILE") == "long" else "fuzz-default"
)
LONG = PROFILE.max_examples > 1_000

SEEDS = seed_texts()
pytestmark = pytest.mark.skipif(not SEEDS, reason="no corpus or examples to mutate")


# --- TOML-like text from the model ----------------------------------------------------------------

TABLE_NAMES = sorted({".".join(t.path) for t in MODEL.tables} | {"cerebrium", "a.b", "x"})
KEY_NAMES = sorted({k.name for t in MODEL.tables for k in t.keys} | {"a", "b-c", "gpu_cont"})
ENUM_VALUES = sorted({v for t in MODEL.tables for k in t.keys for v in k.enum_values})

bare_keys = st.sampled_from(KEY_NAMES) | st.from_regex(r"[A-Za-z0-9_-]{1,8}", fullmatch=True)
keys = st.one_of(
    bare_keys,
    st.builds(lambda k: f'"{k}"', bare_keys),
    st.lists(bare_keys, min_size=2, max_size=4).map(".".join),
)
strings = st.one_of(
    st.sampled_from(ENUM_VALUES).map(lambda v: f'"{v}"'),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12).map(
        lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
    ),
    st.text(alphabet=ALPHABET, max_size=12).map(lambda s: f"'{s}'"),
    st.text(alphabet=ALPHABET, max_size=20).map(lambda s: f'"""{s}"""'),
    st.sampled_from(['"\\u00e9"', '"\\x"', '"\\U0001F600"', '"unterminated', "'''ml\nx'''"]),
)
scalars = st.one_of(
    strings,
    st.integers(-(2**70), 2**70).map(str),
    st.floats(allow_nan=True).map(repr),
    st.sampled_from(["true", "false", "True", "1979-05-27", "07:32:00", "1979-05-27T07:32:00Z"]),
    st.sampled_from(["0x1F", "0o7", "0b1", "1_000", "1e6", "+inf", "nan", "01", "1__0", "3.11"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.lists(st.tuples(bare_keys, inner), max_size=3).map(
            lambda kvs: "{" + ", ".join(f"{k} = {v}" for k, v in kvs) + "}"
        ),
    ),
    max_leaves=8,
)
lines = st.one_of(
    st.sampled_from(TABLE_NAMES).map(lambda t: f"[{t}]"),
    st.sampled_from(TABLE_NAMES).map(lambda t: f"[[{t}]]"),
    st.tuples(keys, values).map(lambda kv: f"{kv[0]} = {kv[1]}"),
    st.tuples(keys, values).map(lambda kv: f"{kv[0]}={kv[1]} # note"),
    st.just(""),
    st.text(alphabet=ALPHABET, max_size=6).map(lambda s: "# " + s),
    st.text(alphabet=ALPHABET, max_size=10),
)
documents = st.tuples(
    st.lists(lines, max_size=25), st.sampled_from(["\n", "\r\n", "\r"]), st.booleans()
).map(lambda d: ("\ufeff" if d[2] else "") + d[1].join(d[0]))


@settings(PROFILE)
@given(documents, st.randoms(use_true_random=False))
def test_generated_documents(text: str, rng: random.Random) -> None:
    exercise(text, random_offsets(text, rng))


@settings(PROFILE)
@given(st.sampled_from(SEEDS), st.randoms(use_true_random=False), st.integers(1, 8))
def test_mutated_corpus_and_examples(seed: tuple[str, str], rng: random.Random, steps: int) -> None:
    text = mutate(seed[1], rng, steps)
    exercise(text, random_offsets(text, rng))


@settings(PROFILE)
@given(st.sampled_from(SEEDS), st.randoms(use_true_random=False))
def test_unmutated_seeds_at_random_positions(seed: tuple[str, str], rng: random.Random) -> None:
    """Every feature at random positions of real files (and every quick fix of them)."""
    exercise(seed[1], random_offsets(seed[1], rng, count=8))


EXAMPLE_TEXTS = [text for name, text in SEEDS if name.startswith("examples/")]


@pytest.mark.parametrize("index", range(len(EXAMPLE_TEXTS)))
def test_every_cut_of_every_example(index: int) -> None:
    """The file typed up to each offset (as an editor shows it while typing it top to bottom):
    analysis never raises and every range fits the cut text."""
    text = EXAMPLE_TEXTS[index]
    for end in range(len(text) + 1):
        exercise(text[:end], (end // 2, end))


def test_every_cut_of_every_corpus_file() -> None:
    """Each corpus file cut at a spread of offsets (every offset in the long profile)."""
    options = AnalysisOptions(file_checks=False)
    for name, text in SEEDS:
        if not name.startswith("corpus/"):
            continue
        step = 1 if LONG else max(1, len(text) // 40)
        for end in range(0, len(text) + 1, step):
            cut = text[:end]
            analysis = analyze(cut, options, raise_errors=True)
            for d in analysis.diagnostics:
                assert 0 <= d.span.start <= d.span.end <= len(cut), (name, end, d)


# --- What fuzzing and the hostile tests found, kept as regression tests -------------------------

FOUND = {
    # fix-all: renaming [cerebrium.deplment] and adding the missing [cerebrium.deployment]
    # each work alone; together they defined the table twice.
    "fix-all clash": "[cerebrium.deplment]",
    "fix-all clash, file with an error": '[cerebrium.deploymet]\nname = "x"\ninclude = ["c\ud800"]\n',
    "fix-all, two typos to one key": (
        '[cerebrium.deployment]\nname = "a"\n[cerebrium.hardware]\ngpu_cont = 1\ngpu_cout = 2\n'
    ),
    # a rename whose new path is taken further down (or by dotted keys, or an array of tables)
    "rename onto a sub-table": (
        '[cerebrium.deployment]\nname = "a"\n[cerebrium.hardwere.x]\n[cerebrium.hardware.x]\n'
    ),
    "rename onto dotted keys": (
        '[cerebrium.deployment]\nname = "a"\n[cerebrium.hardwere]\n[cerebrium]\nhardware.cpu = 2\n'
    ),
    "prefix onto an existing table": (
        '[hardware]\ncpu = 2\n[cerebrium.hardware]\nmemory = 2\n[cerebrium.deployment]\nname = "a"\n'
    ),
    "legacy rename onto an array of tables": (
        "scaling_target = [[1], [{ b = [] }]]\n[cerebrium.requirements.apt]\n"
        "[[cerebrium.dependencies]]"
    ),
    "missing name, but name is a table": "[cerebrium.deployment]\nname = {}\n",
    "missing name, deployment by dotted keys": '[cerebrium]\ndeployment.python_version = "3.11"\n',
    # a removal whose entry runs over lines holding a comment, with more on its last line
    "removal keeps a comment": (
        "[cerebrium.runtime.deepgram]\nprovider = true\n[[cerebrium.build]]\n,u rC6f8Zx\n"
        '[cerebrium.requirements.conda]\n[cerebrium.deployment] = "3.11"\n# \n'
        'readycheck_endpoint = ["a", "b",]\nreadycheck_endpoint = [\n[[cerebrium.hardware]] = 1\n'
        "# [t\n{ a = 1, } = true"
    ),
    "removal inside an inline table keeps a comment": (
        '[cerebrium]\nhardware = { gpu = [\n  "AMPERE_A10", # c\n], cpu = 2 }\n'
    ),
    # replacements written without TOML escaping
    "apt version with quotes": (
        '[cerebrium.dependencies.apt]\npredict_data = "{\\"prompt\\": \\"x\\"}"\n'
    ),
    "endpoint with quotes": '[cerebrium.runtime.custom]\nhealthcheck_endpoint = "a\\"b"\n',
    "entrypoint with a backslash": '[cerebrium.runtime.custom]\nentrypoint = "run \\\\x \\"y\\""\n',
    "list from a multi-line string": '[cerebrium.deployment]\nexclude = """multi\nline"""\n',
    "enum fix for a boolean": "[cerebrium.runtime]\ncontainer_runtime = true\n",
    "memory nan": "[cerebrium.hardware]\nmemory = nan\n",
    # checks that raised (int() of inf, nan, "²", 5,000 digits): their other diagnostics were lost
    "cpu nan": '[cerebrium.hardware]\ncompute = "AMPERE_A10"\ncpu = nan\n',
    "gpu_count inf": '[cerebrium.hardware]\ncompute = "AMPERE_A10"\ngpu_count = inf\n',
    "gpu_count nan": '[cerebrium.hardware]\ncompute = "AMPERE_A10"\ngpu_count = nan\n',
    "port inf": '[cerebrium.runtime.custom]\nport = inf\nentrypoint = ["uvicorn", "--port", "80"]\n',
    "port superscript": '[cerebrium.runtime.custom]\nentrypoint = ["uvicorn", "--port", "²"]\n',
    "port of 5,000 digits": (
        f'[cerebrium.runtime.custom]\nentrypoint = ["uvicorn", "--port", "{"9" * 5000}"]\n'
    ),
    "bind port of 5,000 digits": (
        f'[cerebrium.runtime.custom]\nentrypoint = ["gunicorn", "--bind", ":{"9" * 5000}"]\n'
    ),
}


@pytest.mark.parametrize("text", list(FOUND.values()), ids=list(FOUND))
def test_found_by_fuzzing(text: str) -> None:
    exercise(text, range(0, len(text) + 1, max(1, len(text) // 60)))
