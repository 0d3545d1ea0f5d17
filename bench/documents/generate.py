"""Writes ``large/cerebrium.toml``: the small document's tables, then long, commented dependency
tables (the shape of a real monorepo app's pinned requirements), 991 lines in all.

Deterministic: run ``python bench/documents/generate.py`` to rewrite the committed file.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent
LINES = 991

PIP = [
    "numpy",
    "scipy",
    "pandas",
    "torch",
    "torchvision",
    "torchaudio",
    "transformers",
    "accelerate",
    "datasets",
    "tokenizers",
    "safetensors",
    "sentencepiece",
    "protobuf",
    "pydantic",
    "fastapi",
    "uvicorn",
    "httpx",
    "requests",
    "aiohttp",
    "boto3",
    "botocore",
    "pillow",
    "opencv-python-headless",
    "scikit-learn",
    "scikit-image",
    "matplotlib",
    "sqlalchemy",
    "psycopg2-binary",
    "redis",
    "celery",
    "orjson",
    "ujson",
    "pyyaml",
    "tqdm",
    "rich",
    "click",
    "typer",
    "jinja2",
    "einops",
    "xformers",
    "bitsandbytes",
    "peft",
    "trl",
    "diffusers",
    "openai",
    "tiktoken",
    "langchain",
    "sentence-transformers",
    "faiss-cpu",
    "onnxruntime",
    "librosa",
    "soundfile",
    "pydub",
    "nltk",
    "spacy",
    "regex",
    "networkx",
]
APT = [
    "ffmpeg",
    "libgl1",
    "libglib2.0-0",
    "libsm6",
    "libxext6",
    "libxrender1",
    "git",
    "curl",
    "wget",
    "build-essential",
    "cmake",
    "pkg-config",
    "libsndfile1",
    "libopenblas-dev",
    "libjpeg-dev",
    "zlib1g-dev",
    "libpq-dev",
    "poppler-utils",
    "tesseract-ocr",
    "unzip",
]
SPECS = ["latest", ">=1.0", "==2.1.0", ">=0.4,<1", "4.46.3", "*", "!=1.2.0", "<3"]


def _key(name: str) -> str:
    return name if all(c.isalnum() or c in "-_" for c in name) else f'"{name}"'


def main() -> None:
    head = (HERE / "small" / "cerebrium.toml").read_text(encoding="utf-8").splitlines()
    # Everything up to the dependency tables comes from the small document.
    cut = head.index("[cerebrium.dependencies.pip]")
    out = head[:cut]
    out += [
        "# Python packages. Internal packages are pinned to the release the team tested;",
        "# public ones follow the platform team's compatibility matrix.",
        "[cerebrium.dependencies.pip]",
    ]
    body: list[str] = []
    apt_lines = 110
    pip_budget = LINES - len(out) - apt_lines - 3
    i = 0
    while len(body) < pip_budget:
        if i % 12 == 0:
            body.append(f"# --- group {i // 12 + 1}: services that share a lock file ---")
        name = PIP[i] if i < len(PIP) else f"acme-{PIP[i % len(PIP)]}-plugin-{i:03d}"
        body.append(f'{_key(name)} = "{SPECS[i % len(SPECS)]}"')
        i += 1
    out += body[:pip_budget]
    out += ["", "# System packages for the image.", "[cerebrium.dependencies.apt]"]
    k = 0
    while len(out) < LINES:
        if k % 9 == 0 and (not out[-1].startswith("#")):
            out.append(f"# apt group {k // 9 + 1}: runtime libraries for the model server")
            continue
        name = APT[k % len(APT)]
        suffix = "" if k < len(APT) else f"-compat{k // len(APT)}"
        out.append(f'{_key(name + suffix)} = "latest"')
        k += 1
    (HERE / "large" / "cerebrium.toml").write_text("\n".join(out[:LINES]) + "\n", encoding="utf-8")
    (HERE / "large" / "main.py").write_text(
        (HERE / "small" / "main.py").read_text(encoding="utf-8"), encoding="utf-8"
    )


if __name__ == "__main__":
    main()
