import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as vscode from "vscode";
import {
  buildPlanParams,
  impactMarkdown,
  kindOf,
  sourceOf,
  unavailableMarkdown,
  viewUri,
} from "../../src/preview";

describe("build plan and impact views", () => {
  const source = vscode.Uri.file("/home/me/my app/cerebrium.toml");

  it("name a virtual Markdown document beside the file and map back to it", () => {
    const plan = viewUri(source);
    assert.equal(plan.scheme, "cerebrium-plan");
    assert.equal(plan.path, "/home/me/my app/Build Plan (cerebrium.toml).md");
    assert.equal(sourceOf(plan).toString(), source.toString());
    assert.equal(kindOf(plan), "plan");
    const impact = viewUri(source, "impact");
    assert.equal(impact.path, "/home/me/my app/Rebuild Impact (cerebrium.toml).md");
    assert.equal(kindOf(impact), "impact");
    assert.equal(sourceOf(impact).toString(), source.toString());
  });

  it("ask the server for Markdown of that document", () => {
    assert.deepEqual(buildPlanParams(source, "markdown"), {
      textDocument: { uri: source.toString() },
      format: "markdown",
    });
  });

  it("explain an unavailable view", () => {
    const md = unavailableMarkdown("plan", source, "The Cerebrium server is not running");
    assert.match(md, /^# Build Plan unavailable/);
    assert.match(md, /`cerebrium.toml`: The Cerebrium server is not running/);
  });

  it("render the impact the server computed", () => {
    const md = impactMarkdown(
      {
        summary: "full rebuild",
        baseline: "git HEAD",
        stages: ["base", "pip", "code"],
        changes: [
          { key: "deployment.python_version", kind: "changed", old: "3.11", new: "3.12", stage: "base", applies: true, note: "" },
          { key: "hardware.memroy", kind: "added", old: null, new: "8.0", stage: "runtime", applies: false, note: "the CLI ignores this key" },
        ],
      },
      "cerebrium.toml",
    );
    assert.match(md, /^# Rebuild impact: cerebrium.toml/);
    assert.match(md, /\*\*Rebuild \(compared with git HEAD\):\*\* full rebuild/);
    assert.match(md, /Re-runs: base, pip, code\./);
    assert.match(md, /\| `deployment.python_version` \| `3.11` → `3.12` \| base \| {2}\|/);
    assert.match(md, /\| `hardware.memroy` \| added `8.0` \| — \| the CLI ignores this key \|/);
    assert.equal(impactMarkdown({ markdown: "server's own" }, "x"), "server's own");
    assert.match(impactMarkdown(null, "cerebrium.toml"), /No earlier version/);
  });
});
