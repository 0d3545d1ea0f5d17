// Never a .vsix without its server: `vsce package` (and `npm run package`) runs
// `vscode:prepublish`, which runs scripts/check-bundled.mjs before bundling.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { bundledProblems, HOW_TO_BUILD, pinnedRequirements } from "../../scripts/check-bundled.mjs";

const ROOT = join(__dirname, "..", "..", "..");
const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
const temp = mkdtempSync(join(tmpdir(), "cerebrium-packaging-"));
after(() => rmSync(temp, { recursive: true, force: true }));

const REQUIREMENTS = "pygls==2.1.1 \\\n    --hash=sha256:00\n    # via -r requirements.in\ntyping-extensions==4.16.0 \\\n    --hash=sha256:11\n";

/** An extension folder (in `<repo>/ext`) whose bundled/libs holds `server` files, next to the
 * repository's sources `sources`, with the pinned packages installed when `deps`. */
function layout(name: string, sources: Record<string, string>, server: Record<string, string> | null, deps = true): string {
  const repo = join(temp, name);
  const ext = join(repo, "ext");
  const write = (base: string, files: Record<string, string>) => {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(base, path, ".."), { recursive: true });
      writeFileSync(join(base, path), text);
    }
  };
  mkdirSync(ext, { recursive: true });
  writeFileSync(join(ext, "requirements.txt"), REQUIREMENTS);
  write(join(repo, "cerebrium_lsp"), sources);
  if (server) write(join(ext, "bundled", "libs", "cerebrium_lsp"), server);
  if (deps) {
    for (const d of ["pygls-2.1.1.dist-info", "typing_extensions-4.16.0.dist-info"]) {
      mkdirSync(join(ext, "bundled", "libs", d), { recursive: true });
    }
  }
  return ext;
}

const SOURCES = { "__main__.py": "main\n", "server.py": "serve\n", "model/catalog.py": "gpus\n", "py.typed": "" };

describe("packaging guard", () => {
  it("reads the pinned requirements", () => {
    assert.deepEqual(pinnedRequirements(REQUIREMENTS), [
      { name: "pygls", version: "2.1.1" },
      { name: "typing-extensions", version: "4.16.0" },
    ]);
  });

  it("passes a bundled server equal to the sources with its pinned dependencies", () => {
    // Byte-compiled caches are no difference.
    const ext = layout("ok", SOURCES, { ...SOURCES, "__pycache__/server.cpython-312.pyc": "x" });
    assert.deepEqual(bundledProblems(ext, join(ext, "..")), []);
  });

  it("stops without bundled/libs", () => {
    const ext = layout("missing", SOURCES, null, false);
    assert.deepEqual(bundledProblems(ext, join(ext, "..")), [
      "bundled/libs has no server (bundled/libs/cerebrium_lsp/__main__.py is missing).",
    ]);
  });

  it("stops on a missing pinned dependency", () => {
    const ext = layout("nodeps", SOURCES, SOURCES, false);
    assert.deepEqual(bundledProblems(ext, join(ext, "..")), [
      "bundled/libs lacks pygls 2.1.1 (pinned in requirements.txt).",
      "bundled/libs lacks typing-extensions 4.16.0 (pinned in requirements.txt).",
    ]);
  });

  it("stops on a bundled server older than the sources, naming the files", () => {
    const ext = layout("stale", { ...SOURCES, "model/catalog.py": "gpus and prices\n", "new.py": "" }, { ...SOURCES, "gone.py": "" });
    assert.deepEqual(bundledProblems(ext, join(ext, "..")), [
      "bundled/libs holds an older server than the sources: cerebrium_lsp/model/catalog.py, cerebrium_lsp/new.py, cerebrium_lsp/gone.py differ.",
    ]);
  });

  it("runs before every vsce package, ahead of the bundle", () => {
    assert.match(manifest.scripts["vscode:prepublish"], /^node scripts\/check-bundled\.mjs && /);
    assert.match(manifest.scripts.package, /^vsce package /);
  });

  it("makes vsce package fail with how to build when bundled/libs is missing", () => {
    // A copy of the extension's packaging inputs without bundled/: what a fresh checkout has.
    const ext = join(temp, "vsce", "ext");
    mkdirSync(join(ext, "scripts"), { recursive: true });
    for (const f of ["package.json", "requirements.txt", "esbuild.mjs", "README.md", "LICENSE", "CHANGELOG.md", ".vscodeignore"]) {
      cpSync(join(ROOT, f), join(ext, f));
    }
    cpSync(join(ROOT, "scripts", "check-bundled.mjs"), join(ext, "scripts", "check-bundled.mjs"));
    symlinkSync(join(ROOT, "node_modules"), join(ext, "node_modules"));
    const vsix = join(ext, "out.vsix");
    const r = spawnSync(
      process.execPath,
      [join(ROOT, "node_modules", "@vscode", "vsce", "vsce"), "package", "--no-dependencies", "--allow-missing-repository", "--out", vsix],
      { cwd: ext, encoding: "utf8", timeout: 60_000, stdio: ["ignore", "pipe", "pipe"] },
    );
    const output = `${r.stdout}${r.stderr}`;
    assert.notEqual(r.status, 0, output);
    assert.ok(!existsSync(vsix), "a .vsix was written");
    assert.ok(output.includes("Not packaging: the .vsix would not carry a working server."), output);
    assert.ok(output.includes("bundled/libs has no server"), output);
    assert.ok(output.includes(HOW_TO_BUILD), output);
    assert.match(HOW_TO_BUILD, /vscode-extension\/scripts\/build\.sh/);
  });
});
