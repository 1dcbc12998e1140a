"""Rendering answers for the page: untrusted document text stays inert, markers link sources."""

from __future__ import annotations

from assistant.contract import Answer, Citation
from assistant.ui.render import answer_markdown, evidence_panel, safe, sources_html
from tests.conftest import as_english

HOSTILE = ('Area <script>alert(1)</script> covers 5 km² <img src=x onerror="x()"> '
           "[link](javascript:x)")


def _citation(n: int = 1, snippet: str = HOSTILE, url: str | None = "https://example.org/a"):
    return Citation(n=n, source="evil.md", title="<b>Title</b>", section="Size", page=None,
                    snippet=snippet, url=url, zone="Test Zone", date="unknown",
                    passage=f"Intro line. {snippet} Closing line.")


def test_safe_escapes_html_and_markdown() -> None:
    text = safe(HOSTILE)
    assert "<script>" not in text and "<img" not in text
    assert "&lt;script&gt;" in text
    assert "\\[link\\]\\(javascript:x\\)" in text


def test_answer_markers_become_links_and_document_text_is_escaped() -> None:
    answer = Answer("q", f"{HOSTILE} [1] Second [2020] sentence. [2]", True,
                    [_citation(1), _citation(2)])
    rendered = answer_markdown(answer)
    assert '<a href="#ftz-source-1-1" class="ftz-marker">[1]</a>' in rendered
    assert '<a href="#ftz-source-1-2" class="ftz-marker">[2]</a>' in rendered
    assert "ftz-source-2020" not in rendered
    assert "<script>" not in rendered and "<img" not in rendered


def test_refusal_is_marked_and_shows_related_passages_labelled() -> None:
    refusal = Answer("q", "The indexed documents do not answer this question.", False, [],
                     related=[_citation()])
    assert as_english(answer_markdown(refusal)).startswith("⚠️ Not in the documents.")
    assert "文件中没有答案" in answer_markdown(refusal)  # (shown on a Chinese page instead)
    panel = sources_html(refusal)
    assert "not an answer" in panel and "ftz-refusal" in panel
    assert "<script>" not in panel


def test_source_cards_highlight_the_snippet_inside_its_passage_and_link_out() -> None:
    answer = Answer("q", "x [1]", True, [_citation(snippet="Plain 5 km² sentence.")])
    panel = sources_html(answer)
    assert "<mark>Plain 5 km² sentence.</mark>" in panel
    assert "Intro line." in panel
    assert 'href="https://example.org/a"' in panel
    assert "&lt;b&gt;Title&lt;/b&gt;" in panel
    assert "unknown" not in panel


def test_only_web_links_are_linked() -> None:
    answer = Answer("q", "x [1]", True, [_citation(snippet="Plain.", url="javascript:alert(1)")])
    panel = sources_html(answer)
    assert "javascript:" not in panel and "Open the original" not in panel


def test_a_refusal_gives_its_reason_escaped() -> None:
    refusal = Answer("q", "The indexed documents do not answer this question.", False, [],
                     reason="The documents give this for <Hefei>, not for Wuhu.")
    rendered = answer_markdown(refusal)
    assert "give this for &lt;Hefei&gt;, not for Wuhu" in rendered.replace("\\", "")


def test_each_answer_s_markers_open_its_own_cards() -> None:
    # class: every answer linked [1] to one anchor, so [1] under an earlier answer opened the
    # newest answer's passage
    first = Answer("q1", "Xiamen covers 43.78 sq km. [1]", True, [_citation(snippet="A.")])
    second = Answer("q2", "Dalian covers 59.96 sq km. [1]", True, [_citation(snippet="B.")])
    assert 'href="#ftz-source-2-1"' in answer_markdown(second, 2)
    panels = [sources_html(first, 1, "How big is Xiamen?"),
              sources_html(second, 2, "And Dalian?")]
    assert 'id="ftz-source-1-1"' in panels[0] and 'id="ftz-source-2-1"' in panels[1]
    shown = evidence_panel(panels)
    assert shown.index("Sources of answer 2") < shown.index("Sources of answer 1")
    assert "How big is Xiamen?" in shown
    assert "Sources of the answer appear here" in evidence_panel([])


def test_apostrophes_are_text_not_entities() -> None:
    # class: "&#x27;" shown in place of an apostrophe in questions and answers
    assert safe("the zone's area") == "the zone's area"
    assert "&#x27;" not in answer_markdown(Answer("q", "Dalian's area is 59.96 sq km. [1]",
                                                  True, [_citation()]))


def test_a_figure_answer_states_the_figure_first_in_bold_then_quotes_its_evidence() -> None:
    # class: the figure asked for was not visible at a glance inside a raw quoted fragment
    said = "Ships: firms save over 3,000 hours yearly. [1] Boats <b>wait</b> less. [2]"
    answer = Answer("q", said, True, [_citation(1), _citation(2)], lead="over 3,000 <i>hours</i>")
    lines = answer_markdown(answer, 3).split("\n")
    assert lines[0] == ("**over 3,000 &lt;i&gt;hours&lt;/i&gt;**"
                        ' <a href="#ftz-source-3-1" class="ftz-marker">[1]</a>')
    quoted = [line for line in lines[1:] if line.startswith("> ") and len(line) > 2]
    assert len(quoted) == 2 and quoted[0].startswith("> Ships: firms save over 3,000 hours")
    assert "&lt;b&gt;wait&lt;/b&gt;" in quoted[1] and quoted[1].endswith("[2]</a>")
    plain = answer_markdown(Answer("q", "Nansha: shipping. [1] Qianhai: finance. [2]", True,
                                   [_citation(1), _citation(2)]))
    assert plain.split("\n\n")[0].startswith("Nansha: shipping\\.") and "**" not in plain


def test_a_chinese_answer_states_its_line_first_in_bold_then_the_english_evidence() -> None:
    line = "答：46.5平方公里。"
    said = f"{line}根据英文原文：The area covers 46.5 square kilometres. [1]"
    answer = Answer("面积？", said, True, [_citation(1)], lead="46.5 square kilometres",
                    line=line)
    lines = answer_markdown(answer).split("\n")
    assert lines[0].startswith(f"**{safe(line)}**") and "[1]</a>" in lines[0]
    quoted = [text for text in lines[1:] if text.startswith("> ")]
    assert len(quoted) == 1 and quoted[0].startswith(
        "> " + safe("根据英文原文：The area covers 46.5 square kilometres."))
