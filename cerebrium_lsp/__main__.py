"""``python -m cerebrium_lsp``: the same as the ``cerebrium-lsp`` command."""

from cerebrium_lsp.cli import main

raise SystemExit(main())
