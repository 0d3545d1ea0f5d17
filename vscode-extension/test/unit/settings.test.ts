import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { documentSelector, normalizeFiles, readLaunchSettings, readServerSettings } from "../../src/settings";

function reader(values: Record<string, unknown>) {
  return { get: <T>(key: string) => values[key] as T | undefined };
}

describe("settings", () => {
  it("defaults", () => {
    assert.deepEqual(readServerSettings(reader({})), {
      fileChecks: true,
      severity: {},
      files: ["**/cerebrium.toml"],
      debounceMs: 0,
      inlayHints: { enabled: true },
      format: { enabled: true },
    });
    assert.deepEqual(readLaunchSettings(reader({})), {
      serverPath: "",
      interpreter: "",
      importStrategy: "fromEnvironment",
      files: ["**/cerebrium.toml"],
    });
  });

  it("passes the server's settings through", () => {
    const s = readServerSettings(
      reader({
        fileChecks: false,
        severity: { "unknown-key": "error" },
        files: ["cerebrium.*.toml"],
        debounceMs: 0,
        "inlayHints.enabled": false,
        "format.enabled": false,
      }),
    );
    assert.deepEqual(s, {
      fileChecks: false,
      severity: { "unknown-key": "error" },
      files: ["**/cerebrium.*.toml"],
      debounceMs: 0,
      inlayHints: { enabled: false },
      format: { enabled: false },
    });
  });

  it("anchors globs like the server does", () => {
    assert.deepEqual(normalizeFiles(["cerebrium.toml", "/abs/x.toml", "**/a.toml", " ", 3]), [
      "**/cerebrium.toml",
      "/abs/x.toml",
      "**/a.toml",
    ]);
    assert.deepEqual(normalizeFiles([]), ["**/cerebrium.toml"]);
    assert.deepEqual(normalizeFiles("x"), ["**/cerebrium.toml"]);
    assert.deepEqual(documentSelector(["**/cerebrium.toml"]), [{ scheme: "file", pattern: "**/cerebrium.toml" }]);
  });

  it("ignores workspace values of launch settings in an untrusted workspace", () => {
    const config = {
      get: <T>(key: string) => ({ "server.path": "/ws/evil", "server.importStrategy": "fromEnvironment" })[key] as T,
      inspect: <T>(key: string) =>
        ({
          "server.path": { key, defaultValue: "", workspaceValue: "/ws/evil" },
          "server.interpreter": { key, defaultValue: "", globalValue: "/usr/bin/python3.12" },
        })[key] as { key: string; defaultValue?: T; globalValue?: T } | undefined,
    };
    const s = readLaunchSettings(config, false);
    assert.equal(s.serverPath, "");
    assert.equal(s.interpreter, "/usr/bin/python3.12");
    assert.equal(s.importStrategy, "useBundled");
  });
});
