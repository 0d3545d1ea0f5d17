import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { computeFromToml, statusText, statusTooltip } from "../../src/status";
import type { ServerState } from "../../src/client";

describe("computeFromToml", () => {
  const cases: Array<[string, string, string[], "file" | "default"]> = [
    ["table key", '[cerebrium.hardware]\ncompute = "AMPERE_A10"\n', ["AMPERE_A10"], "file"],
    ["spaces, quotes and case", '[ Cerebrium . "HARDWARE" ]\n  Compute="ADA_L4" # a comment\n', ["ADA_L4"], "file"],
    ["dotted key in [cerebrium]", '[cerebrium]\nhardware.compute = "HOPPER_H100"\n', ["HOPPER_H100"], "file"],
    ["dotted key at the root", "cerebrium.hardware.compute = 'TURING_T4'\n", ["TURING_T4"], "file"],
    ["a list", '[cerebrium.hardware]\ncompute = ["ADA_L4", "AMPERE_A10"]\n', ["ADA_L4", "AMPERE_A10"], "file"],
    [
      "a multi-line list with comments",
      '[cerebrium.hardware]\ncompute = [\n  "ADA_L4", # cheap\n  "AMPERE_A10",\n]\n',
      ["ADA_L4", "AMPERE_A10"],
      "file",
    ],
    ["empty while typing", '[cerebrium.hardware]\ncompute = ""\n', [], "file"],
    ["other tables only", '[cerebrium.deployment]\nname = "x"\ncompute = "NOT_HERE"\n', ["CPU"], "default"],
    ["commented out", '[cerebrium.hardware]\n# compute = "AMPERE_A10"\n', ["CPU"], "default"],
    ["a # inside the string", '[cerebrium.hardware]\ncompute = "A#B"\n', ["A#B"], "file"],
    ["CRLF", '[cerebrium.hardware]\r\ncompute = "ADA_L40"\r\n', ["ADA_L40"], "file"],
    ["a later table ends the section", '[cerebrium.hardware]\ncpu = 2\n[cerebrium.scaling]\ncompute = "X"\n', ["CPU"], "default"],
  ];
  for (const [name, text, compute, source] of cases) {
    it(name, () => {
      assert.deepEqual(computeFromToml(text), { compute, source });
    });
  }
});

describe("status text", () => {
  const running: ServerState = {
    kind: "running",
    version: "0.1.0",
    plan: { command: "python3", args: [], env: {}, source: "bundled", description: "bundled cerebrium-lsp with python3" },
  };
  it("shows the state and the compute type", () => {
    assert.equal(statusText(running, { compute: ["AMPERE_A10"], source: "file" }), "$(check) Cerebrium: AMPERE_A10");
    assert.equal(statusText({ kind: "starting" }, { compute: ["CPU"], source: "default" }), "$(sync~spin) Cerebrium: CPU (default)");
    assert.equal(statusText({ kind: "error", message: "x" }, { compute: ["CPU"], source: "file" }), "$(error) Cerebrium");
    assert.equal(statusText({ kind: "stopped" }, undefined), "$(circle-slash) Cerebrium");
  });
  it("explains the state in the tooltip", () => {
    const tip = statusTooltip(running, { compute: ["ADA_L4", "AMPERE_A10"], source: "file" });
    assert.match(tip, /Cerebrium language server 0\.1\.0: running/);
    assert.match(tip, /bundled cerebrium-lsp with python3/);
    assert.match(tip, /Compute: ADA_L4, AMPERE_A10/);
    assert.match(statusTooltip({ kind: "error", message: "needs Python 3.11" }, undefined), /needs Python 3\.11/);
  });
});
