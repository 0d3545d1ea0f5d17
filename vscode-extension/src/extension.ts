/** Entry point: wires the server manager, the commands, the build plan preview and the status
 * bar, and restarts the server when a launch setting or the selected interpreter changes. */

import * as vscode from "vscode";
import { type ServerViews, ServerManager } from "./client";
import { CLIENT_NAME, COMMANDS, LAUNCH_SETTINGS } from "./constants";
import { BuildPlanPreview } from "./preview";
import { onInterpreterChanged } from "./python";
import { StatusBar } from "./status";

let server: ServerManager | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel(CLIENT_NAME, { log: true });
  // The server's own commands (its code lenses run them) open the live views instead of the
  // static Markdown files the server would write.
  const views: ServerViews = { show: (kind, uri) => preview.show(kind, uri) };
  server = new ServerManager(context, output, views);
  const manager = server;
  const preview = new BuildPlanPreview(manager);
  const status = new StatusBar(manager);
  context.subscriptions.push(
    output,
    preview,
    status,
    { dispose: () => void manager.dispose() },
    vscode.commands.registerCommand(COMMANDS.previewBuildPlan, (uri?: vscode.Uri) =>
      preview.show("plan", uri),
    ),
    vscode.commands.registerCommand(COMMANDS.showRebuildImpact, (uri?: vscode.Uri) =>
      preview.show("impact", uri),
    ),
    vscode.commands.registerCommand(COMMANDS.restartServer, () => manager.restart("command")),
    vscode.commands.registerCommand(COMMANDS.showOutput, () => output.show()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      const changed = LAUNCH_SETTINGS.filter((key) => e.affectsConfiguration(key));
      if (changed.length) {
        void manager.restart(`setting changed: ${changed.join(", ")}`);
      }
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void manager.restart("workspace trusted")),
  );
  // Not awaited: activation returns at once; the commands wait for the server themselves.
  void manager.restart("activation");
  void onInterpreterChanged(() => {
    const config = vscode.workspace.getConfiguration("cerebrium");
    if (!config.get<string>("server.path") && !config.get<string>("server.interpreter")) {
      void manager.restart("Python interpreter changed");
    }
  }).then((watch) => watch && context.subscriptions.push(watch));
}

export async function deactivate(): Promise<void> {
  await server?.dispose();
  server = undefined;
}
