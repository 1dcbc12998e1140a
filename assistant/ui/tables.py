"""Read-only tables as HTML that reflow into one card per row on a narrow screen: each cell
carries its column's name, shown beside it when the header row is hidden (see style.css)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any


def table_html(columns: Sequence[str], rows: Sequence[Sequence[Any]], caption: str,
               empty: str = "Nothing yet.") -> str:
    """A captioned table, every cell escaped; `empty` when there are no rows."""
    if not rows:
        return f'<p class="ftz-table-empty">{html.escape(empty)}</p>'
    head = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in columns)
    body = "".join(
        "<tr>" + "".join(f'<td data-label="{html.escape(c, quote=True)}">'
                         f"{html.escape(str(v))}</td>" for c, v in zip(columns, row, strict=True))
        + "</tr>" for row in rows)
    return (f'<div class="ftz-table-wrap" tabindex="0" role="region" '
            f'aria-label="{html.escape(caption, quote=True)}"><table class="ftz-table">'
            f"<caption>{html.escape(caption)}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table></div>")
