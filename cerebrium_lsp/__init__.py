"""cerebrium-lsp: language server and checker for cerebrium.toml."""

__version__ = "0.1.0"
