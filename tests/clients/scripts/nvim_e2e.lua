-- Drives a real, headless Neovim (0.7+) against cerebrium-lsp and writes what Neovim received.
--
-- Run as: nvim --headless -n -i NONE -u <init.lua from docs/editors.md> -S nvim_e2e.lua
-- The user configuration (-u) attaches the server, exactly as a user's init.lua would; this script
-- then opens TARGET, waits for the diagnostics, asks for completion inside `compute = ""` and for
-- hover on `python_version`, runs the documented :CerebriumBuildPlan command, sets a compute type
-- and reads the inlay hints, formats the buffer, and writes the result to OUT as JSON.
-- Completion, hover, the build plan, the inlay hints and formatting are independent steps: a
-- failing one is
-- recorded in `errors` for its test. It exits 0 once the client attached and diagnostics arrived
-- (the pytest tests assert on the content), and 1 with {"ok": false, "error": ...} otherwise.
-- Every Lua error still exits: on 0.7 an uncaught error in a -S script leaves headless Neovim
-- waiting forever.
-- Env: TARGET (the cerebrium.toml to open), OUT (JSON path), STEP_TIMEOUT_MS (per step).

local out = os.getenv("OUT")
local step_ms = tonumber(os.getenv("STEP_TIMEOUT_MS") or "15000")
local v = vim.version()
local result = { nvim = ("%d.%d.%d"):format(v.major, v.minor, v.patch), timings = {}, errors = {} }
local started = vim.loop.hrtime()

local function mark(step)
  result.timings[step] = math.floor((vim.loop.hrtime() - started) / 1e6)
end

-- Run one optional step; its failure is recorded (for its test) without stopping the others.
local function step(name, fn)
  local ok, err = xpcall(fn, debug.traceback)
  if not ok then
    result.errors[name] = err
  end
  mark(name)
end

local function finish(ok, err)
  result.ok, result.error = ok, err
  local f = assert(io.open(out, "w"))
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd(ok and "qall!" or "cquit! 1")
end

local function clients_of(bufnr)
  if vim.lsp.get_clients then -- 0.10+
    return vim.lsp.get_clients({ bufnr = bufnr })
  end
  return vim.tbl_values(vim.lsp.buf_get_clients(bufnr)) -- 0.7-0.9: a map id -> client
end

-- 0-based line and byte column of the first occurrence of `needle` in the buffer.
local function find(bufnr, needle)
  for i, line in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    local s = line:find(needle, 1, true)
    if s then
      return i - 1, s - 1
    end
  end
  error("not in the buffer: " .. needle)
end

local function request(bufnr, method, params)
  local responses, err = vim.lsp.buf_request_sync(bufnr, method, params, step_ms)
  if not responses then
    error(method .. " failed: " .. tostring(err))
  end
  for _, response in pairs(responses) do
    if response.err then
      error(method .. " returned an error: " .. vim.inspect(response.err))
    end
    return response.result
  end
  error(method .. ": no response")
end

-- Hover contents (MarkupContent, MarkedString or a list of them) as plain text.
local function hover_text(contents)
  if type(contents) == "string" then
    return contents
  end
  if contents.value then
    return contents.value
  end
  local parts = {}
  for _, c in ipairs(contents) do
    table.insert(parts, hover_text(c))
  end
  return table.concat(parts, "\n")
end

-- The loaded buffers (other than `except`) whose text starts with `text`: a list of {buf, text}.
local function buffers_with(text, except)
  local found = {}
  for _, b in ipairs(vim.api.nvim_list_bufs()) do
    if b ~= except and vim.api.nvim_buf_is_loaded(b) then
      local content = table.concat(vim.api.nvim_buf_get_lines(b, 0, -1, false), "\n")
      if content:sub(1, #text) == text then
        table.insert(found, { buf = b, text = content })
      end
    end
  end
  return found
end

local function main()
  vim.cmd("edit " .. vim.fn.fnameescape(os.getenv("TARGET")))
  local bufnr = vim.api.nvim_get_current_buf()
  local uri = vim.uri_from_bufnr(bufnr)
  result.filetype = vim.api.nvim_buf_get_option(bufnr, "filetype")

  -- 1. The user configuration attached a client to the buffer.
  if not vim.wait(step_ms, function() return #clients_of(bufnr) > 0 end, 20) then
    return finish(false, "no language client attached (filetype " .. result.filetype .. ")")
  end
  result.clients = vim.tbl_map(function(c) return c.name end, clients_of(bufnr))
  mark("attached")

  -- 2. Diagnostics, as Neovim stores them (0-based lines, byte columns).
  if not vim.wait(step_ms, function() return #vim.diagnostic.get(bufnr) > 0 end, 20) then
    local alive = #clients_of(bufnr) > 0
    return finish(false, alive and "no diagnostics" or "the server exited")
  end
  result.diagnostics = vim.tbl_map(function(d)
    local lsp = d.user_data and d.user_data.lsp or {} -- 0.7 keeps the LSP fields here
    return {
      lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
      severity = d.severity, message = d.message, source = d.source,
      code = d.code or lsp.code,
    }
  end, vim.diagnostic.get(bufnr))
  mark("diagnostics")

  -- 3. Completion inside the quotes of compute = "".
  step("completion", function()
    local line, col = find(bufnr, 'compute = ""')
    local completion = request(bufnr, "textDocument/completion", {
      textDocument = { uri = uri },
      position = { line = line, character = col + #'compute = "' },
    }) or {}
    result.completion = vim.tbl_map(function(item) return item.label end, completion.items or completion)
  end)

  -- 4. Hover on the key python_version.
  step("hover", function()
    local line, col = find(bufnr, "python_version")
    local hover = request(bufnr, "textDocument/hover", {
      textDocument = { uri = uri },
      position = { line = line, character = col + 2 },
    })
    result.hover = hover and hover_text(hover.contents) or vim.NIL
  end)

  -- 5. The documented :CerebriumBuildPlan command opens the plan in a buffer (from the
  --    command's result, or through window/showDocument).
  step("build_plan", function()
    vim.cmd("CerebriumBuildPlan")
    if not vim.wait(step_ms, function() return #buffers_with("# Build plan", bufnr) > 0 end, 20) then
      error("no buffer with the build plan after :CerebriumBuildPlan")
    end
    vim.wait(300, function() return false end, 20) -- would a second copy open? (it must not)
    local shown = buffers_with("# Build plan", bufnr)
    result.build_plan = {
      text = shown[1].text,
      name = vim.api.nvim_buf_get_name(shown[1].buf),
      filetype = vim.api.nvim_buf_get_option(shown[1].buf, "filetype"),
      buffers = #shown,
    }
  end)

  -- 6. Inlay hints after an edit: compute = "" becomes "AMPERE_A10" (a didChange), then Neovim
  --    0.10+ shows hints (vim.lsp.inlay_hint) and older ones request them directly.
  step("inlay_hint", function()
    local line = find(bufnr, 'compute = ""')
    vim.api.nvim_buf_set_lines(bufnr, line, line + 1, false, { 'compute = "AMPERE_A10"' })
    local hints = {}
    local function collect()
      hints = {}
      if vim.lsp.inlay_hint then
        for _, item in ipairs(vim.lsp.inlay_hint.get({ bufnr = bufnr })) do
          table.insert(hints, item.inlay_hint)
        end
      else
        hints = request(bufnr, "textDocument/inlayHint", {
          textDocument = { uri = uri },
          range = { start = { line = 0, character = 0 }, ["end"] = { line = line + 1, character = 0 } },
        }) or {}
      end
      return #hints > 0
    end
    if vim.lsp.inlay_hint then
      vim.lsp.inlay_hint.enable(true, { bufnr = bufnr })
      result.inlay_hint_via = "vim.lsp.inlay_hint"
    else
      result.inlay_hint_via = "request"
    end
    if not vim.wait(step_ms, collect, 50) then
      error("no inlay hint after the edit")
    end
    result.inlay_hints = vim.tbl_map(function(h)
      local label = h.label
      if type(label) == "table" then -- InlayHintLabelPart[]
        label = table.concat(vim.tbl_map(function(part) return part.value end, label))
      end
      return { line = h.position.line, character = h.position.character, label = label }
    end, hints)
  end)

  -- 7. Formatting: python_version retyped with odd spacing and a non-ASCII comment, then
  --    vim.lsp.buf.format() (0.8+; formatting_sync on 0.7) applies the server's edits.
  step("format", function()
    vim.api.nvim_set_current_buf(bufnr) -- the build plan step showed another buffer
    local line = find(bufnr, "python_version")
    vim.api.nvim_buf_set_lines(bufnr, line, line + 1, false, {
      'python_version   =   "3.11"   # pinned, ünïcode 😀',
      'include = [ "main.py" ,',
      '  "*.txt" ]',
    })
    result.format_before = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), "\n")
    if vim.lsp.buf.format then
      vim.lsp.buf.format({ bufnr = bufnr, timeout_ms = step_ms })
      result.format_via = "vim.lsp.buf.format"
    else
      vim.lsp.buf.formatting_sync(nil, step_ms)
      result.format_via = "formatting_sync"
    end
    result.format_after = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), "\n")
  end)
  finish(true)
end

local ok, err = xpcall(main, debug.traceback)
if not ok then
  finish(false, err)
end
