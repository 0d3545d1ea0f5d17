/** The language client: finds the server (python.ts), starts, stops and restarts it, and
 * forwards requests. Restarts are coalesced: a burst of setting or interpreter changes makes
 * one restart, and a restart asked for during one makes exactly one more. */

import * as path from "node:path";
import * as vscode from "vscode";
import {
  type Executable,
  LanguageClient,
  type LanguageClientOptions,
  RevealOutputChannelOn,
  State,
} from "vscode-languageclient/node";
import { Coalescer } from "./coalesce";
import {
  CLIENT_ID,
  CLIENT_NAME,
  RESTART_DELAY_MS,
  SERVER_COMMAND_SHOW_BUILD_PLAN,
  SERVER_COMMAND_SHOW_REBUILD_IMPACT,
} from "./constants";
import {
  type FixAction,
  LaunchError,
  type LaunchPlan,
  fileExists,
  pathPythons,
  probePython,
  pythonExtensionInstalled,
  resolveLaunch,
  selectedInterpreter,
} from "./python";
import {
  type FileFilter,
  documentSelector,
  getConfiguration,
  readLaunchSettings,
  readServerSettings,
} from "./settings";

export type ServerState =
  | { kind: "stopped" }
  | { kind: "starting" }
  | { kind: "running"; plan: LaunchPlan; version?: string }
  | { kind: "error"; message: string };

/** Where the server's `cerebrium.showBuildPlan` / `cerebrium.showRebuildImpact` go. */
export interface ServerViews {
  show(kind: "plan" | "impact", uri: string | undefined): Promise<void>;
}

export class ServerManager implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private selector: FileFilter[] = [];
  private readonly restarter: Coalescer;
  private readonly stateEmitter = new vscode.EventEmitter<ServerState>();
  readonly onDidChangeState = this.stateEmitter.event;
  private current: ServerState = { kind: "stopped" };
  private disposed = false;

  constructor(
    private readonly context: vscode.ExtensionContext,
    readonly output: vscode.LogOutputChannel,
    private readonly views: ServerViews,
  ) {
    this.restarter = new Coalescer(() => this.restartNow(), RESTART_DELAY_MS);
  }

  get state(): ServerState {
    return this.current;
  }

  /** True when the server checks `document` (the client's document selector matches it). */
  serves(document: vscode.TextDocument): boolean {
    return this.selector.length > 0 && vscode.languages.match(this.selector, document) > 0;
  }

  /** Start, or restart, the server; bursts of calls make one restart. */
  restart(reason: string): Promise<void> {
    this.output.info(`Server ${this.client ? "restart" : "start"} requested: ${reason}`);
    return this.restarter.request();
  }

  /** Send a request to the running server (waits for a start in progress). */
  async request<R>(method: string, params: unknown, token?: vscode.CancellationToken): Promise<R> {
    await this.restarter.whenIdle();
    const client = this.client;
    if (!client || this.current.kind !== "running") {
      throw new Error(
        this.current.kind === "error"
          ? `The Cerebrium server is not running: ${this.current.message}`
          : "The Cerebrium server is not running (run “Cerebrium: Restart Server”).",
      );
    }
    return client.sendRequest<R>(method, params, token);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.restarter.dispose();
    await this.stopClient();
    this.stateEmitter.dispose();
  }

  private setState(state: ServerState): void {
    this.current = state;
    this.stateEmitter.fire(state);
  }

  private async restartNow(): Promise<void> {
    await this.stopClient();
    if (!this.disposed) {
      await this.startClient();
    }
  }

  private async stopClient(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (!client) {
      return;
    }
    try {
      if (client.state !== State.Stopped) {
        await client.stop(2000);
      }
    } catch (e) {
      this.output.warn(`Stopping the server: ${errorText(e)}`);
    }
    try {
      await client.dispose(500);
    } catch {
      // already stopped
    }
  }

  private async startClient(): Promise<void> {
    this.setState({ kind: "starting" });
    const folder = vscode.workspace.workspaceFolders?.[0];
    const config = getConfiguration(folder?.uri);
    const launch = readLaunchSettings(config, vscode.workspace.isTrusted);
    this.selector = documentSelector(launch.files);

    let plan: LaunchPlan;
    try {
      plan = await resolveLaunch(launch, {
        trusted: vscode.workspace.isTrusted,
        bundledLibs: path.join(this.context.extensionPath, "bundled", "libs"),
        exists: fileExists,
        probe: (python) => probePython(python, folder?.uri.fsPath),
        hasPythonExtension: pythonExtensionInstalled(),
        pythonExtension: () => selectedInterpreter(folder?.uri),
        pathPythons: () => pathPythons(),
      });
    } catch (e) {
      const message = errorText(e);
      this.output.error(message);
      this.setState({ kind: "error", message });
      void this.offerFixes(message, e instanceof LaunchError ? e.actions : ["showOutput"]);
      return;
    }
    this.output.info(`Starting ${plan.description}: ${[plan.command, ...plan.args].join(" ")}`);

    const executable: Executable = {
      command: plan.command,
      args: plan.args,
      options: { cwd: folder?.uri.fsPath, env: { ...process.env, ...plan.env } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: this.selector,
      outputChannel: this.output,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      initializationOptions: { cerebrium: readServerSettings(config) },
      diagnosticCollectionName: CLIENT_ID,
      markdown: { isTrusted: false, supportHtml: false },
      connectionOptions: { maxRestartCount: 3 },
      middleware: {
        // The client registers the server's commands in VS Code; their VS Code form is the
        // live preview (the server would write a static Markdown file and show that).
        executeCommand: (command, args: unknown[], next) => {
          const uri = typeof args[0] === "string" ? args[0] : undefined;
          if (command === SERVER_COMMAND_SHOW_BUILD_PLAN) return this.views.show("plan", uri);
          if (command === SERVER_COMMAND_SHOW_REBUILD_IMPACT) return this.views.show("impact", uri);
          return next(command, args) as Promise<unknown>;
        },
      },
    };
    const client = new LanguageClient(
      CLIENT_ID,
      CLIENT_NAME,
      { run: executable, debug: executable },
      clientOptions,
    );
    this.client = client;
    client.onDidChangeState((e) => {
      if (this.client !== client) {
        return; // an old client shutting down
      }
      if (e.newState === State.Running) {
        const version = client.initializeResult?.serverInfo?.version;
        this.setState({ kind: "running", plan, version });
      } else if (e.newState === State.Starting) {
        this.setState({ kind: "starting" });
      } else if (this.current.kind !== "error") {
        this.setState({ kind: "stopped" });
      }
    });
    try {
      await client.start();
      const version = client.initializeResult?.serverInfo?.version;
      this.output.info(`Server running: cerebrium-lsp ${version ?? "(unknown version)"}`);
      this.setState({ kind: "running", plan, version });
    } catch (e) {
      const message = `The server did not start: ${errorText(e)}`;
      this.output.error(message);
      this.setState({ kind: "error", message });
      void this.offerFixes(message, ["showOutput", "openSettings"]);
    }
  }

  private async offerFixes(message: string, actions: readonly FixAction[]): Promise<void> {
    const labels: Record<FixAction, string> = {
      selectInterpreter: "Select Interpreter",
      openSettings: "Open Settings",
      showOutput: "Show Output",
    };
    const picked = await vscode.window.showErrorMessage(
      `Cerebrium: ${message}`,
      ...actions.map((a) => labels[a]),
    );
    if (picked === labels.selectInterpreter) {
      await vscode.commands.executeCommand("python.setInterpreter");
    } else if (picked === labels.openSettings) {
      await vscode.commands.executeCommand("workbench.action.openSettings", "cerebrium.server");
    } else if (picked === labels.showOutput) {
      this.output.show(true);
    }
  }
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
