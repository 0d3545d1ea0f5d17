// A .vsix must carry its server. `vsce package` (so `npm run package` too) runs
// `vscode:prepublish`, which runs this first: it stops the packaging when bundled/libs lacks the
// server or one of its pinned dependencies, or holds a server older than the sources, and says
// how to build it. scripts/build.sh builds bundled/libs and then packages.
//
//   node scripts/check-bundled.mjs
// Env: CEREBRIUM_SOURCES_DIR  the folder holding the cerebrium_lsp/ the bundled copy must equal
//      (default: the repository; scripts/build.sh names the copy of the sources it built from,
//      so an edit made while it builds does not stop it).
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

export const HOW_TO_BUILD =
  "Build the bundled server and the .vsix with vscode-extension/scripts/build.sh " +
  "(it installs requirements.txt and cerebrium-lsp from this repository into bundled/libs, then runs vsce package).";

/** `name==version` of each pinned requirement (pip-compile output). */
export function pinnedRequirements(text) {
  return [...text.matchAll(/^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)/gm)].map((m) => ({ name: m[1], version: m[2] }));
}

/** The files of a package folder, relative to it, without byte-compiled caches. */
function packageFiles(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.endsWith(".pyc"))
    .map((e) => relative(dir, join(e.parentPath ?? e.path, e.name)))
    .filter((f) => !f.split(sep).includes("__pycache__"))
    .sort();
}

const digest = (path) => createHash("sha256").update(readFileSync(path)).digest("hex");

/** What is wrong with `<extDir>/bundled/libs` for packaging (empty: ready). `repoDir` holds the
 * server's sources (`cerebrium_lsp/`) the bundled copy must equal. */
export function bundledProblems(extDir, repoDir) {
  const libs = join(extDir, "bundled", "libs");
  const server = join(libs, "cerebrium_lsp");
  if (!existsSync(join(server, "__main__.py"))) {
    return [`bundled/libs has no server (${relative(extDir, server)}${sep}__main__.py is missing).`];
  }
  const problems = [];
  const installed = new Set(
    readdirSync(libs)
      .filter((d) => d.endsWith(".dist-info"))
      .map((d) => d.slice(0, -".dist-info".length).toLowerCase()),
  );
  for (const { name, version } of pinnedRequirements(readFileSync(join(extDir, "requirements.txt"), "utf8"))) {
    const wanted = `${name.replace(/[-.]+/g, "_").toLowerCase()}-${version.toLowerCase()}`;
    if (!installed.has(wanted)) problems.push(`bundled/libs lacks ${name} ${version} (pinned in requirements.txt).`);
  }
  const sources = join(repoDir, "cerebrium_lsp");
  if (existsSync(sources)) {
    const ours = packageFiles(sources);
    const bundled = new Set(packageFiles(server));
    const stale = ours.filter((f) => !bundled.has(f) || digest(join(sources, f)) !== digest(join(server, f)));
    const extra = [...bundled].filter((f) => !ours.includes(f));
    const changed = [...stale, ...extra];
    if (changed.length) {
      const shown = changed.slice(0, 5).map((f) => `cerebrium_lsp/${f.split(sep).join("/")}`);
      const more = changed.length > shown.length ? ` and ${changed.length - shown.length} more` : "";
      problems.push(`bundled/libs holds an older server than the sources: ${shown.join(", ")}${more} differ.`);
    }
  }
  return problems;
}

// Run as a script (not when bundled into the unit tests, where import.meta.url is undefined).
const self = typeof import.meta.url === "string" ? fileURLToPath(import.meta.url) : undefined;
if (self !== undefined && self === process.argv[1]) {
  const ext = dirname(dirname(self));
  const problems = bundledProblems(ext, process.env.CEREBRIUM_SOURCES_DIR || dirname(ext));
  if (problems.length) {
    console.error(`Not packaging: the .vsix would not carry a working server.\n  ${problems.join("\n  ")}\n${HOW_TO_BUILD}`);
    process.exit(1);
  }
}
