// Runs @taplo/lsp (the WASM language server Even Better TOML runs in Node) over stdio, so the
// benchmark can drive it like any other server. Even Better TOML talks to it over Node IPC; this
// does the same with LSP's Content-Length framing on stdin/stdout. The Environment is the one
// the extension gives it (Node's file system, the process's environment, global fetch).
"use strict";

const fs = require("node:fs");
const fsPromises = require("node:fs/promises");
const path = require("node:path");
const { TaploLsp } = require("@taplo/lsp");

function send(message) {
  const body = Buffer.from(JSON.stringify(message), "utf8");
  process.stdout.write(`Content-Length: ${body.length}\r\n\r\n`);
  process.stdout.write(body);
}

function globToRegExp(pattern) {
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "*" && pattern[i + 1] === "*") {
      out += ".*";
      i++;
      if (pattern[i + 1] === "/") i++;
    } else if (c === "*") out += "[^/]*";
    else if (c === "?") out += "[^/]";
    else out += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${out}$`);
}

// What fast-glob does for the extension, enough for the workspace's few files.
function glob(pattern) {
  const magic = pattern.search(/[*?[{]/);
  const base = magic < 0 ? pattern : path.dirname(pattern.slice(0, magic + 1));
  const re = globToRegExp(pattern);
  const out = [];
  const walk = (dir, depth) => {
    if (depth > 8) return;
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.name === "node_modules" || entry.name === ".git") continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full, depth + 1);
      else if (re.test(full)) out.push(full);
    }
  };
  if (magic < 0) return fs.existsSync(pattern) ? [pattern] : [];
  walk(base, 0);
  return out;
}

const environment = {
  cwd: () => process.cwd(),
  envVar: (name) => process.env[name],
  envVars: () => Object.entries(process.env).filter(([, v]) => v !== undefined),
  findConfigFile: (from) => {
    for (const name of [".taplo.toml", "taplo.toml"]) {
      const candidate = path.join(from, name);
      if (fs.existsSync(candidate)) return candidate;
    }
    return undefined;
  },
  glob,
  isAbsolute: (p) => path.isAbsolute(p),
  now: () => new Date(),
  readFile: (p) => fsPromises.readFile(p),
  writeFile: (p, bytes) => fsPromises.writeFile(p, bytes),
  stderr: process.stderr,
  stdErrAtty: () => process.stderr.isTTY === true,
  stdin: process.stdin,
  // Nothing but LSP messages may reach stdout: anything Taplo prints goes to stderr.
  stdout: process.stderr,
  // As the extension does: Taplo also passes its own "root:///" URL here, which must not throw.
  urlToFilePath: (url) => decodeURIComponent(url).slice("file://".length),
  fetch: { fetch, Headers, Request, Response },
};

let taplo;
const queued = [];

function deliver(message) {
  if (message.method === "exit") process.exit(0);
  if (taplo === undefined) queued.push(message);
  else taplo.send(message);
}

let buffer = Buffer.alloc(0);
process.stdin.on("data", (chunk) => {
  buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
  for (;;) {
    const end = buffer.indexOf("\r\n\r\n");
    if (end < 0) return;
    const header = buffer.subarray(0, end).toString("ascii");
    const match = /Content-Length: *(\d+)/i.exec(header);
    if (!match) throw new Error(`bad header: ${header}`);
    const length = Number(match[1]);
    if (buffer.length < end + 4 + length) return;
    const body = buffer.subarray(end + 4, end + 4 + length).toString("utf8");
    buffer = buffer.subarray(end + 4 + length);
    deliver(JSON.parse(body));
  }
});
process.stdin.on("end", () => process.exit(0));

TaploLsp.initialize(environment, { onMessage: send }).then((lsp) => {
  taplo = lsp;
  for (const message of queued.splice(0)) taplo.send(message);
});
