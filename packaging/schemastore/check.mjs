// The checks SchemaStore's CI (`node cli.js check`) runs on a schema, its catalog entry and its
// test files, applied to the files under src/ (written by generate.py):
//
// - $schema is draft-07 (SchemaStore refuses 2019-09/2020-12 without an exception) and $id an
//   http(s) URL equal to the catalog entry's url;
// - the schema compiles with Ajv 8 in strict mode, ajv-formats, and only the extra keywords
//   SchemaStore's `ajvFactory` registers;
// - every positive test validates, every negative test fails; both start with the `#:schema`
//   pragma pointing at the schema, have no BOM and a .toml extension, and parse with smol-toml
//   (the TOML parser cli.js uses);
// - the catalog entry's name/description follow SchemaStore's lint (no "schema", no newline,
//   no trailing ",. -") and fileMatch globs with a "/" start with "**/".
//
//   node check.mjs   (after `npm ci` here; prints one line per file, exits 1 on any failure)
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import { parse as parseToml } from "smol-toml";

const addFormats = addFormatsModule.default ?? addFormatsModule;
const HERE = dirname(fileURLToPath(import.meta.url));
const NAME = "cerebrium";
const SCHEMA_FILE = join(HERE, "src", "schemas", "json", `${NAME}.json`);
const CATALOG_ENTRY_FILE = join(HERE, "src", "api", "json", "catalog-entry.json");
const POSITIVE_DIR = join(HERE, "src", "test", NAME);
const NEGATIVE_DIR = join(HERE, "src", "negative_test", NAME);
const DRAFT_07 = "http://json-schema.org/draft-07/schema#";

/** The keywords SchemaStore's cli.js `ajvFactory` adds to every Ajv instance. */
export const SCHEMASTORE_KEYWORDS = [
  "allowTrailingCommas",
  "defaultSnippets",
  "markdownDescription",
  "enumDescriptions",
  "markdownEnumDescriptions",
  "x-taplo",
  "x-taplo-info",
  "x-tombi-toml-version",
  "x-tombi-array-values-order",
  "x-tombi-array-values-order-by",
  "x-tombi-table-keys-order",
  "x-tombi-string-formats",
  "x-tombi-additional-key-label",
  "x-intellij-language-injection",
  "x-intellij-html-description",
  "x-intellij-enum-metadata",
];

/** An Ajv configured as SchemaStore configures it for a draft-07 schema in full strict mode. */
export function schemaStoreAjv() {
  const ajv = new Ajv({ strict: true });
  addFormats(ajv);
  for (const keyword of SCHEMASTORE_KEYWORDS) ajv.addKeyword(keyword);
  return ajv;
}

/** Runs every check, printing one line per file; returns the exit status. */
export function check() {
  const failures = [];
  const fail = (what, why) => failures.push(`${what}: ${why}`);
  const ok = (what) => console.log(`ok   ${what}`);

  const schemaText = readFileSync(SCHEMA_FILE, "utf8");
  const schema = JSON.parse(schemaText);
  const entry = JSON.parse(readFileSync(CATALOG_ENTRY_FILE, "utf8"));
  const shown = (path) => relative(HERE, path);

  if (schema.$schema !== DRAFT_07) fail(shown(SCHEMA_FILE), `$schema is ${schema.$schema}, not draft-07`);
  if (!/^https?:\/\//.test(schema.$id ?? "")) fail(shown(SCHEMA_FILE), `$id ${schema.$id} is not an http(s) URL`);
  if (schema.$id !== entry.url) fail(shown(CATALOG_ENTRY_FILE), `url ${entry.url} differs from the schema's $id ${schema.$id}`);

  for (const property of ["name", "description"]) {
    const value = entry[property];
    if (typeof value !== "string" || !value) fail(shown(CATALOG_ENTRY_FILE), `${property} is missing`);
    else if (/[,. \t-]$/.test(value)) fail(shown(CATALOG_ENTRY_FILE), `${property} ends with one of ",. -"`);
    else if (value.toLowerCase().includes("schema")) fail(shown(CATALOG_ENTRY_FILE), `${property} contains "schema"`);
    else if (value.includes("\n")) fail(shown(CATALOG_ENTRY_FILE), `${property} contains a newline`);
  }
  for (const glob of entry.fileMatch ?? []) {
    if (glob.includes("/") && !glob.startsWith("**/")) fail(shown(CATALOG_ENTRY_FILE), `fileMatch ${glob} has a folder but does not start with **/`);
  }
  if (!entry.url?.endsWith(".json")) fail(shown(CATALOG_ENTRY_FILE), "url does not end in .json");

  let validate;
  try {
    validate = schemaStoreAjv().compile(schema);
    ok(`${shown(SCHEMA_FILE)} compiles (Ajv strict)`);
  } catch (err) {
    fail(shown(SCHEMA_FILE), `Ajv strict refuses it: ${err.message}`);
  }

  function testFiles(dir) {
    return readdirSync(dir).sort().map((name) => join(dir, name));
  }

  function readTestFile(path) {
    const buffer = readFileSync(path);
    if (buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) fail(shown(path), "starts with a BOM");
    if (!path.endsWith(".toml")) fail(shown(path), "is not a .toml file");
    const text = buffer.toString("utf8");
    const pragma = `#:schema ${relative(dirname(path), SCHEMA_FILE)}`;
    if (text.split("\n", 1)[0] !== pragma) fail(shown(path), `first line is not "${pragma}"`);
    try {
      return parseToml(text);
    } catch (err) {
      fail(shown(path), `not valid TOML: ${err.message}`);
      return undefined;
    }
  }

  const positives = testFiles(POSITIVE_DIR);
  const negatives = testFiles(NEGATIVE_DIR);
  if (!positives.length) fail(shown(POSITIVE_DIR), "no positive test files");
  if (!negatives.length) fail(shown(NEGATIVE_DIR), "no negative test files");
  for (const path of positives) {
    const data = readTestFile(path);
    if (!validate || data === undefined) continue;
    if (validate(data)) ok(`${shown(path)} validates`);
    else fail(shown(path), `should validate but: ${JSON.stringify(validate.errors[0])}`);
  }
  for (const path of negatives) {
    const data = readTestFile(path);
    if (!validate || data === undefined) continue;
    if (!validate(data)) ok(`${shown(path)} is rejected (${validate.errors[0].instancePath || "/"} ${validate.errors[0].message})`);
    else fail(shown(path), "should be rejected but validates");
  }

  for (const failure of failures) console.error(`FAIL ${failure}`);
  return failures.length ? 1 : 0;
}

// Run as a script, not when imported (the pytest imports schemaStoreAjv).
if (fileURLToPath(import.meta.url) === process.argv[1]) process.exit(check());
