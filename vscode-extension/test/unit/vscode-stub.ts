/* A minimal stand-in for the `vscode` module, enough for the unit tests (esbuild aliases
 * `vscode` to this file when it bundles them). Tests reach the fakes through `stub`. */

type Listener<T> = (e: T) => unknown;

export class EventEmitter<T> {
  private listeners: Listener<T>[] = [];
  event = (listener: Listener<T>): Disposable => {
    this.listeners.push(listener);
    return new Disposable(() => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    });
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners = [];
  }
}

export class Disposable {
  constructor(private readonly fn: () => void = () => undefined) {}
  dispose(): void {
    this.fn();
  }
}

interface UriParts {
  scheme: string;
  authority?: string;
  path: string;
  query?: string;
  fragment?: string;
}

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly authority: string,
    readonly path: string,
    readonly query: string,
    readonly fragment: string,
  ) {}
  static from(parts: UriParts): Uri {
    return new Uri(parts.scheme, parts.authority ?? "", parts.path, parts.query ?? "", parts.fragment ?? "");
  }
  static file(fsPath: string): Uri {
    return new Uri("file", "", fsPath, "", "");
  }
  static parse(value: string): Uri {
    const m = /^([a-zA-Z][\w+.-]*):(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(value);
    if (!m) throw new Error(`bad uri ${value}`);
    return new Uri(m[1], m[2] ?? "", decodeURIComponent(m[3]), decodeURIComponent(m[4] ?? ""), m[5] ?? "");
  }
  get fsPath(): string {
    return this.path;
  }
  toString(): string {
    const q = this.query ? `?${encodeURIComponent(this.query)}` : "";
    const path = this.path.split("/").map(encodeURIComponent).join("/");
    return `${this.scheme}://${this.authority}${path}${q}`;
  }
}

export class ThemeColor {
  constructor(readonly id: string) {}
}

export enum StatusBarAlignment {
  Left = 1,
  Right = 2,
}

export enum ViewColumn {
  Active = -1,
  Beside = -2,
  One = 1,
}

export interface DocumentFilter {
  scheme?: string;
  pattern?: string;
  language?: string;
}

/** State the tests inspect or set. */
export const stub = {
  configuration: {} as Record<string, unknown>,
  extensions: {} as Record<string, unknown>,
  messages: [] as string[],
};

export const workspace = {
  isTrusted: true,
  workspaceFolders: undefined,
  textDocuments: [],
  getConfiguration: () => ({
    get: <T>(key: string): T | undefined => stub.configuration[key] as T | undefined,
  }),
};

export const extensions = {
  getExtension: (id: string) => stub.extensions[id],
};

export const window = {
  showInformationMessage: (message: string) => {
    stub.messages.push(message);
    return Promise.resolve(undefined);
  },
  showErrorMessage: (message: string) => {
    stub.messages.push(message);
    return Promise.resolve(undefined);
  },
};

export const commands = {
  executeCommand: () => Promise.resolve(undefined),
  registerCommand: () => new Disposable(),
};

export const languages = {
  match: () => 0,
};
