"""The build plan: how Cerebrium turns ``cerebrium.toml`` into an image, what one replica costs
to run, and which stages an edit re-runs.

* :func:`build_plan` — the plan of an analysed document (:mod:`.build`, data in :mod:`.model`);
* :func:`to_markdown`, :func:`to_json`, :func:`to_dockerfile` — its renderings;
* :func:`rebuild_impact` — what an edit re-runs, against a baseline from :func:`git_baseline`
  or :func:`choose_baseline`;
* :func:`run_plan` — the ``cerebrium-lsp plan`` command.
"""

from cerebrium_lsp.plan.baseline import Baseline, choose_baseline, git_baseline
from cerebrium_lsp.plan.build import build_plan
from cerebrium_lsp.plan.cli import run_plan
from cerebrium_lsp.plan.impact import Impact, KeyChange, impact_between, rebuild_impact
from cerebrium_lsp.plan.model import BuildPlan
from cerebrium_lsp.plan.render import (
    impact_to_json,
    impact_to_markdown,
    to_dockerfile,
    to_json,
    to_markdown,
)

__all__ = [
    "Baseline",
    "BuildPlan",
    "Impact",
    "KeyChange",
    "build_plan",
    "choose_baseline",
    "git_baseline",
    "impact_between",
    "impact_to_json",
    "impact_to_markdown",
    "rebuild_impact",
    "run_plan",
    "to_dockerfile",
    "to_json",
    "to_markdown",
]
