/** Finding the Python that runs the server, and the command line that starts it.
 *
 * Order: `cerebrium.server.path` (a `cerebrium-lsp` executable) as is; else a Python ≥ 3.11:
 * `cerebrium.server.interpreter`, else the one selected in the Python extension (its API), else
 * the first `python3.x` on PATH. With `importStrategy: fromEnvironment`, a Python that has
 * `cerebrium_lsp` installed runs it (`python -m cerebrium_lsp serve`); otherwise the server
 * bundled in the extension runs as `python -S -P -m cerebrium_lsp serve` with PYTHONPATH set to
 * `bundled/libs` only, so packages in the user's environment cannot shadow ours.
 */

import { execFile } from "node:child_process";
import { accessSync, constants as fsConstants, existsSync } from "node:fs";
import * as path from "node:path";
import * as vscode from "vscode";
import { MIN_PYTHON, PYTHON_EXTENSION_ID } from "./constants";
import type { LaunchSettings } from "./settings";

export type Version = readonly [number, number, number];

export interface PythonInfo {
  executable: string;
  version: Version;
  /** The installed cerebrium-lsp version, "unknown" when only the package is found, or null. */
  server: string | null;
}

export type Origin = "cerebrium.server.interpreter" | "Python extension" | "PATH";

export interface Candidate {
  python: string;
  origin: Origin;
}

export interface LaunchPlan {
  command: string;
  args: string[];
  /** Variables to set on top of the extension host's environment. */
  env: Record<string, string>;
  source: "cerebrium.server.path" | "environment" | "bundled";
  python?: PythonInfo & { origin: Origin };
  /** One line for the output channel and the status bar tooltip. */
  description: string;
}

export type FixAction = "selectInterpreter" | "openSettings" | "showOutput";

/** A launch problem the user has to fix; the message says how. */
export class LaunchError extends Error {
  constructor(
    message: string,
    readonly actions: readonly FixAction[],
  ) {
    super(message);
    this.name = "LaunchError";
  }
}

/** What {@link resolveLaunch} needs from the outside world (faked in unit tests). */
export interface LaunchEnvironment {
  trusted: boolean;
  bundledLibs: string;
  exists(file: string): boolean;
  probe(python: string): Promise<PythonInfo | undefined>;
  pythonExtension(): Promise<string | undefined>;
  hasPythonExtension: boolean;
  pathPythons(): string[];
}

export function versionText(v: Version): string {
  return v.join(".");
}

export function isSupported(v: Version): boolean {
  return v[0] > MIN_PYTHON[0] || (v[0] === MIN_PYTHON[0] && v[1] >= MIN_PYTHON[1]);
}

const MIN_TEXT = `${MIN_PYTHON[0]}.${MIN_PYTHON[1]}`;

export async function resolveLaunch(
  settings: LaunchSettings,
  env: LaunchEnvironment,
): Promise<LaunchPlan> {
  if (settings.serverPath) {
    if (!env.exists(settings.serverPath)) {
      throw new LaunchError(
        `cerebrium.server.path is "${settings.serverPath}", which does not exist. ` +
          "Point it at a cerebrium-lsp executable (for example .venv/bin/cerebrium-lsp) or clear it to use the bundled server.",
        ["openSettings"],
      );
    }
    return {
      command: settings.serverPath,
      args: ["serve"],
      env: {},
      source: "cerebrium.server.path",
      description: `${settings.serverPath} serve (cerebrium.server.path)`,
    };
  }

  const tried: string[] = [];
  const candidates = await candidatesFor(settings, env);
  let chosen: (PythonInfo & { origin: Origin }) | undefined;
  for (const candidate of candidates) {
    const info = await env.probe(candidate.python);
    if (!info) {
      tried.push(`${candidate.python} (${candidate.origin}): does not run`);
      if (candidate.origin === "cerebrium.server.interpreter") {
        throw new LaunchError(
          `cerebrium.server.interpreter is "${candidate.python}", which does not run. ` +
            `Set it to a Python ${MIN_TEXT} or newer, or clear it.`,
          ["openSettings", "showOutput"],
        );
      }
      continue;
    }
    if (!isSupported(info.version)) {
      tried.push(`${info.executable} (${candidate.origin}): Python ${versionText(info.version)}`);
      if (candidate.origin === "cerebrium.server.interpreter") {
        throw new LaunchError(
          `cerebrium.server.interpreter is Python ${versionText(info.version)}; the Cerebrium ` +
            `language server needs Python ${MIN_TEXT} or newer. Set it to a newer Python, or clear it.`,
          ["openSettings"],
        );
      }
      continue;
    }
    chosen = { ...info, origin: candidate.origin };
    break;
  }
  if (!chosen) {
    const seen = tried.length ? ` Found: ${tried.join("; ")}.` : " No Python was found.";
    const select = env.hasPythonExtension
      ? "select it with “Python: Select Interpreter”"
      : "put it on PATH";
    throw new LaunchError(
      `The Cerebrium language server needs Python ${MIN_TEXT} or newer.${seen} ` +
        `Install Python ${MIN_TEXT}+ (python.org, your package manager, or “uv python install 3.12”), ` +
        `then ${select} or set cerebrium.server.interpreter.`,
      env.hasPythonExtension
        ? ["selectInterpreter", "openSettings", "showOutput"]
        : ["openSettings", "showOutput"],
    );
  }

  if (settings.importStrategy === "fromEnvironment" && env.trusted && chosen.server !== null) {
    return {
      command: chosen.executable,
      args: ["-m", "cerebrium_lsp", "serve"],
      env: {},
      source: "environment",
      python: chosen,
      description:
        `cerebrium-lsp ${chosen.server} from the environment of ${chosen.executable} ` +
        `(Python ${versionText(chosen.version)}, ${chosen.origin})`,
    };
  }
  if (!env.exists(path.join(env.bundledLibs, "cerebrium_lsp", "__init__.py"))) {
    throw new LaunchError(
      `The bundled server is missing from ${env.bundledLibs}. Reinstall the extension, ` +
        "or install cerebrium-lsp into your Python environment (importStrategy fromEnvironment) " +
        "or set cerebrium.server.path.",
      ["openSettings", "showOutput"],
    );
  }
  return {
    command: chosen.executable,
    // -S: no site-packages (user or environment); -P: not the working directory either.
    args: ["-S", "-P", "-m", "cerebrium_lsp", "serve"],
    env: {
      PYTHONPATH: env.bundledLibs,
      PYTHONNOUSERSITE: "1",
      PYTHONSAFEPATH: "1",
    },
    source: "bundled",
    python: chosen,
    description:
      `bundled cerebrium-lsp with ${chosen.executable} ` +
      `(Python ${versionText(chosen.version)}, ${chosen.origin})`,
  };
}

async function candidatesFor(settings: LaunchSettings, env: LaunchEnvironment): Promise<Candidate[]> {
  if (settings.interpreter) {
    return [{ python: settings.interpreter, origin: "cerebrium.server.interpreter" }];
  }
  const out: Candidate[] = [];
  // The Python extension's choice is usually a workspace venv: not in an untrusted workspace.
  if (env.trusted && env.hasPythonExtension) {
    const selected = await env.pythonExtension();
    if (selected) {
      out.push({ python: selected, origin: "Python extension" });
    }
  }
  for (const python of env.pathPythons()) {
    if (!out.some((c) => c.python === python)) {
      out.push({ python, origin: "PATH" });
    }
  }
  return out;
}

// --- the real environment ---------------------------------------------------------------------

const PROBE = [
  "import importlib.util, json, sys",
  "server = None",
  "if importlib.util.find_spec('cerebrium_lsp') is not None:",
  "    try:",
  "        from importlib.metadata import version",
  "        server = version('cerebrium-lsp')",
  "    except Exception:",
  "        server = 'unknown'",
  "print(json.dumps({'executable': sys.executable, 'version': list(sys.version_info[:3]), 'server': server}))",
].join("\n");

/** Run `python -c PROBE` (10 s at most); undefined when it does not run or prints garbage. */
export function probePython(python: string, cwd: string | undefined): Promise<PythonInfo | undefined> {
  return new Promise((resolve) => {
    execFile(
      python,
      ["-c", PROBE],
      { cwd, timeout: 10_000, windowsHide: true, env: { ...process.env, PYTHONIOENCODING: "utf-8" } },
      (error, stdout) => {
        if (error) {
          resolve(undefined);
          return;
        }
        resolve(parseProbe(stdout));
      },
    );
  });
}

export function parseProbe(stdout: string): PythonInfo | undefined {
  const line = stdout.trim().split(/\r?\n/).pop() ?? "";
  try {
    const data = JSON.parse(line) as { executable?: unknown; version?: unknown; server?: unknown };
    const v = data.version;
    if (
      typeof data.executable !== "string" ||
      !Array.isArray(v) ||
      v.length !== 3 ||
      !v.every((n) => typeof n === "number")
    ) {
      return undefined;
    }
    return {
      executable: data.executable,
      version: [v[0], v[1], v[2]] as Version,
      server: typeof data.server === "string" ? data.server : null,
    };
  } catch {
    return undefined;
  }
}

/** `python3.x` (newest first), `python3` and `python` found on PATH. */
export function pathPythons(
  envPath = process.env.PATH ?? "",
  isFile: (file: string) => boolean = isExecutable,
  platform = process.platform,
): string[] {
  const names =
    platform === "win32"
      ? ["python.exe", "python3.exe"]
      : ["python3.14", "python3.13", "python3.12", "python3.11", "python3", "python"];
  const dirs = envPath.split(path.delimiter).filter(Boolean);
  const found: string[] = [];
  for (const name of names) {
    const hit = dirs.map((d) => path.join(d, name)).find(isFile);
    if (hit) {
      found.push(hit);
    }
  }
  return found;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function fileExists(file: string): boolean {
  return existsSync(file);
}

// --- the Python extension's API (the subset used; typed here to avoid a dependency) -----------

interface EnvironmentPath {
  id: string;
  path: string;
}
interface ResolvedEnvironment {
  executable: { uri?: vscode.Uri };
}
interface PythonExtensionApi {
  environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri | vscode.WorkspaceFolder): EnvironmentPath;
    resolveEnvironment(env: EnvironmentPath | string): Promise<ResolvedEnvironment | undefined>;
    onDidChangeActiveEnvironmentPath: vscode.Event<unknown>;
  };
}

export function pythonExtensionInstalled(): boolean {
  return vscode.extensions.getExtension(PYTHON_EXTENSION_ID) !== undefined;
}

async function pythonApi(): Promise<PythonExtensionApi | undefined> {
  const ext = vscode.extensions.getExtension<PythonExtensionApi>(PYTHON_EXTENSION_ID);
  if (!ext) {
    return undefined;
  }
  try {
    return ext.isActive ? ext.exports : await ext.activate();
  } catch {
    return undefined;
  }
}

/** The interpreter selected in the Python extension for `resource`, if any. */
export async function selectedInterpreter(resource?: vscode.Uri): Promise<string | undefined> {
  const api = await pythonApi();
  const environments = api?.environments;
  if (!environments) {
    return undefined;
  }
  try {
    const active = environments.getActiveEnvironmentPath(resource);
    const resolved = await environments.resolveEnvironment(active);
    return resolved?.executable.uri?.fsPath ?? active.path;
  } catch {
    return undefined;
  }
}

/** Fires when the user selects another interpreter in the Python extension. */
export async function onInterpreterChanged(
  listener: () => void,
): Promise<vscode.Disposable | undefined> {
  const api = await pythonApi();
  return api?.environments?.onDidChangeActiveEnvironmentPath(() => listener());
}
