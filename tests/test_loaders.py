"""Unit tests for assistant.ingest.loaders; every fixture is generated in tmp_path."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from fpdf import FPDF

from assistant.errors import UnreadableDocument
from assistant.ingest import loaders
from assistant.ingest.loaders import load_document

DOCS_DIR = Path(__file__).resolve().parents[1] / "docs"
META_KEYS = {"source", "title", "url", "publisher", "date", "zone", "doc_type", "dateline",
             "format", "page"}


def _write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def _reason(path: Path) -> str:
    with pytest.raises(UnreadableDocument) as info:
        load_document(path)
    assert info.value.source == path.name
    assert str(info.value).startswith(f"{path.name}: ")
    return info.value.reason


# ---------------------------------------------------------------- markdown

MARKDOWN = """---
title: Lin-gang Special Area Plan
source: https://example.gov.cn/plan.html
publisher: State Council
date: 2019-07-27
zone: Shanghai FTZ
doc_type: plan
---
# Lin-gang Special Area

## Goals
The area offers **zero-tariff** treatment and __simpler__ customs, see [the plan](https://x.cn/p).

* first measure
+ second measure

| Item | Value |
|---|---|
| Area | 119.5 km2 |
"""


def test_markdown_front_matter_lands_in_metadata(tmp_path: Path) -> None:
    (doc,) = load_document(_write(tmp_path / "plan.md", MARKDOWN))
    assert set(doc.metadata) == META_KEYS
    assert doc.metadata == {
        "source": "plan.md", "title": "Lin-gang Special Area Plan",
        "url": "https://example.gov.cn/plan.html", "publisher": "State Council",
        "date": "2019-07-27", "zone": "Shanghai FTZ", "doc_type": "plan", "dateline": "",
        "format": "md", "page": None,
    }
    text = doc.page_content
    assert "---" not in text and "publisher:" not in text
    assert text.startswith("# Lin-gang Special Area\n\n## Goals\n")
    assert "offers zero-tariff treatment and simpler customs, see the plan." in text
    assert "**" not in text and "](" not in text
    assert "- first measure\n- second measure" in text
    assert "- Item: Area; Value: 119.5 km2." in text  # a row names its columns
    assert "|---|" not in text


def test_markdown_seed_article_is_not_a_url_and_title_falls_back(tmp_path: Path) -> None:
    content = "---\nsource: seed article\ndate: unknown\n---\n# Dalian FTZ Story\n\nBody text.\n"
    (doc,) = load_document(_write(tmp_path / "seed.markdown", content))
    assert doc.metadata["url"] == ""
    assert doc.metadata["title"] == "Dalian FTZ Story"
    assert doc.metadata["date"] == "unknown"
    assert doc.metadata["publisher"] == "" and doc.metadata["zone"] == ""


def test_markdown_url_key_and_title_from_file_name(tmp_path: Path) -> None:
    content = "---\nurl: http://a.example/x\nsource: seed article\n---\nJust a paragraph.\n"
    (doc,) = load_document(_write(tmp_path / "hainan_free-trade-port.MD", content))
    assert doc.metadata["url"] == "http://a.example/x"
    assert doc.metadata["title"] == "Hainan Free Trade Port"
    assert doc.metadata["format"] == "md"


def test_markdown_broken_front_matter_keeps_body(tmp_path: Path) -> None:
    content = "---\ntitle: [unclosed\n---\n## Section\n\nStill readable.\n"
    (doc,) = load_document(_write(tmp_path / "broken-yaml.md", content))
    assert doc.page_content == "## Section\n\nStill readable."
    assert doc.metadata["title"] == "Broken Yaml"


def test_markdown_with_only_front_matter_has_no_text(tmp_path: Path) -> None:
    path = _write(tmp_path / "hollow.md", "---\ntitle: Nothing here\n---\n\n")
    assert _reason(path) == "no text found"


# ---------------------------------------------------------------- text


def test_text_file_title_is_first_line(tmp_path: Path) -> None:
    path = _write(tmp_path / "notes.txt", "\n\nFTZ notes\r\n\r\nLine one.\r\nLine two.\n")
    (doc,) = load_document(path)
    assert doc.page_content == "# FTZ notes\n\nLine one.\nLine two."  # the title is a heading
    assert doc.metadata["title"] == "FTZ notes"
    assert doc.metadata["format"] == "txt" and doc.metadata["page"] is None


def test_text_file_long_first_line_uses_stem(tmp_path: Path) -> None:
    (doc,) = load_document(_write(tmp_path / "long_line.txt", "word " * 60))
    assert doc.metadata["title"] == "Long Line"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("自由贸易试验区 总体方案".encode("gb18030"), "自由贸易试验区 总体方案"),
        ("Zürich Gründung".encode("cp1252"), "Zürich Gründung"),  # also valid GB18030
        ("\ufeffBOM first line".encode(), "BOM first line"),
        ("UTF-16 text".encode("utf-16"), "UTF-16 text"),
    ],
)
def test_text_encodings(tmp_path: Path, raw: bytes, expected: str) -> None:
    (doc,) = load_document(_write(tmp_path / "enc.txt", raw))
    assert doc.page_content == expected


# ---------------------------------------------------------------- html

HTML = """<!doctype html>
<html><head>
<meta charset="utf-8">
<title>Negative List 2021 - MOFCOM</title>
<link rel="canonical" href="https://english.mofcom.gov.cn/list.html">
<meta property="article:published_time" content="2021-12-31">
<meta property="og:site_name" content="MOFCOM">
<style>body { color: red }</style>
<script>var tracking = "SCRIPT_SECRET";</script>
</head><body>
<div class="header-top">Site banner HEADER_JUNK</div>
<nav><a href="/">NAV_HOME</a></nav>
<ul class="main-menu"><li>MENU_ITEM</li></ul>
<div id="breadcrumbs">Home &gt; BREADCRUMB_JUNK</div>
<main>
  <article>
    <div class="article-header"><h1>Special Measures</h1></div>
    <p>The list has <b>27</b> items,
       down from 30.</p>
    <h2>Sectors</h2>
    <ul><li>Agriculture<ul><li>Seeds</li></ul></li><li>Mining</li></ul>
    <p>First line<br>Second line</p>
    <table>
      <thead><tr><th>Sector</th><th>Items</th></tr></thead>
      <tbody><tr><td>Manufacturing</td><td>0</td></tr>
             <tr><td>Finance</td><td><span>2</span></td></tr></tbody>
    </table>
    <div class="share-buttons">SHARE_JUNK</div>
    <p class="shareholders">Shareholders keep voting rights.</p>
  </article>
  <aside>ASIDE_JUNK</aside>
</main>
<div class="cookie-banner">COOKIE_JUNK</div>
<footer>FOOTER_JUNK</footer>
</body></html>
"""


def test_html_main_text_only(tmp_path: Path) -> None:
    (doc,) = load_document(_write(tmp_path / "page.html", HTML))
    text = doc.page_content
    for junk in ("SCRIPT_SECRET", "color: red", "NAV_HOME", "MENU_ITEM", "HEADER_JUNK",
                 "BREADCRUMB_JUNK", "SHARE_JUNK", "ASIDE_JUNK", "COOKIE_JUNK", "FOOTER_JUNK"):
        assert junk not in text
    assert text.split("\n\n")[:3] == [
        "# Special Measures", "The list has 27 items, down from 30.", "## Sectors"
    ]
    assert "- Agriculture\n- Seeds\n- Mining" in text
    assert "First line\nSecond line" in text
    assert "- Sector: Manufacturing; Items: 0.\n- Sector: Finance; Items: 2." in text
    assert "Shareholders keep voting rights." in text
    assert doc.metadata["title"] == "Negative List 2021"  # without the site's name
    assert doc.metadata["url"] == "https://english.mofcom.gov.cn/list.html"
    assert doc.metadata["date"] == "2021-12-31"
    assert doc.metadata["publisher"] == "MOFCOM"
    assert doc.metadata["format"] == "html"


def test_html_whole_page_form_and_gbk_charset(tmp_path: Path) -> None:
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
        '</head><body><form id="form1"><div id="nav">导航</div>'
        "<h1>大连片区</h1><p>新措施四十三条。</p></form></body></html>"
    )
    (doc,) = load_document(_write(tmp_path / "dl.htm", page.encode("gb18030")))
    assert doc.page_content == "# 大连片区\n\n新措施四十三条。"
    assert doc.metadata["title"] == "大连片区"
    assert doc.metadata["url"] == ""


def test_html_layout_tables_and_small_forms(tmp_path: Path) -> None:
    page = (
        '<html><head><link rel="canonical" href="/relative/page.html"></head><body>'
        "<header>Site header</header>"
        "<table><tr><td><table><tr><td><h2>Notice</h2><p>Paragraph one.</p>"
        "<p>Paragraph two.</p></td></tr></table></td></tr></table>"
        '<form action="/comment"><p>Leave a comment</p><input name="c"></form>'
        "</body></html>"
    )
    (doc,) = load_document(_write(tmp_path / "old-site.html", page))
    assert doc.metadata["url"] == ""  # a relative canonical link is not a URL
    assert doc.metadata["title"] == "Old Site"
    assert doc.page_content == "## Notice\n\nParagraph one.\n\nParagraph two."


def test_html_article_header_is_kept(tmp_path: Path) -> None:
    page = (
        "<html><body><header>Site header</header><p>Teaser elsewhere.</p><article><header>"
        "<h1>In-article title</h1></header><p>Article body is the longest text.</p></article>"
        "</body></html>"
    )
    (doc,) = load_document(_write(tmp_path / "story.html", page))
    assert doc.page_content == "# In-article title\n\nArticle body is the longest text."
    assert doc.metadata["title"] == "In-article title"


def test_html_with_only_navigation_has_no_text(tmp_path: Path) -> None:
    path = _write(tmp_path / "menu.html", "<html><body><nav>Home | About</nav></body></html>")
    assert _reason(path) == "no text found"


# ---------------------------------------------------------------- pdf


class _ReportPdf(FPDF):
    def header(self) -> None:
        self.set_font("Helvetica", size=9)
        self.cell(0, 8, "Liaoning FTZ Annual Report 2021", new_x="LMARGIN", new_y="NEXT")

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", size=9)
        self.cell(0, 8, f"Page {self.page_no()} of 3")


def _make_pdf(path: Path, pages: list[list[str]], pdf: FPDF | None = None) -> Path:
    pdf = pdf or FPDF()
    pdf.set_title("Liaoning FTZ Report")
    for lines in pages:
        pdf.add_page()
        pdf.set_font("Helvetica", size=12)
        for line in lines:
            pdf.cell(0, 10, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def test_pdf_pages_drop_running_header_footer(tmp_path: Path) -> None:
    bodies = [
        ["Chapter one opens the zone.", "Shenyang area details."],
        ["Dalian area has 59.96 square kilometres.", "Yingkou area details."],
        ["Conclusions of the report.", "42"],
    ]
    docs = load_document(_make_pdf(tmp_path / "report.pdf", bodies, _ReportPdf()))
    assert [d.metadata["page"] for d in docs] == [1, 2, 3]
    assert {d.metadata["format"] for d in docs} == {"pdf"}
    assert {d.metadata["title"] for d in docs} == {"Liaoning FTZ Report"}
    assert [d.page_content for d in docs] == [  # the lines of a paragraph joined
        "Chapter one opens the zone. Shenyang area details.",
        "Dalian area has 59.96 square kilometres. Yingkou area details.",
        "Conclusions of the report.",  # the bare "42" at the page bottom reads as a page number
    ]


def test_pdf_two_pages_identical_header_and_title_from_first_line(tmp_path: Path) -> None:
    pdf = FPDF()
    for number, body in enumerate(["Opening up measures.", "Customs measures."], start=1):
        pdf.add_page()
        pdf.set_font("Helvetica", size=12)
        lines = ["Internal draft", body, "Repeated mid-page line.", f"Closing {number}."]
        for line in [*lines, f"- {number} -"]:
            pdf.cell(0, 10, line, new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "two.pdf"
    pdf.output(str(path))
    docs = load_document(path)
    assert [d.page_content for d in docs] == [
        "Opening up measures. Repeated mid-page line. Closing 1.",
        "Customs measures. Repeated mid-page line. Closing 2.",
    ]
    assert docs[0].metadata["title"] == "Opening up measures."


def test_pdf_without_text_is_rejected(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(10, 10, 50, 50, style="F")  # a "scan": graphics only
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    assert _reason(path) == "no text found"


def test_pdf_with_user_password_is_rejected(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    path = _make_pdf(tmp_path / "locked.pdf", [["Secret text."]], pdf)
    assert "encrypted PDF" in _reason(path)


def test_pdf_with_owner_password_only_is_read(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.set_encryption(owner_password="owner")
    path = _make_pdf(tmp_path / "restricted.pdf", [["Readable text."]], pdf)
    assert [d.page_content for d in load_document(path)] == ["Readable text."]


def test_pdf_page_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _make_pdf(tmp_path / "big.pdf", [["a"], ["b"], ["c"]])
    monkeypatch.setattr(loaders, "MAX_PDF_PAGES", 2)
    assert _reason(path) == "too many pages (3; limit 2)"


def test_corrupt_pdf(tmp_path: Path) -> None:
    path = _write(tmp_path / "broken.pdf", bytes(range(256)) * 8)
    assert _reason(path).startswith("not a valid PDF file")
    truncated = _make_pdf(tmp_path / "cut.pdf", [["Some text"]])
    truncated.write_bytes(truncated.read_bytes()[:200])
    assert _reason(truncated).startswith("not a valid PDF file")


# ---------------------------------------------------------------- docx


def _make_docx(path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("Hainan Free Trade Port", style="Title")
    document.add_heading("Overview", level=1)
    document.add_paragraph("Zero tariffs apply to listed goods.")
    document.add_paragraph("Duty-free shopping", style="List Bullet")
    document.add_paragraph("Tax cap of 15%", style="List Number")
    table = document.add_table(rows=2, cols=2)
    for row, cells in zip(table.rows, [("Tax", "Rate"), ("Corporate", "15%")], strict=True):
        for cell, value in zip(row.cells, cells, strict=True):
            cell.text = value
    document.add_heading("Timeline", level=2)
    document.add_paragraph("Island-wide customs closure by 2025.")
    document.save(str(path))
    return path


def test_docx_keeps_order_and_structure(tmp_path: Path) -> None:
    (doc,) = load_document(_make_docx(tmp_path / "hainan.docx"))
    assert doc.page_content == (
        "# Hainan Free Trade Port\n\n# Overview\n\nZero tariffs apply to listed goods.\n\n"
        "- Duty-free shopping\n- Tax cap of 15%\n\n- Tax: Corporate; Rate: 15%.\n\n"
        "## Timeline\n\nIsland-wide customs closure by 2025."
    )
    assert doc.metadata["title"] == "Hainan Free Trade Port"
    assert doc.metadata["format"] == "docx" and doc.metadata["page"] is None
    assert doc.metadata["publisher"] == "" and doc.metadata["date"] == ""


def test_docx_content_controls_and_custom_heading_style(tmp_path: Path) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import OxmlElement

    document = docx.Document()
    custom = document.styles.add_style("Report Heading", WD_STYLE_TYPE.PARAGRAPH)
    custom.base_style = document.styles["Heading 2"]
    document.add_paragraph("Custom styled heading", style="Report Heading")
    wrapped = document.add_paragraph("Inside a content control")
    sdt, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
    wrapped._p.addprevious(sdt)
    sdt.append(content)
    content.append(wrapped._p)
    document.add_paragraph("After the control")
    path = tmp_path / "controls.docx"
    document.save(str(path))
    (doc,) = load_document(path)
    assert doc.page_content == (
        "## Custom styled heading\n\nInside a content control\n\nAfter the control"
    )
    assert doc.metadata["title"] == "Custom styled heading"


def test_docx_title_prefers_core_properties(tmp_path: Path) -> None:
    path = _make_docx(tmp_path / "props.docx")
    document = docx.Document(str(path))
    document.core_properties.title = "Official Title"
    document.save(str(path))
    assert load_document(path)[0].metadata["title"] == "Official Title"


def test_empty_docx(tmp_path: Path) -> None:
    path = tmp_path / "empty.docx"
    docx.Document().save(str(path))
    assert _reason(path) == "no text found"


def test_docx_zip_bomb(tmp_path: Path) -> None:
    path = _make_docx(tmp_path / "bomb.docx")
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/padding.bin", b"\0" * (4 * 1024 * 1024))
    assert _reason(path) == "file expands too much when unzipped"


@pytest.mark.parametrize(
    ("content", "start"),
    [
        (b"PK\x03\x04 this is not really a zip", "not a valid DOCX file"),
        (b"plain text pretending", "not a valid DOCX file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "not a valid DOCX file: looks like"),
    ],
)
def test_corrupt_docx(tmp_path: Path, content: bytes, start: str) -> None:
    assert _reason(_write(tmp_path / "bad.docx", content)).startswith(start)


def test_zip_without_document_part(tmp_path: Path) -> None:
    path = tmp_path / "other.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert _reason(path).startswith("not a valid DOCX file")


# ---------------------------------------------------------------- bad inputs

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256))


@pytest.mark.parametrize("name", ["image.md", "image.txt", "image.html"])
def test_binary_renamed_as_text(tmp_path: Path, name: str) -> None:
    reason = _reason(_write(tmp_path / name, PNG))
    assert reason == "binary content, not text (looks like a PNG image)"


def test_binary_without_nul_bytes(tmp_path: Path) -> None:
    noise = bytes(b for b in range(1, 32) if b not in (9, 10, 12, 13)) * 40
    assert _reason(_write(tmp_path / "noise.txt", noise)).startswith("binary content, not text")


def test_zip_renamed_as_markdown(tmp_path: Path) -> None:
    path = _make_docx(tmp_path / "doc.docx").rename(tmp_path / "doc.md")
    assert _reason(path) == "binary content, not text (looks like a ZIP archive)"


@pytest.mark.parametrize("content", [b"", b"   \n\n\t "])
def test_empty_text(tmp_path: Path, content: bytes) -> None:
    assert _reason(_write(tmp_path / "empty.txt", content)) == "empty file"


def test_unsupported_suffix(tmp_path: Path) -> None:
    reason = _reason(_write(tmp_path / "data.xyz", "hello"))
    assert reason == "unsupported file type '.xyz' (supported: .md, .txt, .html, .pdf, .docx)"


def test_missing_file(tmp_path: Path) -> None:
    assert _reason(tmp_path / "gone.pdf") == "file not found"


def test_directory_is_not_a_file(tmp_path: Path) -> None:
    folder = tmp_path / "folder.md"
    folder.mkdir()
    assert _reason(folder) == "not a regular file"


def test_library_errors_are_wrapped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(_path: Path, _data: bytes) -> list:
        raise RuntimeError("boom")

    monkeypatch.setitem(loaders._LOADERS, ".txt", explode)
    assert _reason(_write(tmp_path / "x.txt", "hi")) == "could not read file: boom"


# ---------------------------------------------------------------- bundled corpus


@pytest.mark.skipif(not DOCS_DIR.is_dir(), reason="no docs folder")
def test_bundled_markdown_corpus_loads() -> None:
    paths = sorted(p for p in DOCS_DIR.glob("*.md") if p.name != "SOURCES.md")
    assert paths
    for path in paths:
        (doc,) = load_document(path)
        meta = doc.metadata
        assert meta["source"] == path.name and meta["title"]
        assert meta["url"] == "" or meta["url"].startswith(("http://", "https://"))
        assert all(isinstance(meta[k], str) for k in META_KEYS - {"page"})
        assert "**" not in doc.page_content and not doc.page_content.startswith("---")


def test_pdf_layout_headings_paragraphs_bullets_and_tables(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.set_title("Wuhu Park Briefing")
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=16)
    pdf.cell(0, 10, "Wuhu Park Briefing", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", style="B", size=12)
    pdf.cell(0, 10, "1. The park in brief", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    pdf.multi_cell(0, 5, "The park was approved in 2020 and covers 35 square kilometres along "
                   "the river, where shipping, robotics and home appliance makers have settled "
                   "in large numbers since the first plots were offered to investors.",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for item in ("- Robotics: 120 firms", "- Shipping: 40 firms"):
        pdf.cell(0, 6, item, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    with pdf.table() as table:
        for row in (("Block", "Size (sq km)"), ("North", "20"), ("South", "15")):
            cells = table.row()
            for value in row:
                cells.cell(value)
    path = tmp_path / "brief.pdf"
    pdf.output(str(path))
    (page,) = load_document(path)
    blocks = page.page_content.split("\n\n")
    assert blocks[0] == "# Wuhu Park Briefing"
    assert blocks[1] == "## 1. The park in brief"
    assert blocks[2].startswith("The park was approved in 2020 and covers 35 square kilometres")
    assert "\n" not in blocks[2]  # a wrapped paragraph is one line again
    assert "- Robotics: 120 firms" in page.page_content
    assert "- Block: North; Size (sq km): 20.\n- Block: South; Size (sq km): 15." in blocks


def test_pdf_sentence_cut_by_a_page_break_stays_whole(tmp_path: Path) -> None:
    bodies = [["The kiln park opened in 2021.", "Its tile output rose from 2,500 units"],
              ["in 2022 to 9,100 units in 2024.", "- Exports doubled.", "- Imports fell."]]
    docs = load_document(_make_pdf(tmp_path / "cut.pdf", bodies))
    assert [d.page_content for d in docs] == [
        "The kiln park opened in 2021. Its tile output rose from 2,500 units in 2022 to 9,100 "
        "units in 2024.",
        "- Exports doubled.\n\n- Imports fell."]


def test_html_photo_captions_are_not_text(tmp_path: Path) -> None:
    # class: a <figcaption> ("Photo taken on ... shows ...") indexed as the article's text
    page = ("<html><body><article><h1>Trains</h1><figure><img src='t.jpg'><figcaption>A train "
            "waits at Reed Station. CAPTION_JUNK</figcaption></figure><p>The Reed Area handled "
            "5,000 trains.</p></article></body></html>")
    (doc,) = load_document(_write(tmp_path / "trains.html", page))
    assert "CAPTION_JUNK" not in doc.page_content
    assert "The Reed Area handled 5,000 trains." in doc.page_content
