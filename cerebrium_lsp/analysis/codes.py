"""Every diagnostic code: its default severity, what it means, and a bad and a fixed example.

``docs/diagnostics.md`` is generated from this table (``cerebrium-lsp codes --markdown``) and a
test keeps the two in step, so the documentation cannot drift from the checks.
"""

from __future__ import annotations

from dataclasses import dataclass

from cerebrium_lsp.analysis.diagnostics import Severity


@dataclass(frozen=True, slots=True)
class Code:
    name: str
    severity: Severity
    title: str
    explanation: str
    bad: str
    fixed: str
    # Project files both examples are checked beside, as (path, text): for checks that read the
    # project folder (the entrypoint's module, the Dockerfile).
    files: tuple[tuple[str, str], ...] = ()
    # Project files given by size alone, as (path, bytes): the content does not matter.
    sized_files: tuple[tuple[str, int], ...] = ()


_CODES: tuple[Code, ...] = (
    # --- TOML ------------------------------------------------------------------------------
    Code(
        "toml-syntax",
        "error",
        "TOML syntax error",
        "The file is not valid TOML 1.0; the CLI refuses it with “failed to read config file”. "
        "Every syntax error is reported, and the parts that do parse are still checked.",
        '[cerebrium.hardware]\ncompute = "AMPERE_A10',
        '[cerebrium.hardware]\ncompute = "AMPERE_A10"',
    ),
    Code(
        "duplicate-key",
        "error",
        "Key defined twice",
        "TOML forbids defining a key twice in one table; the CLI refuses the file. Reported on "
        "the second definition, with a link to the first.",
        '[cerebrium.runtime.custom]\nhealthcheck_endpoint = "/health"\n'
        'healthcheck_endpoint = "/ready"',
        '[cerebrium.runtime.custom]\nhealthcheck_endpoint = "/health"\n'
        'readycheck_endpoint = "/ready"',
    ),
    Code(
        "duplicate-table",
        "error",
        "Table defined twice",
        "A `[table]` header may appear once; the CLI refuses the file.",
        "[cerebrium.hardware]\ncpu = 2\n\n[cerebrium.hardware]\nmemory = 8",
        "[cerebrium.hardware]\ncpu = 2\nmemory = 8",
    ),
    Code(
        "toml-semantics",
        "error",
        "Invalid TOML structure",
        "A TOML 1.0 rule about tables is broken, e.g. a key redefined as a table or an inline "
        "table extended later.",
        "[cerebrium]\nhardware = { cpu = 2 }\nhardware.memory = 4",
        "[cerebrium]\nhardware = { cpu = 2, memory = 4 }",
    ),
    # --- Structure -------------------------------------------------------------------------
    Code(
        "missing-root",
        "error",
        "No [cerebrium] table",
        "The CLI needs a top-level `cerebrium` table (“'cerebrium' key not found”); every other "
        "top-level table is ignored.",
        '[deployment]\nname = "my-app"',
        '[cerebrium.deployment]\nname = "my-app"',
    ),
    Code(
        "missing-prefix",
        "warning",
        "Section without the cerebrium. prefix",
        "A top-level table named like a Cerebrium section (`[hardware]`) is ignored by the CLI; "
        "it belongs under `[cerebrium.…]`.",
        '[cerebrium.deployment]\nname = "my-app"\n\n[hardware]\ncompute = "ADA_L4"',
        '[cerebrium.deployment]\nname = "my-app"\n\n[cerebrium.hardware]\ncompute = "ADA_L4"',
    ),
    Code(
        "missing-name",
        "error",
        "deployment.name is missing or empty",
        "`cerebrium deploy` fails with “deployment.name is required” — even when `--name` is "
        "passed, because the flag is applied after validation.",
        '[cerebrium.deployment]\npython_version = "3.11"',
        '[cerebrium.deployment]\nname = "my-app"\npython_version = "3.11"',
    ),
    Code(
        "unknown-table",
        "warning",
        "Unknown table",
        "The CLI silently ignores tables it does not know, so nothing in it takes effect. The "
        "message names the closest known table.",
        '[cerebrium.hardwere]\ncompute = "ADA_L4"',
        '[cerebrium.hardware]\ncompute = "ADA_L4"',
    ),
    Code(
        "unknown-key",
        "warning",
        "Unknown key",
        "The CLI silently ignores keys it does not know. The message names the table and the "
        "closest known key.",
        "[cerebrium.hardware]\ngpu_cont = 2",
        "[cerebrium.hardware]\ngpu_count = 2",
    ),
    Code(
        "key-case",
        "information",
        "Key differs from a known key only by case",
        "The CLI lower-cases every key, so this works; the canonical spelling is lower case.",
        '[cerebrium.deployment]\nName = "my-app"',
        '[cerebrium.deployment]\nname = "my-app"',
    ),
    Code(
        "case-collision",
        "warning",
        "Two keys collapse into one",
        "The CLI lower-cases keys, so two keys that differ only by case become one key and which "
        "value wins is not defined.",
        "[cerebrium.hardware]\ncpu = 2\nCPU = 4",
        "[cerebrium.hardware]\ncpu = 4",
    ),
    Code(
        "legacy-table",
        "warning",
        "Legacy table",
        "A table from an older CLI or docs version; the current CLI ignores it. The message "
        "names its replacement.",
        '[cerebrium.requirements.pip]\ntorch = "2.1.0"',
        '[cerebrium.dependencies.pip]\ntorch = "2.1.0"',
    ),
    Code(
        "legacy-key",
        "warning",
        "Legacy key",
        "A key from an older CLI or docs version; the current CLI ignores it, often with a real "
        "effect (a legacy `gpu` key deploys the app on CPU).",
        '[cerebrium.hardware]\ngpu = "AMPERE_A10"',
        '[cerebrium.hardware]\ncompute = "AMPERE_A10"',
    ),
    # --- Values ----------------------------------------------------------------------------
    Code(
        "type-mismatch",
        "error",
        "Value of the wrong type",
        "Error when the CLI cannot decode the value (“failed to parse … config”); warning when it "
        "converts it and the result changes (a float truncated to an integer, `true` sent as "
        '`"1"`).',
        "[cerebrium.scaling]\nmin_replicas = [1]",
        "[cerebrium.scaling]\nmin_replicas = 1",
    ),
    Code(
        "type-coerced",
        "information",
        "Value converted by the CLI",
        'The CLI converts this value losslessly (`"8080"` → 8080); writing the expected type '
        "keeps the file clear.",
        '[cerebrium.runtime.custom]\nport = "8080"',
        "[cerebrium.runtime.custom]\nport = 8080",
    ),
    Code(
        "string-for-list",
        "warning",
        "String where a list is expected",
        "The CLI splits a string on commas to make a list; a v3-style bracketed string "
        '(`"[./*, main.py]"`) keeps its brackets and matches nothing.',
        '[cerebrium.deployment]\ninclude = "[./*, main.py]"',
        '[cerebrium.deployment]\ninclude = ["./*", "main.py"]',
    ),
    Code(
        "invalid-value",
        "error",
        "Value not allowed",
        "The value is not one of the allowed values; the message suggests the closest one "
        "(legacy GPU names get their replacement).",
        '[cerebrium.hardware]\ncompute = "AMPERE_A1O"',
        '[cerebrium.hardware]\ncompute = "AMPERE_A10"',
    ),
    Code(
        "out-of-range",
        "error",
        "Number out of range",
        "The backend rejects values outside the documented range.",
        "[cerebrium.deployment]\ndeployment_initialization_timeout = 900",
        "[cerebrium.deployment]\ndeployment_initialization_timeout = 830",
    ),
    Code(
        "python-version-float",
        "warning",
        "python_version written as a number",
        "The CLI prints floats in shortest form, so `3.10` becomes “3.1” (an error then) and "
        "`3.11` works only by luck. Quote it.",
        "[cerebrium.deployment]\npython_version = 3.10",
        '[cerebrium.deployment]\npython_version = "3.10"',
    ),
    Code(
        "python-version",
        "error",
        "Unsupported Python version",
        "Cerebrium builds Python 3.10 to 3.13.",
        '[cerebrium.deployment]\npython_version = "3.8"',
        '[cerebrium.deployment]\npython_version = "3.11"',
    ),
    Code(
        "empty-value",
        "error",
        "Empty value",
        "The CLI rejects an empty `compute` string or list (“compute must not be empty”).",
        '[cerebrium.hardware]\ncompute = ""',
        '[cerebrium.hardware]\ncompute = "CPU"',
    ),
    # --- Hardware --------------------------------------------------------------------------
    Code(
        "gpu-count-ignored",
        "warning",
        "gpu_count on CPU compute",
        'With `compute = "CPU"` (or no compute) the CLI silently drops `gpu_count`.',
        '[cerebrium.hardware]\ncompute = "CPU"\ngpu_count = 1',
        '[cerebrium.hardware]\ncompute = "CPU"',
    ),
    Code(
        "gpu-count",
        "error",
        "gpu_count outside what the compute type allows",
        "Accelerators need at least one device and at most the type's maximum per replica.",
        '[cerebrium.hardware]\ncompute = "ADA_L4"\ngpu_count = 8',
        '[cerebrium.hardware]\ncompute = "ADA_L4"\ngpu_count = 4',
    ),
    Code(
        "cpu-limit",
        "error",
        "cpu outside what the compute type allows",
        "GPU replicas take whole cores up to a per-GPU ceiling; CPU-only replicas take one of the "
        "fixed sizes (0.25, 0.5, 1, 2, …, 80).",
        '[cerebrium.hardware]\ncompute = "TURING_T4"\ncpu = 16',
        '[cerebrium.hardware]\ncompute = "TURING_T4"\ncpu = 8',
    ),
    Code(
        "memory-limit",
        "error",
        "memory outside what the compute type allows",
        "Host memory (GB) is capped per GPU (or at 160 GB on CPU) and takes at most 2 decimals.",
        '[cerebrium.hardware]\ncompute = "TURING_T4"\nmemory = 64',
        '[cerebrium.hardware]\ncompute = "TURING_T4"\nmemory = 40',
    ),
    Code(
        "compute-list",
        "error",
        "Invalid compute list",
        "A compute list holds 1 to 5 types of one family (NVIDIA, CPU or AWS accelerators), in "
        "preference order.",
        '[cerebrium.hardware]\ncompute = ["ADA_L4", "CPU"]',
        '[cerebrium.hardware]\ncompute = ["ADA_L4", "AMPERE_A10"]',
    ),
    Code(
        "region-provider",
        "warning",
        "Region not served by the provider",
        "Placement is the intersection of region, provider and compute: a region the provider "
        "does not serve never gets a replica.",
        '[cerebrium.hardware]\nprovider = "aws"\nregion = "us-central1"',
        '[cerebrium.hardware]\nprovider = "nebius"\nregion = "us-central1"',
    ),
    Code(
        "region-compute",
        "warning",
        "Compute type not offered in the region",
        "Pinning a region that lacks the requested compute deploys, but never gets a replica.",
        '[cerebrium.hardware]\ncompute = "BLACKWELL_B200"\nregion = "eu-north-1"',
        '[cerebrium.hardware]\ncompute = "BLACKWELL_B200"\nregion = "us-east-1"',
    ),
    Code(
        "region-availability",
        "information",
        "Region available on request only",
        "The region exists but is enabled through Cerebrium support.",
        '[cerebrium.hardware]\nregion = "ap-south-1"',
        '[cerebrium.hardware]\nregion = "us-east-1"',
    ),
    # --- Scaling ---------------------------------------------------------------------------
    Code(
        "replica-range",
        "warning",
        "min_replicas greater than max_replicas",
        "The app can never scale down to its minimum; one of the two is a mistake.",
        "[cerebrium.scaling]\nmin_replicas = 3\nmax_replicas = 1",
        "[cerebrium.scaling]\nmin_replicas = 1\nmax_replicas = 3",
    ),
    Code(
        "scaling-metric",
        "error",
        "Scaling settings that do not fit the metric",
        "The API rejects `cpu_utilization`/`memory_utilization` with `min_replicas = 0`, "
        "`scaling_buffer` with them, and targets outside 1–100 for utilization metrics.",
        '[cerebrium.scaling]\nscaling_metric = "cpu_utilization"\nmin_replicas = 0',
        '[cerebrium.scaling]\nscaling_metric = "cpu_utilization"\nmin_replicas = 1',
    ),
    Code(
        "gpu-concurrency",
        "information",
        "Several concurrent requests on one GPU",
        "`replica_concurrency` above 1 on GPU compute needs batching in the app.",
        '[cerebrium.hardware]\ncompute = "ADA_L4"\n\n[cerebrium.scaling]\nreplica_concurrency = 8',
        '[cerebrium.hardware]\ncompute = "ADA_L4"\n\n[cerebrium.scaling]\nreplica_concurrency = 1',
    ),
    # --- Dependencies ----------------------------------------------------------------------
    Code(
        "version-spec",
        "warning",
        "Version spec the CLI mangles",
        "The CLI prepends `==` to any version not starting with `=`, `>`, `<` or `!`, so "
        '`"~=1.4"` becomes the invalid `pkg==~=1.4`, and apt gets `pkg==1.2` (apt wants `pkg=1.2`).',
        '[cerebrium.dependencies.pip]\nnumpy = "~=1.26"',
        '[cerebrium.dependencies.pip]\nnumpy = ">=1.26,<2"',
    ),
    Code(
        "dotted-package-name",
        "error",
        "Unquoted dotted package name",
        '`libglib2.0-0 = "latest"` is a dotted key: it makes a nested table, which the CLI '
        "cannot decode. Quote the name.",
        '[cerebrium.dependencies.apt]\nlibglib2.0-0 = "latest"',
        '[cerebrium.dependencies.apt]\n"libglib2.0-0" = "latest"',
    ),
    Code(
        "dependency-conflict",
        "error",
        "Both a file and inline dependencies",
        "The CLI refuses `paths.pip` together with a non-empty `[cerebrium.dependencies.pip]` "
        "(likewise apt and conda).",
        '[cerebrium.dependencies.paths]\npip = "requirements.txt"\n\n'
        '[cerebrium.dependencies.pip]\ntorch = "latest"',
        '[cerebrium.dependencies.paths]\npip = "requirements.txt"',
    ),
    Code(
        "missing-file",
        "error",
        "Referenced file does not exist",
        "`dockerfile_path`, `paths.pip|apt|conda` and the `main.py` a cortex app needs are "
        "resolved against the folder that holds `cerebrium.toml`. Switched off with "
        "`--no-file-checks`.",
        '[cerebrium.runtime.custom]\ndockerfile_path = "./Dockerfil"',
        '[cerebrium.runtime.custom]\ndockerfile_path = "./Dockerfile"',
    ),
    Code(
        "path-outside-project",
        "warning",
        "Path outside the project folder",
        "The path leaves the folder that is uploaded; the checker does not read it.",
        '[cerebrium.dependencies.paths]\npip = "../../requirements.txt"',
        '[cerebrium.dependencies.paths]\npip = "requirements.txt"',
    ),
    Code(
        "ignored-with-dockerfile",
        "warning",
        "Setting ignored because dockerfile_path is set",
        "With a Dockerfile the build ignores dependencies, `shell_commands`, "
        "`pre_build_commands`, `python_version` and `docker_base_image_url`.",
        '[cerebrium.deployment]\nshell_commands = ["make"]\n\n'
        '[cerebrium.runtime.custom]\ndockerfile_path = "./Dockerfile"',
        '[cerebrium.runtime.custom]\ndockerfile_path = "./Dockerfile"',
    ),
    # --- Runtime ---------------------------------------------------------------------------
    Code(
        "port-mismatch",
        "warning",
        "Entrypoint port differs from port",
        "The platform routes traffic and health checks to `port`; a server listening elsewhere "
        "never becomes ready.",
        '[cerebrium.runtime.custom]\nport = 8000\nentrypoint = ["uvicorn", "main:app", '
        '"--port", "5000"]',
        '[cerebrium.runtime.custom]\nport = 5000\nentrypoint = ["uvicorn", "main:app", '
        '"--port", "5000"]',
    ),
    Code(
        "endpoint-path",
        "warning",
        "Health or ready check path without a leading /",
        "Check endpoints are HTTP paths on `port`.",
        '[cerebrium.runtime.custom]\nhealthcheck_endpoint = "health"',
        '[cerebrium.runtime.custom]\nhealthcheck_endpoint = "/health"',
    ),
    Code(
        "entrypoint-string",
        "information",
        "entrypoint written as one string",
        "The CLI sends a string entrypoint as a one-element list holding the whole command "
        "line; how the platform splits it is undocumented. A list is unambiguous.",
        '[cerebrium.runtime.custom]\nentrypoint = "python main.py"',
        '[cerebrium.runtime.custom]\nentrypoint = ["python", "main.py"]',
    ),
    Code(
        "partner-conflict",
        "warning",
        "More than one partner service",
        "Only one partner table is used; the CLI picks `deepgram` over `rime`.",
        "[cerebrium.runtime.deepgram]\n\n[cerebrium.runtime.rime]\nport = 8001",
        "[cerebrium.runtime.rime]\nport = 8001",
    ),
    Code(
        "app-name",
        "information",
        "App name longer than 30 characters",
        "`cerebrium run` rejects names over 30 characters (deploy accepts them).",
        '[cerebrium.deployment]\nname = "my-very-long-application-name-for-tests"',
        '[cerebrium.deployment]\nname = "my-app"',
    ),
    # --- Entrypoint targets and the Dockerfile (read from the project folder) ---------------
    Code(
        "entrypoint-target",
        "error",
        "Entrypoint names a module, app or file the project does not have",
        "What the entrypoint starts is read from the project, never run: `uvicorn`, `gunicorn` "
        "and `hypercorn` targets `module:attr` need the module (`module.py` or "
        "`module/__init__.py`, after `--app-dir`) to define `attr` at top level; `python file.py` "
        "needs the file and `python -m pkg` the project's `pkg/__main__.py`. Otherwise the image "
        "builds and the app never starts. Nothing is reported when it cannot be told: a "
        "Dockerfile, a module the build may install, star imports, `globals()`, a module-level "
        "`__getattr__`, a file that does not parse.",
        '[cerebrium.runtime.custom]\nentrypoint = ["uvicorn", "main:app", "--port", "8000"]',
        '[cerebrium.runtime.custom]\nentrypoint = ["uvicorn", "main:server", "--port", "8000"]',
        files=(("main.py", "from fastapi import FastAPI\n\nserver = FastAPI()\n"),),
    ),
    Code(
        "dockerfile-port",
        "warning",
        "Dockerfile EXPOSEs other ports than port",
        "Traffic and health checks go to `port`, but the Dockerfile's final stage (with what "
        "it inherits from earlier stages) starts its server elsewhere: its `CMD`/`ENTRYPOINT` "
        "names another port (`--port 5000`, `$PORT` from a static `ENV`), or, when the command "
        "names none, it EXPOSEs only other ports. `ARG`/`ENV` values are substituted where "
        "static (`${PORT:-8000}`); a value that is not static is not compared, and an "
        "`entrypoint` in the config replaces the Dockerfile's command. The related information "
        "points at the Dockerfile lines.",
        '[cerebrium.runtime.custom]\ndockerfile_path = "./Dockerfile"\nport = 8000',
        '[cerebrium.runtime.custom]\ndockerfile_path = "./Dockerfile"\nport = 8080',
        files=(
            (
                "Dockerfile",
                "FROM python:3.11-slim\nWORKDIR /app\nCOPY . .\nEXPOSE 8080\n"
                'CMD ["python", "main.py"]\n',
            ),
        ),
    ),
    Code(
        "dockerfile-command",
        "error",
        "Nothing starts the app: no CMD, ENTRYPOINT or entrypoint",
        "With `dockerfile_path`, the container runs the Dockerfile's `CMD`/`ENTRYPOINT` (of the "
        "final stage or a stage it is built from) unless `entrypoint` is set; the docs require "
        "one of them. An error on a plain base image (`python`, `debian`, `ubuntu`, "
        "`nvidia/cuda`, …), whose default command starts no server; a warning on other base "
        "images, which may bring their own.",
        '[cerebrium.runtime.custom]\ndockerfile_path = "./Dockerfile"\nport = 8000',
        '[cerebrium.runtime.custom]\ndockerfile_path = "./Dockerfile"\nport = 8000\n'
        'entrypoint = ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8000"]',
        files=(("Dockerfile", "FROM python:3.11-slim\nWORKDIR /app\nCOPY . .\nEXPOSE 8000\n"),),
    ),
    # --- Secrets ---------------------------------------------------------------------------
    Code(
        "secret-in-config",
        "warning",
        "Credential in cerebrium.toml",
        "The file is uploaded with every deploy and usually committed, so a token or password in "
        "it is shared with everyone who can read either. Reported on known token shapes "
        "(Hugging Face `hf_…`, OpenAI `sk-…`, GitHub `ghp_…`, AWS `AKIA…`, …), passwords inside "
        "URLs, and long random strings under keys named like secrets (`*_TOKEN`, `*_PASSWORD`, "
        "`*_API_KEY`), anywhere in the file, comments included. The message shows at most the "
        "first four characters. Store the value as a secret in the Cerebrium dashboard (the app "
        "reads it from its environment), remove it from the file, and revoke it.",
        '[cerebrium.deployment]\nname = "my-app"\nshell_commands = [\n'
        '  "huggingface-cli login --token hf_FAKEfake0123456789FAKEfake01234567",\n]',
        '[cerebrium.deployment]\nname = "my-app"\n'
        "# HF_TOKEN is a Cerebrium secret: huggingface-cli reads it from the environment.\n"
        'shell_commands = ["huggingface-cli whoami"]',
    ),
    # --- The upload: what include/exclude select from the project folder -------------------
    Code(
        "no-files-matched",
        "error",
        "include/exclude select no file",
        "`cerebrium deploy` walks the project folder with `include` and `exclude` (Go globs: "
        "`*` stays within a folder, `**` spans folders, `dir/` means everything in it) and "
        "stops with “no files found matching include patterns” when nothing is left. Reported "
        "on `include` (on `exclude` when only that is written); `cerebrium-lsp plan` lists the "
        "files that do match. Switched off with `--no-file-checks`.",
        '[cerebrium.deployment]\nname = "my-app"\ninclude = ["src/*"]',
        '[cerebrium.deployment]\nname = "my-app"\ninclude = ["main.py", "cerebrium.toml"]',
        files=(("main.py", 'print("hello")\n'),),
    ),
    Code(
        "secret-file",
        "warning",
        "A file that looks like a secret is uploaded",
        "Files such as `.env`, `id_rsa`, a `*.pem`/`*.key` holding a private key, `.ssh/`, "
        "`.aws/`, `.netrc`, `.git-credentials`, `.pypirc`, `*.p12`, gcloud's "
        "`application_default_credentials.json` or a service-account JSON are uploaded with the "
        'code and end up in the build. The default `exclude = [".*"]` keeps root dot-files such '
        "as `.env` out (not `config/.env`), but any non-empty `exclude` replaces it. Templates "
        "such as `.env.example` are not reported. "
        "Recognised by name, or by the first bytes of `*.pem`, `*.key` and small `*.json` "
        "files (nothing read is shown); files inside `.venv/`, `node_modules/` and other "
        "development folders are not examined. The quick fix adds the files to `exclude`, "
        'keeping `".*"`.',
        '[cerebrium.deployment]\nname = "my-app"\nexclude = ["data/"]',
        '[cerebrium.deployment]\nname = "my-app"\nexclude = [".*", "data/"]',
        files=((".env", "HF_TOKEN=replace-me\n"),),
    ),
    Code(
        "dev-folder",
        "information",
        "A development folder is uploaded",
        "`.git/`, `.venv/`, `venv/`, `virtualenv/`, `node_modules/` and `__pycache__/` at the "
        'top of the project are uploaded unless excluded (the default `".*"` only hides '
        "root dot-files, not what dot-folders hold); the build does not need them and every "
        "deploy sends them again. The message says how many files and bytes.",
        '[cerebrium.deployment]\nname = "my-app"',
        '[cerebrium.deployment]\nname = "my-app"\nexclude = [".*", ".venv/"]',
        files=((".venv/pyvenv.cfg", "home = /usr/bin\n"),),
    ),
    Code(
        "upload-size",
        "information",
        "Large upload",
        "The upload holds 50 MB or more; the message says its size and names the largest "
        "files. Every code change uploads it again, and the CLI warns above 1 GB and refuses a "
        "zip above 2 GB. Keep weights and data in persistent storage (`cerebrium cp`) and "
        "exclude them.",
        '[cerebrium.deployment]\nname = "my-app"',
        '[cerebrium.deployment]\nname = "my-app"\nexclude = [".*", "weights/"]',
        sized_files=(("weights/model.safetensors", 60_000_000),),
    ),
)

CODES: dict[str, Code] = {c.name: c for c in _CODES}


def default_severity(code: str) -> Severity:
    entry = CODES.get(code)
    return entry.severity if entry else "error"


def render_markdown() -> str:
    """``docs/diagnostics.md``: the severity policy and every code with examples."""
    lines = [
        "# Diagnostics",
        "",
        "<!-- Generated by `python -m cerebrium_lsp.analysis.codes > docs/diagnostics.md`;"
        " a test fails when this file and the code disagree. -->",
        "",
        "Every diagnostic has `source` = `cerebrium`, a stable `code` below, and a message that"
        " says what was found, what was expected and how to fix it.",
        "",
        "Severity policy:",
        "",
        "- **error**: the Cerebrium CLI or backend rejects it (the deploy or build fails);",
        "- **warning**: accepted, but almost certainly not what you meant (a key silently"
        " ignored, a value mangled on the way);",
        "- **information**: worth knowing; nothing breaks.",
        "",
        "Severities can be changed per code: `cerebrium-lsp check --severity CODE=LEVEL` or the"
        " `cerebrium.severity` setting of the language server (`off` hides a code).",
        "",
        "| code | default severity | meaning |",
        "| --- | --- | --- |",
    ]
    lines += [f"| [`{c.name}`](#{c.name}) | {c.severity} | {c.title} |" for c in _CODES]
    for c in _CODES:
        lines += [
            "",
            f"## {c.name}",
            "",
            f"**{c.title}** — default severity: {c.severity}.",
            "",
            c.explanation,
            "",
        ]
        for path, text in c.files:
            lines += [f"Project file `{path}`:", "", f"```{_fence_language(path)}", text.rstrip()]
            lines += ["```", ""]
        for path, size in c.sized_files:
            lines += [f"Project file `{path}`: {size:,} bytes.", ""]
        lines += [
            "Bad:",
            "",
            "```toml",
            c.bad,
            "```",
            "",
            "Fixed:",
            "",
            "```toml",
            c.fixed,
            "```",
        ]
    return "\n".join(lines) + "\n"


def _fence_language(path: str) -> str:
    if path.endswith(".py"):
        return "python"
    return "dockerfile" if "dockerfile" in path.lower() else "text"


if __name__ == "__main__":
    import sys

    sys.stdout.write(render_markdown())
