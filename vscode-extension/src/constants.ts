/** Identifiers shared by the extension's modules (kept in step with package.json). */

export const EXTENSION_ID = "cerebrium-lsp.cerebrium-toml";
export const CLIENT_ID = "cerebrium"; // also the prefix of `cerebrium.trace.server`
export const CLIENT_NAME = "Cerebrium";
export const CONFIG_SECTION = "cerebrium";

export const COMMANDS = {
  previewBuildPlan: "cerebrium.previewBuildPlan",
  // Not "cerebrium.showRebuildImpact": that id is the server's command, which
  // vscode-languageclient registers itself (see client.ts, middleware.executeCommand).
  showRebuildImpact: "cerebrium.previewRebuildImpact",
  restartServer: "cerebrium.restartServer",
  showOutput: "cerebrium.showOutput",
} as const;

/** Served by the language server (workspace/executeCommand, used by its code lenses, and a
 * custom request). */
export const SERVER_COMMAND_SHOW_BUILD_PLAN = "cerebrium.showBuildPlan";
export const SERVER_COMMAND_SHOW_REBUILD_IMPACT = "cerebrium.showRebuildImpact";
export const BUILD_PLAN_REQUEST = "cerebrium/buildPlan";

export const DEFAULT_FILES = ["**/cerebrium.toml"];
export const PLAN_SCHEME = "cerebrium-plan";

/** The server needs Python 3.11 (tomllib, `python -P`). */
export const MIN_PYTHON: readonly [number, number] = [3, 11];
export const PYTHON_EXTENSION_ID = "ms-python.python";

/** Settings whose change needs a new server process (the rest the server pulls itself). */
export const LAUNCH_SETTINGS = [
  "cerebrium.server.path",
  "cerebrium.server.interpreter",
  "cerebrium.server.importStrategy",
  "cerebrium.files",
] as const;

export const RESTART_DELAY_MS = 250;
export const PREVIEW_DELAY_MS = 300;
