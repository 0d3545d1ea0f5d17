// package.json against the code and the server: commands contributed and registered, settings
// mirroring cerebrium_lsp/settings.py, activation, and the schema given to Even Better TOML.
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  COMMANDS,
  LAUNCH_SETTINGS,
  SERVER_COMMAND_SHOW_BUILD_PLAN,
  SERVER_COMMAND_SHOW_REBUILD_IMPACT,
} from "../../src/constants";

const ROOT = join(__dirname, "..", "..", "..");
const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  activationEvents: string[];
  contributes: {
    commands: Array<{ command: string; title: string; category: string }>;
    configuration: { properties: Record<string, { default?: unknown; enum?: string[]; maximum?: number; additionalProperties?: { enum?: string[] } }> };
    tomlValidation: Array<{ fileMatch: string; url: string }>;
    languages?: unknown;
    grammars?: unknown;
  };
};
const sources = readdirSync(join(ROOT, "src"))
  .map((f) => readFileSync(join(ROOT, "src", f), "utf8"))
  .join("\n");
const serverSettings = readFileSync(join(ROOT, "..", "cerebrium_lsp", "settings.py"), "utf8");
const serverBuildPlan = readFileSync(join(ROOT, "..", "cerebrium_lsp", "features", "build_plan.py"), "utf8");

describe("package.json", () => {
  it("contributes the four commands with their titles, and registers each", () => {
    const titles = Object.fromEntries(
      manifest.contributes.commands.map((c) => [c.command, `${c.category}: ${c.title}`]),
    );
    assert.deepEqual(titles, {
      [COMMANDS.previewBuildPlan]: "Cerebrium: Preview Build Plan",
      [COMMANDS.showRebuildImpact]: "Cerebrium: Show Rebuild Impact",
      [COMMANDS.restartServer]: "Cerebrium: Restart Server",
      [COMMANDS.showOutput]: "Cerebrium: Show Output",
    });
    for (const key of Object.keys(COMMANDS)) {
      assert.match(sources, new RegExp(`registerCommand\\(COMMANDS\\.${key}\\b`));
    }
    // The server's own commands are registered by vscode-languageclient: registering them
    // too would make one of the registrations fail.
    const serverCommands = [...serverBuildPlan.matchAll(/^SHOW_\w+ = "([\w.]+)"/gm)].map((m) => m[1]);
    assert.deepEqual(serverCommands, [SERVER_COMMAND_SHOW_BUILD_PLAN, SERVER_COMMAND_SHOW_REBUILD_IMPACT]);
    for (const command of serverCommands) {
      assert.ok(!(command in titles), `${command} is the server's`);
      assert.ok(!Object.values(COMMANDS).includes(command as never));
    }
  });

  it("activates on cerebrium.toml by pattern, and gives the file the language toml", () => {
    assert.deepEqual(manifest.activationEvents, ["workspaceContains:**/cerebrium.toml", "onLanguage:toml"]);
    // The id Even Better TOML and Tombi use, so their features and ours meet on the same file;
    // by file name only: other .toml files are left to those extensions.
    assert.deepEqual(manifest.contributes.languages, [
      {
        id: "toml",
        aliases: ["TOML", "toml"],
        filenames: ["cerebrium.toml"],
        configuration: "./language-configuration.json",
      },
    ]);
    // Our own scope name: a second `source.toml` would replace the other extension's grammar
    // by name (VS Code warns "Overwriting grammar scope name"); selectors for `source.toml`
    // still match `source.toml.cerebrium`.
    assert.deepEqual(manifest.contributes.grammars, [
      { language: "toml", scopeName: "source.toml.cerebrium", path: "./syntaxes/toml.tmLanguage.json" },
    ]);
    const grammar = JSON.parse(readFileSync(join(ROOT, "syntaxes", "toml.tmLanguage.json"), "utf8")) as { scopeName: string };
    assert.equal(grammar.scopeName, "source.toml.cerebrium");
    const ignore = readFileSync(join(ROOT, ".vscodeignore"), "utf8").split("\n");
    for (const shipped of ["!syntaxes/toml.tmLanguage.json", "!language-configuration.json"]) {
      assert.ok(ignore.includes(shipped), `.vscodeignore does not ship ${shipped.slice(1)}`);
    }
  });

  it("mirrors every setting the server reads, with the same defaults", () => {
    const props = manifest.contributes.configuration.properties;
    // Every camelCase key parse_settings() looks up (`_get(raw, "fileChecks", ...)`).
    const keys = [...serverSettings.matchAll(/_get\(raw, "(\w+)"/g)].map((m) => m[1]);
    assert.deepEqual(keys.sort(), ["debounceMs", "fileChecks", "files", "format", "inlayHints", "severity"]);
    for (const key of keys) {
      // An object setting is contributed as its fields (`cerebrium.inlayHints.enabled`).
      const contributed = Object.keys(props).some((p) => p === `cerebrium.${key}` || p.startsWith(`cerebrium.${key}.`));
      assert.ok(contributed, `cerebrium.${key} is not contributed`);
    }
    assert.equal(props["cerebrium.inlayHints.enabled"].default, true);
    assert.equal(props["cerebrium.fileChecks"].default, true);
    assert.equal(props["cerebrium.debounceMs"].default, Number(/debounce_ms: int = (\d+)/.exec(serverSettings)?.[1]));
    assert.equal(props["cerebrium.debounceMs"].maximum, Number(/MAX_DEBOUNCE_MS = ([\d_]+)/.exec(serverSettings)?.[1].replace(/_/g, "")));
    assert.deepEqual(props["cerebrium.files"].default, ["**/cerebrium.toml"]);
    const levels = /SeverityOverride = Literal\[([^\]]+)\]/.exec(serverSettings)?.[1].match(/"(\w+)"/g)?.map((s) => s.slice(1, -1));
    assert.deepEqual(props["cerebrium.severity"].additionalProperties?.enum, levels);
  });

  it("contributes the launch settings the extension restarts on", () => {
    const props = manifest.contributes.configuration.properties;
    for (const key of LAUNCH_SETTINGS) {
      assert.ok(key in props, `${key} is not contributed`);
    }
    assert.deepEqual(props["cerebrium.server.importStrategy"].enum, ["fromEnvironment", "useBundled"]);
    assert.ok("cerebrium.trace.server" in props);
  });

  it("gives Even Better TOML the hints-only schema", () => {
    assert.deepEqual(manifest.contributes.tomlValidation, [
      { fileMatch: "cerebrium.toml", url: "./schemas/cerebrium.taplo.json" },
    ]);
  });
});
