// language-configuration.json: what VS Code does with comments, brackets, quotes, words and Enter
// in cerebrium.toml.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";

const ROOT = join(__dirname, "..", "..", "..");

interface Pair {
  open: string;
  close: string;
  notIn?: string[];
}
const config = JSON.parse(readFileSync(join(ROOT, "language-configuration.json"), "utf8")) as {
  comments: { lineComment: string; blockComment?: unknown };
  brackets: string[][];
  autoClosingPairs: Pair[];
  surroundingPairs: string[][];
  wordPattern: string;
  indentationRules: { increaseIndentPattern: string; decreaseIndentPattern: string };
  onEnterRules: Array<{ beforeText: string; afterText?: string; action: { indent: string; appendText?: string } }>;
};

/** The words VS Code sees in `line` (double-click, Ctrl+D, word-based suggestions). */
function words(line: string): string[] {
  return [...line.matchAll(new RegExp(config.wordPattern, "g"))].map((m) => m[0]);
}

describe("language configuration", () => {
  it("comments lines with # (TOML has no block comment)", () => {
    assert.deepEqual(config.comments, { lineComment: "#" });
  });

  it("keeps keys, GPU names and app names whole as words", () => {
    assert.deepEqual(words('gpu_count = 1 # AMPERE_A100_80GB'), ["gpu_count", "1", "AMPERE_A100_80GB"]);
    assert.deepEqual(words('compute = "AMPERE_A100_80GB"'), ["compute", "AMPERE_A100_80GB"]);
    assert.deepEqual(words('name = "e2e-app"'), ["name", "e2e-app"]);
    assert.deepEqual(words("[cerebrium.hardware]"), ["cerebrium", "hardware"]);
    assert.deepEqual(words('python_version = "3.11"'), ["python_version", "3.11"]);
    assert.deepEqual(words("cpu=2"), ["cpu", "2"]);
  });

  it("matches and auto-closes [ ] and { }, and surrounds a selection with them and with quotes", () => {
    assert.deepEqual(config.brackets, [["[", "]"], ["{", "}"]]);
    const pairs = Object.fromEntries(config.autoClosingPairs.map((p) => [p.open, p]));
    assert.equal(pairs["["].close, "]");
    assert.equal(pairs["{"].close, "}");
    assert.deepEqual(config.surroundingPairs, [["[", "]"], ["{", "}"], ['"', '"'], ["'", "'"]]);
  });

  it("auto-closes quotes outside strings and comments, and triple quotes as one pair", () => {
    const pairs = Object.fromEntries(config.autoClosingPairs.map((p) => [p.open, p]));
    for (const q of ['"', "'"]) {
      assert.deepEqual(pairs[q], { open: q, close: q, notIn: ["string", "comment"] });
      // Typing the third quote after an auto-closed `""` must give `"""|"""`, not `"""|"`
      // (a multi-line string left open to the end of the file). VS Code takes the longest open
      // ending in the typed quote; it checks the token *before* the cursor, the `""` string,
      // so this pair must not be excluded in strings.
      const triple = q.repeat(3);
      assert.deepEqual(pairs[triple], { open: triple, close: triple, notIn: ["comment"] });
    }
  });

  it("indents after an opening bracket at the end of a line and outdents a closing one", () => {
    const increase = new RegExp(config.indentationRules.increaseIndentPattern);
    const decrease = new RegExp(config.indentationRules.decreaseIndentPattern);
    assert.ok(increase.test("pip = ["));
    assert.ok(increase.test("env = {  # later"));
    assert.ok(!increase.test("[cerebrium.hardware]"));
    assert.ok(!increase.test('include = ["./*"]'));
    assert.ok(decrease.test("  ]"));
    assert.ok(!decrease.test('  "torch",'));
  });

  it("continues a comment split by Enter, and only a whole-line comment", () => {
    const [rule] = config.onEnterRules;
    assert.equal(config.onEnterRules.length, 1);
    const before = new RegExp(rule.beforeText);
    const after = new RegExp(rule.afterText ?? "");
    assert.deepEqual(rule.action, { indent: "none", appendText: "# " });
    assert.ok(before.test("# the GPU") && after.test("type"), "Enter inside a comment");
    assert.ok(!after.test(""), "Enter at the end of a comment starts a plain line");
    assert.ok(!before.test('name = "x" # a'), "a trailing comment is not continued");
  });
});
