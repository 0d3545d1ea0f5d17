-- cerebrium-lsp for Neovim 0.11+: diagnostics, completion, hover, quick fixes and the build plan
-- for Cerebrium's cerebrium.toml.
--
-- With this repository installed as a plugin (on 'runtimepath'), the whole setup is
--   vim.lsp.enable("cerebrium_lsp")
-- and `cerebrium-lsp` on PATH (pipx install cerebrium-lsp, or Mason). Change settings with
--   vim.lsp.config("cerebrium_lsp", { settings = { cerebrium = { fileChecks = false } } })
-- Neovim gives cerebrium.toml the filetype `toml`; the server analyses only files named
-- cerebrium.toml (setting `files`) and leaves other TOML files alone.

---@type vim.lsp.Config
return {
  cmd = { "cerebrium-lsp", "serve" },
  filetypes = { "toml" },
  root_markers = { "cerebrium.toml", ".git" },
  settings = { cerebrium = { fileChecks = true } },
  on_attach = function(client, bufnr)
    -- :CerebriumBuildPlan shows the container build plan of this cerebrium.toml. The server
    -- opens it itself with window/showDocument (result.uri); otherwise it is shown here.
    vim.api.nvim_buf_create_user_command(bufnr, "CerebriumBuildPlan", function()
      client:exec_cmd({
        title = "Show build plan",
        command = "cerebrium.showBuildPlan",
        arguments = { vim.uri_from_bufnr(bufnr) },
      }, { bufnr = bufnr }, function(err, result)
        if err then
          return vim.notify("cerebrium.showBuildPlan: " .. err.message, vim.log.levels.ERROR)
        end
        if result and type(result.uri) ~= "string" and result.markdown then
          vim.cmd("vnew")
          vim.bo.buftype, vim.bo.bufhidden, vim.bo.filetype = "nofile", "wipe", "markdown"
          vim.api.nvim_buf_set_lines(0, 0, -1, false, vim.split(result.markdown, "\n"))
          vim.bo.modifiable = false
        end
      end)
    end, { desc = "Show the container build plan of this cerebrium.toml" })
  end,
}
