"""Page furniture out of document text, and table rows that name their columns (invented pages)."""

from __future__ import annotations

from assistant.ingest.cleaning import clean_text, table_lines

PAGE = """Source: https://news.example.cn/2024/06/harbour.html
Home > Regional > Zhejiang > Free Trade Zone
# Harbour trade rises in the Ningbo Area
By Web Desk | Example Daily | Updated: 2024-06-12 09:31
NINGBO, June 11 (Xinhua) -- The Ningbo Area handled 30 million containers in 2023.
A container terminal at dawn. [Photo/Xinhua]
Workers load a ship at the port. (Photo: Example Daily)
Exports grew by 8 percent.
Related stories
- Another port story
- A third story
Editor: LXY
Share this article:
Copyright 2024 Example Daily. All rights reserved."""


def test_page_furniture_is_taken_out_and_what_it_says_kept() -> None:
    # captions end with a photo credit: the whole line goes
    text, info = clean_text(PAGE)
    assert text.splitlines() == [
        "# Harbour trade rises in the Ningbo Area",
        "The Ningbo Area handled 30 million containers in 2023.",
        "Exports grew by 8 percent.",
    ]
    assert info.url == "https://news.example.cn/2024/06/harbour.html"
    assert info.date == "2024-06-12"
    assert info.dateline.startswith("NINGBO, June 11 (Xinhua)")


def test_a_sentence_that_mentions_a_source_or_an_editor_stays() -> None:
    prose = ("The source of the figures is the customs office, which reported 5 cases.\n"
             "The editor of the yearbook, Ms Li, said trade rose by 3 percent in 2022.")
    assert clean_text(prose)[0] == prose


def test_a_capitalised_opening_without_date_or_agency_is_no_dateline() -> None:
    line = "NOTE - the figures are provisional."
    assert clean_text(line)[0] == line


def test_a_place_in_capitals_before_a_long_dash_is_a_dateline() -> None:
    text, info = clean_text("REEDTOWN -- Trucks now pass the kiln gate in 40 seconds.")
    assert (text, info.dateline) == ("Trucks now pass the kiln gate in 40 seconds.", "REEDTOWN")
    label = "UPDATE -- the kiln figures were revised."
    assert clean_text(label)[0] == label


def test_table_rows_name_their_columns_when_the_first_row_is_a_header() -> None:
    rows = [["Area", "Size (sq km)", "Focus"], ["Nanning Area", "46.8", "Finance"],
            ["Total", "119.99", ""]]
    assert table_lines(rows) == ["- Area: Nanning Area; Size (sq km): 46.8; Focus: Finance.",
                                 "- Area: Total; Size (sq km): 119.99."]


def test_a_table_written_as_text_rows_names_its_columns() -> None:
    page = ("Kiln results.\nIndicator | 2021 | H1 2022\nKiln exports (bn yuan) | 154 | 95.9\n"
            "New kiln firms | - | 7,674\nBriefing note  |  May 2022")
    assert clean_text(page)[0].splitlines() == [
        "Kiln results.",
        "- Indicator: Kiln exports (bn yuan); 2021: 154; H1 2022: 95.9.",
        "- Indicator: New kiln firms; H1 2022: 7,674.",
        "Briefing note  |  May 2022"]  # a single line of cells is left as it is


def test_a_table_without_a_header_keeps_its_cells_joined() -> None:
    rows = [["Nanning Area", "46.8"], ["Chongzuo Area", "15"]]
    assert table_lines(rows) == ["Nanning Area | 46.8", "Chongzuo Area | 15"]
    assert table_lines([["Area", "Size"], ["Nanning", "46.8"]], header=False) == [
        "Area | Size", "Nanning | 46.8"]


def test_a_time_line_with_labels_after_its_date_keeps_the_date_alone() -> None:
    # class: "Published: 2025 | Special report | Region" filed whole as the document's date
    text, info = clean_text("Published: 2025 | Special report | River Delta\n\n"
                            "The Reed Area grew fast in 2024.")
    assert info.date == "2025" and text == "The Reed Area grew fast in 2024."


def test_a_photo_caption_line_is_furniture() -> None:
    # class: "Photo taken on <date> shows ..." captions indexed as the article's sentences
    text, _ = clean_text("Aerial photo taken on May 2, 2021 shows a freight train at Reed "
                         "Station. (Xinhua/Li Wei)\n\nThe Reed Area handled 5,000 trains.")
    assert text == "The Reed Area handled 5,000 trains."
