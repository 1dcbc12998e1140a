"""The interface's own words in English and Chinese (Gradio's I18n): the browser's language
chooses, and Gradio's Settings panel (footer) switches. Document text, answers and the
figures are never translated here."""

from __future__ import annotations

import gradio as gr

ENGLISH = {
    "header": ("<header class=\"ftz-header\"><h1>FTZ Assistant</h1><p>Answers about China's "
               "Pilot Free Trade Zones, quoted from the indexed documents, with every sentence "
               "cited.</p></header>"),
    "language": "中文 / English",
    "tab.ask": "Ask",
    "tab.library": "Library",
    "tab.finder": "Policy finder",
    "tab.statistics": "Statistics",
    "ask.conversation": "Conversation",
    "ask.placeholder": ("Ask about measures, figures or policies of the pilot free trade zones. "
                        "Follow-up questions are welcome."),
    "ask.question": "Your question",
    "ask.type": "Type a question and press Enter",
    "ask.send": "Ask",
    "ask.to_finder": "Find measures that fit you in the Policy finder →",
    "ask.clear": "Clear conversation",
    "ask.examples": "**Try an example**",
    "finder.intro": ("Tell us about your enterprise and see which measures of the pilot free "
                     "trade zones apply to it, each with the sentence it comes from."),
    "finder.profile": "Your enterprise",
    "finder.placeholder": ("We import frozen seafood through Dalian and need health "
                           "certificates quickly"),
    "finder.zone": "Zone (optional)",
    "finder.sector": "Sector (optional)",
    "finder.find": "Find measures",
    "finder.examples": "**Examples**",
    "facts.intro": ("Every figure found in the indexed documents, exactly as written: what it "
                    "measures, the place and the period it is about, other figures the "
                    "documents give for the same, and the documents that state it. Filter by "
                    "place (a zone takes in its areas), quantity, period, unit or any text; "
                    "choose a row to read its sentence in its passage."),
    "facts.place": "Place",
    "facts.quantity": "Quantity",
    "facts.period": "Period",
    "facts.unit": "Unit",
    "facts.contains": "Contains",
    "facts.contains_hint": "e.g. foreign trade, hours, 2024",
    "facts.csv": "Download CSV",
    "facts.json": "Download JSON",
    "facts.over_time": "Over the years",
    "facts.areas": "Areas (km²)",
    "facts.chart_note": ("The chart compares like with like, one bar per place: the zones' "
                         "areas (km²), or choose a zone above to compare its areas. Zones "
                         "larger than 1,000 km² (Hainan's whole island) and the land of "
                         "provinces and cities stay in the table. Choose a place and a quantity "
                         "to see it over the years."),
    "library.intro": ("The documents the assistant answers from. Staff sign in below to add, "
                      "update, re-index or remove documents."),
    "library.readonly": ("**Read-only.** Changes are switched off because no staff password is "
                         "set. Start the app with `FTZ_ADMIN_PASSWORD=...` to enable uploads "
                         "and removals."),
    "library.sign_in_panel": "Staff sign-in",
    "library.password": "Staff password",
    "library.sign_in": "Sign in",
    "library.sign_out": "Sign out",
    "library.who": "Your name (for the change log)",
    "library.upload": "Add or update documents (.md .txt .html .pdf .docx)",
    "library.upload_button": "Upload and index",
    "library.documents": "Documents",
    "library.remove": "Remove selected…",
    "library.reindex": "Re-index selected…",
    "library.reindex_all": "Re-index all…",
    "library.cancel": "Cancel",
    "library.confirm.remove": "Remove",
    "library.confirm.reindex": "Re-index",
    "library.undo": "Undo the removal",
}

CHINESE = {
    "header": ("<header class=\"ftz-header\"><h1>自贸区助手</h1><p>回答有关中国自由贸易试验区的"
               "问题：答案引自已收录的文件，每句都注明出处。</p></header>"),
    "language": "中文 / English",
    "tab.ask": "提问",
    "tab.library": "文件库",
    "tab.finder": "政策查找",
    "tab.statistics": "统计数据",
    "ask.conversation": "对话",
    "ask.placeholder": "可询问自贸试验区的措施、数据或政策，也可以继续追问。",
    "ask.question": "您的问题",
    "ask.type": "输入问题后按回车",
    "ask.send": "提问",
    "ask.to_finder": "在政策查找中寻找适合您的措施 →",
    "ask.clear": "清空对话",
    "ask.examples": "**试试这些例子**",
    "finder.intro": "介绍一下您的企业，看看自贸试验区的哪些措施适用于您，每项措施都附有原文句子。",
    "finder.profile": "您的企业",
    "finder.placeholder": "我们是一家经大连进口冷冻海鲜的企业，需要尽快取得卫生证书",
    "finder.zone": "自贸试验区（可选）",
    "finder.sector": "行业（可选）",
    "finder.find": "查找措施",
    "finder.examples": "**例子**",
    "facts.intro": ("已收录文件中的每个数据，均与原文一致：衡量的对象、所指的地点和时期、其他文"
                    "件就同一"
                    "事项给出的数据，以及出处文件。可按地点（自贸试验区包括其片区）、指标、时期"
                    "、单位"
                    "或任意文字筛选；选中一行即可在原文段落中查看该句。"),
    "facts.place": "地点",
    "facts.quantity": "指标",
    "facts.period": "时期",
    "facts.unit": "单位",
    "facts.contains": "包含文字",
    "facts.contains_hint": "例如 foreign trade、hours、2024",
    "facts.csv": "下载 CSV",
    "facts.json": "下载 JSON",
    "facts.over_time": "历年变化",
    "facts.areas": "面积（平方公里）",
    "facts.chart_note": ("图表只比较同类数据，每个地点一根柱：各自贸试验区的面积（平方公里），"
                         "或在上方选择"
                         "一个自贸试验区以比较其各片区。面积超过 1,000 平方公里的（海南全岛）以"
                         "及省、市的"
                         "土地面积只列在表中。选择地点和指标即可查看历年变化。"),
    "library.intro": "助手据以回答的文件。工作人员可在下方登录，以添加、更新、重建索引或删除文件。",
    "library.readonly": ("**只读。** 由于未设置工作人员密码，修改功能已关闭。以 "
                         "`FTZ_ADMIN_PASSWORD=...` 启动应用即可启用上传和删除。"),
    "library.sign_in_panel": "工作人员登录",
    "library.password": "工作人员密码",
    "library.sign_in": "登录",
    "library.sign_out": "退出登录",
    "library.who": "您的姓名（记入变更日志）",
    "library.upload": "添加或更新文件（.md .txt .html .pdf .docx）",
    "library.upload_button": "上传并建立索引",
    "library.documents": "文件",
    "library.remove": "删除所选…",
    "library.reindex": "重建所选索引…",
    "library.reindex_all": "全部重建索引…",
    "library.cancel": "取消",
    "library.confirm.remove": "删除",
    "library.confirm.reindex": "重建索引",
    "library.undo": "撤销删除",
}

# (a browser set to "zh-CN", "zh-TW" and the like gets "zh")
I18N = gr.I18n(en=ENGLISH, zh=CHINESE)


def t(key: str) -> gr.I18nData:
    """The interface text `key`, shown in the page's language."""
    if key not in ENGLISH:
        raise KeyError(f"no interface text {key!r}")
    return I18N(key)


def both(english: str, chinese: str) -> str:
    """Server-made text (HTML, already escaped) in both languages: the page shows the one of
    its language (style.css, by the `lang` Gradio sets on the page), so the switch changes
    it at once without asking the server."""
    return f'<span class="ftz-en">{english}</span><span class="ftz-zh" lang="zh">{chinese}</span>'
