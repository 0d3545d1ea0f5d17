// The schema we give Even Better TOML (taplo) through `contributes.tomlValidation`.
//
// Our server already reports every problem in cerebrium.toml. If taplo validated the same file
// against the full schema, each unknown key, bad value or missing table would be reported twice
// (once by each tool, in different words). So taplo gets the schema's *hints* only: the
// structure (`properties`), documentation, defaults, examples and `x-taplo` extensions, and none
// of the keywords that make a document invalid. taplo still shows docs and offers keys; only the
// cerebrium server validates.
//
//   node scripts/taplo-schema.mjs <in.schema.json> <out.json>
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

/** Keywords that can make a document fail validation (JSON Schema draft-07 and later). */
export const VALIDATION_KEYWORDS = new Set([
  "type", "enum", "const", "required", "additionalProperties", "patternProperties",
  "propertyNames", "dependencies", "dependentRequired", "dependentSchemas",
  "unevaluatedProperties", "unevaluatedItems", "minProperties", "maxProperties",
  "minItems", "maxItems", "uniqueItems", "contains", "minContains", "maxContains",
  "additionalItems", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
  "multipleOf", "minLength", "maxLength", "pattern", "format", "not",
  "if", "then", "else", "allOf", "anyOf", "oneOf", "$ref", "$dynamicRef", "$defs", "definitions",
]);

/** Subschema-holding keywords kept (their subschemas are stripped in turn). */
const SCHEMA_MAPS = new Set(["properties"]);
const SCHEMA_VALUES = new Set(["items"]);

/** A copy of `schema` without validation keywords (hints only). */
export function hintsOnly(schema) {
  if (Array.isArray(schema)) {
    return schema.map(hintsOnly);
  }
  if (schema === null || typeof schema !== "object") {
    return schema;
  }
  const out = {};
  for (const [key, value] of Object.entries(schema)) {
    if (VALIDATION_KEYWORDS.has(key)) {
      continue;
    }
    if (SCHEMA_MAPS.has(key) && value && typeof value === "object") {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, hintsOnly(v)]));
    } else if (SCHEMA_VALUES.has(key)) {
      out[key] = hintsOnly(value);
    } else {
      out[key] = value; // descriptions, defaults, examples, x-taplo: data, copied as is
    }
  }
  // VS Code-only keyword, kept out of the shared (SchemaStore) schema: the notice shown on a
  // deprecated key is the first paragraph of its description ("Deprecated (since). …").
  if (schema.deprecated === true && typeof schema.description === "string") {
    out.deprecationMessage = schema.description.split("\n\n", 1)[0];
  }
  // A value's possible values stay visible in its documentation.
  const values = enumValues(schema);
  if (values.length && typeof out.markdownDescription === "string") {
    out.markdownDescription += `\n\nValues: ${values.map((v) => `\`${String(v)}\``).join(", ")}`;
  }
  return out;
}

function enumValues(schema) {
  const own = Array.isArray(schema.enum) ? schema.enum : [];
  const nested = (schema.anyOf ?? schema.oneOf ?? []).flatMap((s) =>
    s && Array.isArray(s.enum) ? s.enum : s?.items && Array.isArray(s.items.enum) ? s.items.enum : [],
  );
  return [...new Set([...own, ...nested])];
}

// Run as a script (not when bundled into the unit tests, where import.meta.url is undefined).
const self = typeof import.meta.url === "string" ? fileURLToPath(import.meta.url) : undefined;
if (self !== undefined && self === process.argv[1]) {
  const [input, output] = process.argv.slice(2);
  if (!input || !output) {
    console.error("usage: node scripts/taplo-schema.mjs <in.schema.json> <out.json>");
    process.exit(2);
  }
  const schema = JSON.parse(readFileSync(input, "utf8"));
  const hints = hintsOnly(schema);
  hints.$comment =
    "Generated from cerebrium.schema.json without validation keywords: the Cerebrium language server validates cerebrium.toml; this schema only gives Even Better TOML documentation and structure.";
  mkdirSync(dirname(output), { recursive: true });
  writeFileSync(output, JSON.stringify(hints, null, 2) + "\n");
}
