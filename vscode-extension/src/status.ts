/** The status bar item: the server's state and the compute type of the active cerebrium.toml.
 * Click: the Cerebrium output. */

import * as vscode from "vscode";
import type { ServerManager, ServerState } from "./client";
import { COMMANDS } from "./constants";
import { versionText } from "./python";

export interface ComputeInfo {
  /** The compute types (`compute` may be a list); empty when the value is empty or unreadable. */
  compute: string[];
  /** "default": the file sets none, Cerebrium uses CPU. */
  source: "file" | "default";
}

const DEFAULT_COMPUTE = "CPU";

/** The `[cerebrium.hardware] compute` of a cerebrium.toml, read leniently (the file may be
 * half-typed): a string or an array of strings, as a table key, a dotted key or at the root. */
export function computeFromToml(text: string): ComputeInfo {
  const lines = text.split(/\r\n|\n|\r/);
  let table = "";
  for (let i = 0; i < lines.length; i++) {
    const line = stripComment(lines[i]).trim();
    const header = /^\[\s*([^[\]]+?)\s*\]$/.exec(line);
    if (header) {
      table = normalizeKey(header[1]);
      continue;
    }
    if (line.startsWith("[[")) {
      table = "";
      continue;
    }
    const eq = findEquals(line);
    if (eq < 0) {
      continue;
    }
    const key = [table, normalizeKey(line.slice(0, eq))].filter(Boolean).join(".");
    if (key !== "cerebrium.hardware.compute") {
      continue;
    }
    let value = line.slice(eq + 1).trim();
    // A multi-line array: take the following lines up to the closing bracket.
    for (let j = i + 1; value.startsWith("[") && !value.includes("]") && j < lines.length; j++) {
      value += " " + stripComment(lines[j]).trim();
    }
    return { compute: stringsIn(value), source: "file" };
  }
  return { compute: [DEFAULT_COMPUTE], source: "default" };
}

function normalizeKey(key: string): string {
  return key
    .split(".")
    .map((part) => part.trim().replace(/^(["'])(.*)\1$/, "$2").toLowerCase())
    .join(".");
}

function findEquals(line: string): number {
  let quote = "";
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) {
      if (ch === quote) quote = "";
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === "=") {
      return i;
    }
  }
  return -1;
}

function stripComment(line: string): string {
  let quote = "";
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) {
      if (ch === "\\" && quote === '"') i++;
      else if (ch === quote) quote = "";
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === "#") {
      return line.slice(0, i);
    }
  }
  return line;
}

function stringsIn(value: string): string[] {
  const out: string[] = [];
  for (const m of value.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'/g)) {
    const s = (m[1] ?? m[2] ?? "").trim();
    if (s) out.push(s);
    if (!value.startsWith("[")) break;
  }
  return out;
}

/** The item's text for a server state and compute (exported for the unit tests). */
export function statusText(state: ServerState, compute: ComputeInfo | undefined): string {
  const icon = {
    starting: "$(sync~spin)",
    running: "$(check)",
    stopped: "$(circle-slash)",
    error: "$(error)",
  }[state.kind];
  if (!compute || state.kind === "error") {
    return `${icon} Cerebrium`;
  }
  const names = compute.compute.length ? compute.compute.join(", ") : "no compute";
  return `${icon} Cerebrium: ${names}${compute.source === "default" ? " (default)" : ""}`;
}

export function statusTooltip(state: ServerState, compute: ComputeInfo | undefined): string {
  const lines: string[] = [];
  switch (state.kind) {
    case "starting":
      lines.push("Cerebrium language server: starting…");
      break;
    case "stopped":
      lines.push("Cerebrium language server: stopped. Run “Cerebrium: Restart Server”.");
      break;
    case "error":
      lines.push(`Cerebrium language server: not running.`, state.message);
      break;
    case "running": {
      lines.push(`Cerebrium language server ${state.version ?? ""}: running.`.replace(" :", ":"));
      lines.push(state.plan.description);
      if (state.plan.python) {
        lines.push(`Python ${versionText(state.plan.python.version)}`);
      }
      break;
    }
  }
  if (compute) {
    lines.push(
      compute.source === "default"
        ? "Compute: CPU (no [cerebrium.hardware] compute in this file)"
        : `Compute: ${compute.compute.join(", ") || "(empty)"}`,
    );
  }
  lines.push("Click to show the output.");
  return lines.join("\n");
}

export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly server: ServerManager) {
    this.item = vscode.window.createStatusBarItem("cerebrium.status", vscode.StatusBarAlignment.Right, 100);
    this.item.name = "Cerebrium";
    this.item.command = COMMANDS.showOutput;
    this.subscriptions.push(
      server.onDidChangeState(() => this.update()),
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === vscode.window.activeTextEditor?.document) this.update();
      }),
    );
    this.update();
  }

  update(): void {
    const state = this.server.state;
    const document = vscode.window.activeTextEditor?.document;
    const served = document !== undefined && this.server.serves(document);
    const compute = served ? computeFromToml(document.getText()) : undefined;
    this.item.text = statusText(state, compute);
    this.item.tooltip = statusTooltip(state, compute);
    this.item.backgroundColor =
      state.kind === "error" ? new vscode.ThemeColor("statusBarItem.errorBackground") : undefined;
    if (served || state.kind === "error") {
      this.item.show();
    } else {
      this.item.hide();
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
