"""The Chinese answer line: for a Chinese question, one short Chinese sentence that states the
figure the cited English passage gives, before the quoted evidence. The number stays exactly
as the source writes it; the unit is put in Chinese only where it has one fixed rendering
("square kilometres" 平方公里, "per cent" %). Any other figure (a date, "1.2 billion yuan",
"US$ 5 million") is given as written: nothing is converted, so nothing can be miscounted."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.figures import YEAR, Figure

# English unit words (lower case) -> their one Chinese rendering
UNITS = {
    "square kilometres": "平方公里", "square kilometers": "平方公里", "sq km": "平方公里",
    "sq. km": "平方公里", "km2": "平方公里", "km²": "平方公里", "square metres": "平方米",
    "square meters": "平方米", "per cent": "%", "percent": "%", "%": "%",
    "percentage points": "个百分点", "percentage point": "个百分点",
    "working days": "个工作日", "days": "天", "hours": "小时", "minutes": "分钟",
    "seconds": "秒", "years": "年", "months": "个月", "weeks": "周", "yuan": "元",
    "us dollars": "美元", "tonnes": "吨", "tons": "吨", "teu": "标准箱",
    "enterprises": "家企业", "companies": "家企业", "firms": "家企业", "measures": "项措施",
    "cases": "个案例", "projects": "个项目",
}
NUMBER_AND_UNIT = re.compile(r"(?P<number>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>[^\d]*?)[.,;]?")
LINE = "答：{}。"


def answer_line(figures: Sequence[Figure]) -> str:
    """"答：59.96平方公里。" for the figure "59.96 square kilometres" ("答：X；Y。" for the
    figures of a question's two parts); "" without a figure, or when the first is in words
    ("three", "a third": the evidence says it better). Figures in words after the first are
    left to the evidence."""
    if not figures or not re.search(r"\d", figures[0].text):
        return ""
    stated = dict.fromkeys(in_chinese(f.text) for f in figures if re.search(r"\d", f.text))
    return LINE.format("；".join(stated))


def in_chinese(text: str) -> str:
    """A figure with its unit in Chinese where the unit has one rendering, a year with 年;
    any other figure as written."""
    text = " ".join(text.split())
    if YEAR.fullmatch(text):
        return f"{text}年"
    match = NUMBER_AND_UNIT.fullmatch(text)
    if match and match["unit"].lower() in UNITS:
        return match["number"] + UNITS[match["unit"].lower()]
    return text
