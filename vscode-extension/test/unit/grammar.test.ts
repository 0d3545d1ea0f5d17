// The TOML grammar (syntaxes/toml.tmLanguage.json) run by vscode-textmate + vscode-oniguruma,
// the engine VS Code uses: every toml-test valid/ file and every real cerebrium.toml ends at the
// root state (no string, array or table left open), valid files have no invalid or unrecognised
// text, a few files match their committed snapshots, and half-typed lines do not leak.
//
// Snapshots: test/unit/snapshots/grammar/*.txt; after a deliberate grammar change, regenerate
// them with `UPDATE_SNAPSHOTS=1 npm test` and review the diff.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, it } from "node:test";
import { EXTENSION_ROOT, render, tokenize, unrecognised, type Tokenized } from "./tokenize";

const CORPUS = join(EXTENSION_ROOT, "..", "..", "shared", "corpus");
const SUITE = join(CORPUS, "toml-test");
const REAL = join(CORPUS, "real");
const SNAPSHOTS = join(EXTENSION_ROOT, "test", "unit", "snapshots", "grammar");
// A checkout without ../shared beside it skips the corpus tests; CI always has it (there, a
// missing corpus fails).
const noCorpus =
  !existsSync(join(SUITE, "valid")) && process.env.CI !== "true" ? `the corpus is not at ${CORPUS}` : false;

function files(dir: string, suffix: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(suffix))
    .sort()
    .map((f) => join(dir, f));
}

function read(path: string): string {
  return readFileSync(path, "utf8");
}

function assertAtRoot(tokenized: Tokenized, name: string): void {
  const last = tokenized.lines.at(-1)?.tokens.at(-1)?.scopes.join(" ");
  assert.equal(tokenized.end.depth, 1, `${name}: a scope is still open at the end (${last})`);
}

/** The innermost scope of the token with this text on line `n` (1-based). */
function scopeOf(tokenized: Tokenized, n: number, text: string): string | undefined {
  return tokenized.lines[n - 1]?.tokens.find((t) => t.text === text)?.scopes.at(-1);
}

describe("TOML grammar", () => {
  it("tokenises every toml-test valid/ file back to the root state, recognising all of it", { skip: noCorpus }, async () => {
    const valid = files(join(SUITE, "valid"), ".toml");
    assert.ok(valid.length >= 200, `only ${valid.length} files in ${SUITE}/valid`);
    const problems: string[] = [];
    for (const path of valid) {
      const name = relative(SUITE, path);
      const tokenized = await tokenize(read(path));
      if (tokenized.end.depth !== 1) problems.push(`${name}: a scope is still open at the end`);
      problems.push(...unrecognised(tokenized).map((p) => `${name}: ${p}`));
    }
    assert.deepEqual(problems, []);
  });

  it("tokenises every real cerebrium.toml back to the root state", { skip: noCorpus }, async () => {
    const real = files(REAL, ".toml");
    assert.ok(real.length >= 100, `only ${real.length} files in ${REAL}`);
    for (const path of real) {
      assertAtRoot(await tokenize(read(path)), relative(CORPUS, path));
    }
  });

  const snapshots: Array<[string, string]> = [
    ["e2e-sample", join(EXTENSION_ROOT, "test", "e2e", "workspace", "cerebrium.toml")],
    ["half-typed", join(EXTENSION_ROOT, "test", "unit", "fixtures", "half-typed.toml")],
    ...(noCorpus
      ? []
      : [
          ["spec-example-1", "valid/spec-example-1.toml"],
          ["string-escapes", "valid/string/escapes.toml"],
          ["string-multiline-quotes", "valid/string/multiline-quotes.toml"],
          ["integer-literals", "valid/integer/literals.toml"],
          ["float-inf-and-nan", "valid/float/inf-and-nan.toml"],
          ["datetime", "valid/datetime/datetime.toml"],
          ["inline-table-key-dotted", "valid/inline-table/key-dotted-01.toml"],
          ["array-of-tables", "valid/table/array-nest.toml"],
        ].map(([name, path]): [string, string] => [name, join(SUITE, path)])),
  ];
  for (const [name, path] of snapshots) {
    it(`matches its snapshot: ${name}`, async () => {
      const actual = render(await tokenize(read(path)));
      const file = join(SNAPSHOTS, `${name}.txt`);
      if (process.env.UPDATE_SNAPSHOTS === "1" || !existsSync(file)) {
        assert.notEqual(process.env.CI, "true", `no snapshot ${file} on CI`);
        mkdirSync(SNAPSHOTS, { recursive: true });
        writeFileSync(file, actual);
      }
      assert.equal(actual, readFileSync(file, "utf8"));
    });
  }

  it("colours keys, table names, strings, numbers, booleans and comments with standard scopes", async () => {
    const t = await tokenize(
      [
        "[cerebrium.hardware] # GPU",
        'compute = "AMPERE_A10"',
        "gpu_count = 1_000",
        "spot = true",
        "[[cerebrium.x]]",
        "f = -inf",
      ].join("\n"),
    );
    assert.equal(scopeOf(t, 1, "cerebrium"), "entity.name.tag.table.toml");
    assert.equal(scopeOf(t, 1, " GPU"), "comment.line.number-sign.toml");
    assert.equal(scopeOf(t, 2, "compute"), "support.type.property-name.toml");
    assert.equal(scopeOf(t, 2, "AMPERE_A10"), "string.quoted.double.basic.line.toml");
    assert.equal(scopeOf(t, 3, "1_000"), "constant.numeric.integer.decimal.toml");
    assert.equal(scopeOf(t, 4, "true"), "constant.language.boolean.toml");
    assert.equal(scopeOf(t, 5, "x"), "entity.name.tag.table.toml");
    assert.equal(scopeOf(t, 6, "-inf"), "constant.numeric.float.special.toml");
  });

  it("marks escapes TOML 1.0 does not have, and only those", async () => {
    const t = await tokenize(String.raw`s = "\t \u00E9 \U0001F600 \q \e \x41"` + "\n" + 'm = """\\\n  a \\\n"""');
    const escapes = t.lines[0].tokens.filter((tok) => tok.text.startsWith("\\"));
    assert.deepEqual(
      escapes.map((tok) => [tok.text, tok.scopes.at(-1)]),
      [
        ["\\t", "constant.character.escape.toml"],
        ["\\u00E9", "constant.character.escape.toml"],
        ["\\U0001F600", "constant.character.escape.toml"],
        ["\\q", "invalid.illegal.escape.toml"],
        ["\\e", "invalid.illegal.escape.toml"],
        ["\\x", "invalid.illegal.escape.toml"],
      ],
    );
    // A backslash ending a line of a multi-line basic string is a line continuation.
    assert.equal(scopeOf(t, 2, "\\"), "constant.character.escape.line-continuation.toml");
    assertAtRoot(t, "escapes");
  });

  it("closes multi-line strings on three to five quotes (up to two belong to the content)", async () => {
    const t = await tokenize(['a = """x""""', "b = 1", "c = '''y'''''", "d = 2"].join("\n"));
    assert.equal(scopeOf(t, 1, '""""'), "punctuation.definition.string.end.toml");
    assert.equal(scopeOf(t, 2, "b"), "support.type.property-name.toml");
    assert.equal(scopeOf(t, 3, "'''''"), "punctuation.definition.string.end.toml");
    assert.equal(scopeOf(t, 4, "d"), "support.type.property-name.toml");
    assertAtRoot(t, "quotes");
  });

  it("keeps a half-typed line from colouring the lines after it", async () => {
    // One-line strings, table headers and inline tables end with their line (TOML 1.0). Arrays
    // may span lines, but a line no array element can start (a table header, a `key =`) ends one.
    const t = await tokenize(
      ['name = "unterminated', "[cerebrium.hard", "x = { a = 1", "cpu = 2", 'pip = ["torch",', "[cerebrium", "y = [1,", "memory = 8"].join("\n"),
    );
    assert.equal(scopeOf(t, 2, "hard"), "entity.name.tag.table.toml");
    assert.equal(scopeOf(t, 3, "a"), "support.type.property-name.toml");
    assert.equal(scopeOf(t, 4, "cpu"), "support.type.property-name.toml");
    assert.equal(scopeOf(t, 6, "cerebrium"), "entity.name.tag.table.toml");
    assert.equal(scopeOf(t, 8, "memory"), "support.type.property-name.toml");
    assertAtRoot(t, "half-typed");
  });
});
