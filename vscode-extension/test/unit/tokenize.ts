// Tokenises text with the extension's TOML grammar the way VS Code does: vscode-textmate with
// the oniguruma regex engine (WebAssembly), line by line, carrying the rule stack across lines.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as oniguruma from "vscode-oniguruma";
import { INITIAL, parseRawGrammar, Registry, type IGrammar, type StateStack } from "vscode-textmate";

export const EXTENSION_ROOT = join(__dirname, "..", "..", "..");
const GRAMMAR_PATH = join(EXTENSION_ROOT, "syntaxes", "toml.tmLanguage.json");

export interface Token {
  text: string;
  /** Scopes without the grammar's root scope, outermost first. */
  scopes: string[];
}

export interface Tokenized {
  lines: Array<{ text: string; tokens: Token[] }>;
  /** The rule stack after the last line: depth 1 is the root (no string, array… left open). */
  end: StateStack;
}

let grammar: Promise<IGrammar> | undefined;

export function loadGrammar(): Promise<IGrammar> {
  grammar ??= (async () => {
    const wasm = readFileSync(join(EXTENSION_ROOT, "node_modules", "vscode-oniguruma", "release", "onig.wasm"));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const raw = parseRawGrammar(readFileSync(GRAMMAR_PATH, "utf8"), GRAMMAR_PATH);
    const registry = new Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
        createOnigString: (text: string) => new oniguruma.OnigString(text),
      }),
      loadGrammar: async (scopeName: string) => (scopeName === raw.scopeName ? raw : null),
    });
    const loaded = await registry.loadGrammar(raw.scopeName);
    if (!loaded) throw new Error(`the grammar ${raw.scopeName} did not load`);
    return loaded;
  })();
  return grammar;
}

/** Lines split as VS Code splits them (LF or CRLF); a leading byte order mark is not text. */
export async function tokenize(text: string): Promise<Tokenized> {
  const g = await loadGrammar();
  let stack = INITIAL;
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/).map((line) => {
    const result = g.tokenizeLine(line, stack);
    stack = result.ruleStack;
    return {
      text: line,
      tokens: result.tokens.map((t) => ({
        text: line.slice(t.startIndex, t.endIndex),
        scopes: t.scopes.slice(1),
      })),
    };
  });
  return { lines, end: stack };
}

/** Tokens a TOML 1.0 document must not have: an invalid mark, or text outside any token scope
 * (only meta scopes around it), i.e. text the grammar did not recognise. */
export function unrecognised(tokenized: Tokenized): string[] {
  const found: string[] = [];
  tokenized.lines.forEach((line, i) => {
    for (const token of line.tokens) {
      const inner = token.scopes.at(-1) ?? "";
      if (inner.startsWith("invalid.") || ((inner === "" || inner.startsWith("meta.")) && token.text.trim() !== "")) {
        found.push(`line ${i + 1}: ${JSON.stringify(token.text)} ${token.scopes.join(" ")}`);
      }
    }
  });
  return found;
}

/** One line per source line and per token that is not bare whitespace: the snapshot format. */
export function render(tokenized: Tokenized): string {
  const out: string[] = [];
  tokenized.lines.forEach((line, i) => {
    out.push(`${i + 1} | ${line.text}`);
    for (const token of line.tokens) {
      if (token.text.trim() === "" && token.scopes.every((s) => s.startsWith("meta."))) continue;
      out.push(`    ${JSON.stringify(token.text)} ${token.scopes.join(" ")}`);
    }
  });
  return out.join("\n") + "\n";
}
