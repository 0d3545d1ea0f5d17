// The schema registered with Even Better TOML (taplo) must not make taplo report what our
// server already reports. Checked with taplo itself (@taplo/cli, the engine Even Better TOML
// bundles): the full schema flags the bad sample, the hints-only one does not, and taplo's own
// TOML syntax check is unaffected.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, it } from "node:test";
import { VALIDATION_KEYWORDS, hintsOnly } from "../../scripts/taplo-schema.mjs";

const ROOT = join(__dirname, "..", "..", "..");
const FULL = join(ROOT, "..", "schema", "cerebrium.schema.json");
const TAPLO = join(ROOT, "node_modules", "@taplo", "cli", "dist", "cli.js");
const BAD = join(ROOT, "test", "e2e", "workspace", "cerebrium.toml");

function keywordsIn(node: unknown, found = new Set<string>(), inMap = false): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => keywordsIn(n, found));
  else if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      if (!inMap) found.add(k);
      if (k === "x-taplo" || k === "default" || k === "examples") continue;
      keywordsIn(v, found, k === "properties" && !inMap);
    }
  }
  return found;
}

function lint(schema: unknown, file: string): { status: number | null; out: string } {
  const dir = mkdtempSync(join(tmpdir(), "taplo-"));
  const path = join(dir, "schema.json");
  writeFileSync(path, JSON.stringify(schema));
  const r = spawnSync(process.execPath, [TAPLO, "lint", "--colors", "never", "--schema", pathToFileURL(path).href, file], {
    encoding: "utf8",
    timeout: 30_000,
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe("schema for Even Better TOML", () => {
  const full = JSON.parse(readFileSync(FULL, "utf8")) as Record<string, unknown>;
  const hints = hintsOnly(full) as Record<string, unknown>;

  it("keeps structure and documentation but no validation keyword", () => {
    const left = [...keywordsIn(hints)].filter((k) => VALIDATION_KEYWORDS.has(k));
    assert.deepEqual(left, []);
    type Node = { properties: Record<string, Node>; markdownDescription: string; "x-taplo"?: unknown };
    const cerebrium = (hints as unknown as Node).properties.cerebrium;
    assert.match(cerebrium.properties.hardware.properties.compute.markdownDescription, /`AMPERE_A10`/);
    assert.ok(cerebrium["x-taplo"]);
  });

  it("carries VS Code's deprecationMessage, which the shared (SchemaStore) schema leaves out", () => {
    type Node = { properties: Record<string, Node>; deprecated?: boolean; deprecationMessage?: string };
    const fullHardware = (full as unknown as Node).properties.cerebrium.properties.hardware;
    assert.equal(fullHardware.properties.gpu.deprecated, true);
    assert.equal(fullHardware.properties.gpu.deprecationMessage, undefined);
    const gpu = (hints as unknown as Node).properties.cerebrium.properties.hardware.properties.gpu;
    assert.match(gpu.deprecationMessage ?? "", /^Deprecated\b/);
    assert.doesNotMatch(gpu.deprecationMessage ?? "", /\n/);
  });

  it("taplo reports the sample's problems with the full schema (the duplicates we avoid)", () => {
    const r = lint(full, BAD);
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /AMPERE_A1O/);
  });

  it("taplo reports nothing with the hints-only schema", () => {
    const r = lint(hints, BAD);
    assert.equal(r.status, 0, r.out);
    assert.doesNotMatch(r.out, /error/);
  });

  it("taplo still reports TOML syntax errors (not a schema matter)", () => {
    const dir = mkdtempSync(join(tmpdir(), "taplo-"));
    const broken = join(dir, "cerebrium.toml");
    writeFileSync(broken, '[cerebrium.hardware\ncompute = "ADA_L4"\n');
    const r = lint(hints, broken);
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /invalid TOML/);
  });
});
