/** The extension's settings: how to launch the server, and the `cerebrium.*` section the
 * server reads (it pulls the section itself with `workspace/configuration`; it also gets a copy
 * as `initializationOptions`). */

import * as vscode from "vscode";
import { CONFIG_SECTION, DEFAULT_FILES } from "./constants";

export type ImportStrategy = "fromEnvironment" | "useBundled";

export interface LaunchSettings {
  /** A `cerebrium-lsp` executable; empty: find a Python. */
  serverPath: string;
  /** A Python to run the server with; empty: the Python extension's, else PATH. */
  interpreter: string;
  importStrategy: ImportStrategy;
  /** Globs of the files the server checks (also the client's document selector). */
  files: string[];
}

/** What the server reads (cerebrium_lsp/settings.py); unknown keys are ignored there. */
export interface ServerSettings {
  fileChecks: boolean;
  severity: Record<string, string>;
  files: string[];
  debounceMs: number;
  inlayHints: { enabled: boolean };
  format: { enabled: boolean };
}

/** The part of `vscode.WorkspaceConfiguration` used here (a plain object in unit tests). */
export interface ConfigReader {
  get<T>(key: string): T | undefined;
}

export function readLaunchSettings(config: ConfigReader, trusted = true): LaunchSettings {
  // In an untrusted workspace, ignore workspace values of settings that run programs.
  const machine = (key: string): string => {
    if (!trusted && isInspectable(config)) {
      const inspected = config.inspect<string>(key);
      return str(inspected?.globalValue ?? inspected?.defaultValue);
    }
    return str(config.get<string>(key));
  };
  const strategy = trusted ? config.get<string>("server.importStrategy") : "useBundled";
  return {
    serverPath: machine("server.path"),
    interpreter: machine("server.interpreter"),
    importStrategy: strategy === "useBundled" ? "useBundled" : "fromEnvironment",
    files: normalizeFiles(config.get<unknown>("files")),
  };
}

export function readServerSettings(config: ConfigReader): ServerSettings {
  const severity = config.get<unknown>("severity");
  const debounce = config.get<unknown>("debounceMs");
  return {
    fileChecks: config.get<unknown>("fileChecks") !== false,
    severity:
      severity && typeof severity === "object" && !Array.isArray(severity)
        ? (severity as Record<string, string>)
        : {},
    files: normalizeFiles(config.get<unknown>("files")),
    debounceMs: typeof debounce === "number" && Number.isInteger(debounce) ? debounce : 0,
    inlayHints: { enabled: config.get<unknown>("inlayHints.enabled") !== false },
    format: { enabled: config.get<unknown>("format.enabled") !== false },
  };
}

/** Globs as VS Code's document selector needs them: like the server, a glob without a leading
 * `/` or `**` matches at any depth. */
export function normalizeFiles(value: unknown): string[] {
  if (!Array.isArray(value)) {
    return [...DEFAULT_FILES];
  }
  const globs = value.filter((v): v is string => typeof v === "string" && v.trim() !== "");
  if (globs.length === 0) {
    return [...DEFAULT_FILES];
  }
  return globs.map((g) => (g.startsWith("/") || g.startsWith("**") ? g : `**/${g}`));
}

/** A document filter both `vscode.languages.match` and the language client accept. */
export interface FileFilter {
  scheme: "file";
  pattern: string;
}

export function documentSelector(files: readonly string[]): FileFilter[] {
  return files.map((pattern) => ({ scheme: "file", pattern }));
}

export function getConfiguration(scope?: vscode.ConfigurationScope): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(CONFIG_SECTION, scope);
}

function str(value: unknown): string {
  return typeof value === "string" ? value.trim() : "";
}

function isInspectable(
  config: ConfigReader,
): config is ConfigReader & Pick<vscode.WorkspaceConfiguration, "inspect"> {
  return typeof (config as Partial<vscode.WorkspaceConfiguration>).inspect === "function";
}
