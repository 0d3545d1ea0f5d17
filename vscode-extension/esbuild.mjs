// Bundle the extension (dist/extension.js) or the unit tests (out/test/unit/*.test.js).
//   node esbuild.mjs [--production] [--watch] [--tests]
// The tests are bundled with `vscode` aliased to test/unit/vscode-stub.ts.
import * as esbuild from "esbuild";
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";

const args = new Set(process.argv.slice(2));
const production = args.has("--production");

const common = {
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node18",
  logLevel: "warning",
};

async function run(options) {
  if (args.has("--watch")) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
    console.log("[esbuild] watching…");
    return;
  }
  await esbuild.build(options);
}

if (args.has("--tests")) {
  const dir = "test/unit";
  rmSync("out/test", { recursive: true, force: true });
  await run({
    ...common,
    entryPoints: readdirSync(dir)
      .filter((f) => f.endsWith(".test.ts"))
      .map((f) => join(dir, f)),
    outdir: "out/test/unit",
    sourcemap: "inline",
    alias: { vscode: "./test/unit/vscode-stub.ts" },
    // scripts/taplo-schema.mjs checks import.meta.url to know it runs as a script.
    logOverride: { "empty-import-meta": "silent" },
  });
} else {
  await run({
    ...common,
    entryPoints: ["src/extension.ts"],
    outfile: "dist/extension.js",
    external: ["vscode"],
    minify: production,
    sourcemap: production ? false : "linked",
    sourcesContent: false,
    metafile: false,
  });
}
