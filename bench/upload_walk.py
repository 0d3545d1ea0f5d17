"""What the upload checks (the walk of the files include/exclude select) add to the analysis of
one keystroke in cerebrium.toml.

    .venv/bin/python bench/upload_walk.py [--samples N]

The small bench document in the realistic project ``project_tree.py`` writes (about 2,800 files
in 480 folders). ``analyze`` is timed (median of N runs) four ways:

* ``no file checks``: ``--no-file-checks``, the floor;
* ``cached``: file checks on, a keystroke within a second of the last look at the folders;
* ``stamps``: the folders' modification times checked at every keystroke (one ``lstat`` per
  folder; what the first keystroke after a second of pause costs);
* ``uncached``: the cache cleared before every run: the walk at every keystroke (what a server
  without the cache would pay, and what an edit of include/exclude or a watched-file event costs
  once).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from functools import partial
from pathlib import Path

from project_reads import median_ms
from project_tree import write_project_tree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cerebrium_lsp.analysis import upload_set  # noqa: E402
from cerebrium_lsp.analysis.engine import AnalysisOptions, analyze  # noqa: E402

DOCUMENT = ROOT / "bench" / "documents" / "small" / "cerebrium.toml"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=200)
    args = parser.parse_args()
    text = DOCUMENT.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="cerebrium-upload-") as tmp:
        folder = Path(tmp)
        files = write_project_tree(folder)
        (folder / "cerebrium.toml").write_text(text, encoding="utf-8")
        (folder / "main.py").write_text("print('app')\n", encoding="utf-8")
        off = AnalysisOptions(project_dir=folder, file_checks=False)
        on = AnalysisOptions(project_dir=folder)
        run = partial(analyze, text, on)
        run()  # warm: imports, the first walk
        no_checks = median_ms(args.samples, partial(analyze, text, off))
        cached = median_ms(args.samples, run)
        trust, upload_set.TRUST_S = upload_set.TRUST_S, 0.0
        stamps = median_ms(args.samples, run)
        upload_set.TRUST_S = trust
        uncached = median_ms(args.samples, run, upload_set.forget_uploads)
        walk = upload_set.upload_set(folder, ["./*"], [".*"]).walk
        print(f"project: {files + 2} files in {len(walk.folder_stamps)} folders")
        print(f"{'no file checks':>15} {'cached':>10} {'stamps':>10} {'uncached':>10}  (ms)")
        print(f"{no_checks:>15.2f} {cached:>10.2f} {stamps:>10.2f} {uncached:>10.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
