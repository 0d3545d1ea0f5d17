"""How old the catalog is: the date Cerebrium's compute types, regions and their limits were read
(Cerebrium's documentation at that date, see docs/sources.md). A compute type or region the
catalog does not know may be a typo or newer than this version: the messages say which."""

from __future__ import annotations

from cerebrium_lsp import __version__

__all__ = ["CATALOG_DATE", "catalog_age_note"]

CATALOG_DATE = "2026-08-17"


def catalog_age_note() -> str:
    """One sentence for a diagnostic about an unknown compute type or region."""
    return (
        f"Checked against the catalog of cerebrium-lsp {__version__}, read from Cerebrium's "
        f"documentation of {CATALOG_DATE}: if Cerebrium added this value since, update "
        "cerebrium-lsp."
    )
