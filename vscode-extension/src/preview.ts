/** "Cerebrium: Preview Build Plan" and "Cerebrium: Show Rebuild Impact".
 *
 * Each is a virtual Markdown document (`cerebrium-plan://plan/…` or `cerebrium-plan://impact/…`)
 * whose content comes from the server's `cerebrium/buildPlan` request; VS Code's built-in
 * Markdown preview shows it beside the editor. Edits to the cerebrium.toml fire a (debounced)
 * change of the virtual document and the preview re-renders: it follows edits, saved or not.
 */

import * as path from "node:path";
import * as vscode from "vscode";
import type { ServerManager } from "./client";
import { Coalescer } from "./coalesce";
import { BUILD_PLAN_REQUEST, PLAN_SCHEME, PREVIEW_DELAY_MS } from "./constants";

export type ViewKind = "plan" | "impact";

/** One change in the `impact` of a `cerebrium/buildPlan` result (plan/render.py impact_to_json). */
export interface ImpactChange {
  key: string;
  kind: "added" | "removed" | "changed";
  old: string | null;
  new: string | null;
  stage: string;
  applies: boolean;
  note: string;
}

export interface ImpactResult {
  summary?: string;
  baseline?: string;
  stages?: string[];
  changes?: ImpactChange[];
  markdown?: string;
}

/** The result of `cerebrium/buildPlan` (fields the extension reads). */
export interface BuildPlanResult {
  uri: string;
  version: number | null;
  markdown?: string;
  impact?: ImpactResult | null;
}

export interface BuildPlanParams {
  textDocument: { uri: string };
  format: "markdown" | "json";
}

const TITLES: Record<ViewKind, string> = { plan: "Build Plan", impact: "Rebuild Impact" };

/** The virtual document that shows the plan (or impact) of `source`. */
export function viewUri(source: vscode.Uri, kind: ViewKind = "plan"): vscode.Uri {
  const dir = path.posix.dirname(source.path);
  return vscode.Uri.from({
    scheme: PLAN_SCHEME,
    authority: kind,
    path: path.posix.join(dir, `${TITLES[kind]} (${path.posix.basename(source.path)}).md`),
    query: source.toString(),
  });
}

export function sourceOf(view: vscode.Uri): vscode.Uri {
  return vscode.Uri.parse(view.query, true);
}

export function kindOf(view: vscode.Uri): ViewKind {
  return view.authority === "impact" ? "impact" : "plan";
}

export function buildPlanParams(source: vscode.Uri, format: "markdown" | "json"): BuildPlanParams {
  return { textDocument: { uri: source.toString() }, format };
}

export function unavailableMarkdown(kind: ViewKind, source: vscode.Uri, reason: string): string {
  return [
    `# ${TITLES[kind]} unavailable`,
    "",
    `\`${path.posix.basename(source.path)}\`: ${reason}`,
    "",
    "Run **Cerebrium: Show Output** for the server's log.",
    "",
  ].join("\n");
}

/** The rebuild impact as Markdown (the server's own Markdown when it sends one). */
export function impactMarkdown(impact: ImpactResult | null | undefined, fileName: string): string {
  if (impact && typeof impact.markdown === "string") {
    return impact.markdown;
  }
  const lines = [`# Rebuild impact: ${fileName}`, ""];
  if (!impact || !impact.summary) {
    lines.push("No earlier version to compare with yet (the baseline is still being read).", "");
    return lines.join("\n");
  }
  const against = impact.baseline ? ` (compared with ${impact.baseline})` : "";
  lines.push(`**Rebuild${against}:** ${impact.summary}`, "");
  if (impact.stages?.length) {
    lines.push(`Re-runs: ${impact.stages.join(", ")}.`, "");
  }
  const changes = impact.changes ?? [];
  if (changes.length) {
    lines.push("| key | change | stage | note |", "| --- | --- | --- | --- |");
    for (const c of changes) {
      const change =
        c.kind === "added"
          ? `added ${code(c.new)}`
          : c.kind === "removed"
            ? `removed (was ${code(c.old)})`
            : `${code(c.old)} → ${code(c.new)}`;
      const note = c.note || (c.applies ? "" : "re-runs nothing");
      lines.push(`| ${cell(code(c.key))} | ${cell(change)} | ${c.applies ? c.stage : "—"} | ${cell(note)} |`);
    }
    lines.push("");
  } else {
    lines.push("No change since the baseline.", "");
  }
  return lines.join("\n");
}

function code(text: string | null): string {
  const t = text ?? "";
  return t.includes("`") ? `\`\` ${t} \`\`` : `\`${t}\``;
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

export class BuildPlanPreview implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  /** Views opened by the commands, by source URI. */
  private readonly views = new Map<string, Set<string>>();
  private readonly refreshers = new Map<string, Coalescer>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly server: ServerManager) {
    this.subscriptions.push(
      vscode.workspace.registerTextDocumentContentProvider(PLAN_SCHEME, this),
      vscode.workspace.onDidChangeTextDocument((e) => this.refresh(e.document.uri)),
      // A save can change the impact's baseline (an untracked file's last save).
      vscode.workspace.onDidSaveTextDocument((d) => this.refresh(d.uri)),
      server.onDidChangeState((state) => {
        if (state.kind === "running") {
          for (const source of this.views.keys()) this.refresh(vscode.Uri.parse(source, true));
        }
      }),
    );
  }

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const source = sourceOf(uri);
    const kind = kindOf(uri);
    let result: BuildPlanResult | null;
    try {
      result = await this.server.request<BuildPlanResult | null>(
        BUILD_PLAN_REQUEST,
        buildPlanParams(source, "markdown"),
        token,
      );
    } catch (e) {
      return unavailableMarkdown(kind, source, errorText(e));
    }
    if (!result || typeof result.markdown !== "string") {
      return unavailableMarkdown(kind, source, "the server has no plan for this file (is it open?).");
    }
    // The answer may describe an older version when an edit raced the request.
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === source.toString());
    if (open && typeof result.version === "number" && result.version < open.version) {
      this.refresh(source);
    }
    return kind === "plan"
      ? result.markdown
      : impactMarkdown(result.impact, path.posix.basename(source.path));
  }

  /** Show the plan (or impact) of the given or active cerebrium.toml beside it. */
  async show(kind: ViewKind, resource?: vscode.Uri | string): Promise<void> {
    const document = await this.servedDocument(
      resource,
      kind === "plan" ? "preview its build plan" : "see its rebuild impact",
    );
    if (!document) return;
    const view = viewUri(document.uri, kind);
    const key = document.uri.toString();
    const views = this.views.get(key) ?? new Set<string>();
    views.add(view.toString());
    this.views.set(key, views);
    try {
      await vscode.commands.executeCommand("markdown.showPreviewToSide", view);
    } catch {
      // Markdown preview disabled: show the Markdown source instead.
      const doc = await vscode.workspace.openTextDocument(view);
      await vscode.window.showTextDocument(doc, {
        viewColumn: vscode.ViewColumn.Beside,
        preserveFocus: true,
        preview: true,
      });
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    for (const r of this.refreshers.values()) r.dispose();
    this.changed.dispose();
  }

  private refresh(source: vscode.Uri): void {
    const key = source.toString();
    if (!this.views.has(key)) return;
    let refresher = this.refreshers.get(key);
    if (!refresher) {
      refresher = new Coalescer(() => {
        for (const view of this.views.get(key) ?? []) {
          this.changed.fire(vscode.Uri.parse(view, true));
        }
        return Promise.resolve();
      }, PREVIEW_DELAY_MS);
      this.refreshers.set(key, refresher);
    }
    void refresher.request();
  }

  private async servedDocument(
    resource: vscode.Uri | string | undefined,
    what: string,
  ): Promise<vscode.TextDocument | undefined> {
    let uri: vscode.Uri | undefined;
    if (typeof resource === "string") {
      uri = vscode.Uri.parse(resource, true);
    } else if (resource instanceof vscode.Uri) {
      uri = resource;
    } else {
      uri = vscode.window.activeTextEditor?.document.uri;
    }
    if (uri?.scheme === PLAN_SCHEME) {
      uri = sourceOf(uri);
    }
    const document = uri ? await vscode.workspace.openTextDocument(uri) : undefined;
    if (!document || !this.server.serves(document)) {
      void vscode.window.showInformationMessage(`Open a cerebrium.toml to ${what}.`);
      return undefined;
    }
    return document;
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
