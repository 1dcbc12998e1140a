"""Read-only tables as HTML that reflow into one card per row on a narrow screen: each cell
carries its column's name, shown beside it when the header row is hidden (see style.css).
Column names, caption and the empty message come in English and Chinese."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from assistant.ui.i18n import both

Words = tuple[str, str]  # (English, Chinese)


def _both(words: Words) -> str:
    return both(html.escape(words[0]), html.escape(words[1]))


def table_html(columns: Sequence[Words], rows: Sequence[Sequence[Any]], caption: Words,
               empty: Words = ("Nothing yet.", "暂无。")) -> str:
    """A captioned table, every cell escaped; `empty` when there are no rows."""
    if not rows:
        return f'<p class="ftz-table-empty">{_both(empty)}</p>'
    head = "".join(f'<th scope="col">{_both(c)}</th>' for c in columns)
    body = "".join(
        "<tr>" + "".join(f'<td data-label="{html.escape(c[0], quote=True)}" '
                         f'data-label-zh="{html.escape(c[1], quote=True)}">'
                         f"{html.escape(str(v))}</td>" for c, v in zip(columns, row, strict=True))
        + "</tr>" for row in rows)
    return (f'<div class="ftz-table-wrap" tabindex="0" role="region" '
            f'aria-label="{html.escape(caption[0], quote=True)}"><table class="ftz-table">'
            f"<caption>{_both(caption)}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table></div>")
