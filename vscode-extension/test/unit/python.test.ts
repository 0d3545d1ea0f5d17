import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  LaunchError,
  type LaunchEnvironment,
  type PythonInfo,
  parseProbe,
  pathPythons,
  resolveLaunch,
} from "../../src/python";
import type { LaunchSettings } from "../../src/settings";

const LIBS = "/ext/bundled/libs";

function settings(over: Partial<LaunchSettings> = {}): LaunchSettings {
  return {
    serverPath: "",
    interpreter: "",
    importStrategy: "fromEnvironment",
    files: ["**/cerebrium.toml"],
    ...over,
  };
}

function py(executable: string, version: [number, number, number], server: string | null = null): PythonInfo {
  return { executable, version, server };
}

function env(over: Partial<LaunchEnvironment> & { pythons?: Record<string, PythonInfo> } = {}): LaunchEnvironment {
  const pythons = over.pythons ?? {};
  return {
    trusted: true,
    bundledLibs: LIBS,
    exists: (f) => f === `${LIBS}/cerebrium_lsp/__init__.py` || f === "/opt/cerebrium-lsp",
    probe: (p) => Promise.resolve(pythons[p]),
    hasPythonExtension: false,
    pythonExtension: () => Promise.resolve(undefined),
    pathPythons: () => [],
    ...over,
  };
}

describe("resolveLaunch", () => {
  it("runs cerebrium.server.path as is", async () => {
    const plan = await resolveLaunch(settings({ serverPath: "/opt/cerebrium-lsp" }), env());
    assert.equal(plan.command, "/opt/cerebrium-lsp");
    assert.deepEqual(plan.args, ["serve"]);
    assert.equal(plan.source, "cerebrium.server.path");
  });

  it("says which setting to fix when cerebrium.server.path does not exist", async () => {
    await assert.rejects(resolveLaunch(settings({ serverPath: "/nope" }), env()), (e: unknown) => {
      assert.ok(e instanceof LaunchError);
      assert.match(e.message, /cerebrium\.server\.path is "\/nope", which does not exist/);
      assert.deepEqual(e.actions, ["openSettings"]);
      return true;
    });
  });

  it("runs the bundled server isolated from site-packages when the environment lacks one", async () => {
    const plan = await resolveLaunch(
      settings(),
      env({ pythons: { "/usr/bin/python3": py("/usr/bin/python3", [3, 11, 2]) }, pathPythons: () => ["/usr/bin/python3"] }),
    );
    assert.equal(plan.source, "bundled");
    assert.equal(plan.command, "/usr/bin/python3");
    assert.deepEqual(plan.args, ["-S", "-P", "-m", "cerebrium_lsp", "serve"]);
    assert.equal(plan.env.PYTHONPATH, LIBS);
    assert.equal(plan.env.PYTHONNOUSERSITE, "1");
    assert.equal(plan.python?.origin, "PATH");
  });

  it("prefers the Python extension's interpreter and its installed cerebrium-lsp", async () => {
    const plan = await resolveLaunch(
      settings(),
      env({
        hasPythonExtension: true,
        pythonExtension: () => Promise.resolve("/proj/.venv/bin/python"),
        pythons: {
          "/proj/.venv/bin/python": py("/proj/.venv/bin/python", [3, 12, 1], "0.1.0"),
          "/usr/bin/python3": py("/usr/bin/python3", [3, 11, 2]),
        },
        pathPythons: () => ["/usr/bin/python3"],
      }),
    );
    assert.equal(plan.source, "environment");
    assert.equal(plan.command, "/proj/.venv/bin/python");
    assert.deepEqual(plan.args, ["-m", "cerebrium_lsp", "serve"]);
    assert.deepEqual(plan.env, {});
    assert.equal(plan.python?.origin, "Python extension");
  });

  it("uses the bundled server with that interpreter under importStrategy useBundled", async () => {
    const plan = await resolveLaunch(
      settings({ importStrategy: "useBundled" }),
      env({
        hasPythonExtension: true,
        pythonExtension: () => Promise.resolve("/proj/.venv/bin/python"),
        pythons: { "/proj/.venv/bin/python": py("/proj/.venv/bin/python", [3, 12, 1], "0.1.0") },
      }),
    );
    assert.equal(plan.source, "bundled");
    assert.equal(plan.command, "/proj/.venv/bin/python");
  });

  it("skips a Python extension interpreter older than 3.11 for one on PATH", async () => {
    const plan = await resolveLaunch(
      settings(),
      env({
        hasPythonExtension: true,
        pythonExtension: () => Promise.resolve("/proj/.venv/bin/python"),
        pythons: {
          "/proj/.venv/bin/python": py("/proj/.venv/bin/python", [3, 10, 12], "0.1.0"),
          "/usr/bin/python3.12": py("/usr/bin/python3.12", [3, 12, 0]),
        },
        pathPythons: () => ["/usr/bin/python3.12"],
      }),
    );
    assert.equal(plan.command, "/usr/bin/python3.12");
    assert.equal(plan.source, "bundled");
  });

  it("ignores the workspace's interpreter and installed server in an untrusted workspace", async () => {
    let asked = false;
    const plan = await resolveLaunch(
      settings(),
      env({
        trusted: false,
        hasPythonExtension: true,
        pythonExtension: () => {
          asked = true;
          return Promise.resolve("/proj/.venv/bin/python");
        },
        pythons: { "/usr/bin/python3": py("/usr/bin/python3", [3, 11, 2], "0.1.0") },
        pathPythons: () => ["/usr/bin/python3"],
      }),
    );
    assert.equal(asked, false);
    assert.equal(plan.source, "bundled");
  });

  it("explains what to do when no Python 3.11+ exists, listing what was found", async () => {
    await assert.rejects(
      resolveLaunch(
        settings(),
        env({
          hasPythonExtension: true,
          pythonExtension: () => Promise.resolve("/proj/.venv/bin/python"),
          pythons: {
            "/proj/.venv/bin/python": py("/proj/.venv/bin/python", [3, 10, 12]),
            "/usr/bin/python3": py("/usr/bin/python3", [3, 9, 2]),
          },
          pathPythons: () => ["/usr/bin/python3", "/usr/bin/python"],
        }),
      ),
      (e: unknown) => {
        assert.ok(e instanceof LaunchError);
        assert.match(e.message, /needs Python 3\.11 or newer/);
        assert.match(e.message, /\/proj\/\.venv\/bin\/python \(Python extension\): Python 3\.10\.12/);
        assert.match(e.message, /\/usr\/bin\/python3 \(PATH\): Python 3\.9\.2/);
        assert.match(e.message, /\/usr\/bin\/python \(PATH\): does not run/);
        assert.match(e.message, /Python: Select Interpreter/);
        assert.deepEqual(e.actions, ["selectInterpreter", "openSettings", "showOutput"]);
        return true;
      },
    );
  });

  it("says no Python was found when PATH has none and there is no Python extension", async () => {
    await assert.rejects(resolveLaunch(settings(), env()), (e: unknown) => {
      assert.ok(e instanceof LaunchError);
      assert.match(e.message, /No Python was found/);
      assert.match(e.message, /put it on PATH or set cerebrium\.server\.interpreter/);
      assert.ok(!e.actions.includes("selectInterpreter"));
      return true;
    });
  });

  it("rejects an explicit interpreter older than 3.11 instead of silently using another", async () => {
    await assert.rejects(
      resolveLaunch(
        settings({ interpreter: "/usr/bin/python3.9" }),
        env({
          pythons: {
            "/usr/bin/python3.9": py("/usr/bin/python3.9", [3, 9, 18]),
            "/usr/bin/python3": py("/usr/bin/python3", [3, 12, 0]),
          },
          pathPythons: () => ["/usr/bin/python3"],
        }),
      ),
      /cerebrium\.server\.interpreter is Python 3\.9\.18/,
    );
  });

  it("reports a missing bundled server", async () => {
    await assert.rejects(
      resolveLaunch(
        settings(),
        env({
          exists: () => false,
          pythons: { "/usr/bin/python3": py("/usr/bin/python3", [3, 11, 2]) },
          pathPythons: () => ["/usr/bin/python3"],
        }),
      ),
      /bundled server is missing from \/ext\/bundled\/libs/,
    );
  });
});

describe("parseProbe", () => {
  it("reads the probe's JSON line", () => {
    assert.deepEqual(
      parseProbe('noise\n{"executable": "/usr/bin/python3", "version": [3, 11, 2], "server": null}\n'),
      { executable: "/usr/bin/python3", version: [3, 11, 2], server: null },
    );
    assert.equal(parseProbe('{"executable": "/p", "version": [3, 12, 0], "server": "0.1.0"}')?.server, "0.1.0");
  });
  it("rejects anything else", () => {
    assert.equal(parseProbe(""), undefined);
    assert.equal(parseProbe("Python 3.11.2"), undefined);
    assert.equal(parseProbe('{"executable": "/p", "version": [3]}'), undefined);
  });
});

describe("pathPythons", () => {
  it("finds versioned Pythons first, the first directory winning", () => {
    const files = new Set(["/a/python3", "/b/python3.12", "/b/python3", "/c/python3.11"]);
    assert.deepEqual(pathPythons("/a:/b:/c", (f) => files.has(f), "linux"), [
      "/b/python3.12",
      "/c/python3.11",
      "/a/python3",
    ]);
  });
});
