"""Title, date, source and author from the header lines of a plain-text report."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from junheng.crawler.extract.credits import edge_spans, labelled_author, unlabelled_source
from junheng.nlp.places import ISSUER

CJK = re.compile(r"[\u3400-\u9fff]")
DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?!\d)")
# labels in simplified or traditional characters (來源, 發布時間, 記者)
LABELLED_DATE = re.compile(r"(?:[时時][间間]|日期|[发發]布|[发發]表|更新)\s*[:：]?\s*")
TITLE_FIELD = re.compile(r"^\s*[标標][题題]\s*[:：]\s*(.+?)\s*(?:\[打印本页\]|【打印】)?\s*$")
SOURCE_FIELD = re.compile(
    r"(?:信息|文章|新闻|稿件)?[来來]源\s*[:：]\s*([^\s:：|]{2,30}?)"
    r"(?=\s|$|[责責]任|[编編][辑輯]|作者|[时時][间間]|[浏瀏][览覽]|我要)"
)
AUTHOR_FIELD = re.compile(
    r"(?:作者|[记記]者|通[讯訊][员員])\s*[:：]\s*([^\s:：|]{1,30}?)"
    r"(?=\s|$|[时時][间間]|[来來]源|[发發]布|[浏瀏][览覽])"
)
SENT_END = re.compile(r"[。；;!?！？]$")
META_FIELD = re.compile(
    r"(?:[来來]源|作者|[记記]者|通[讯訊][员員]|[时時][间間]|日期|[编編][辑輯])\s*[:：]"
)
# an interview's line (记者：下一步有什么打算？), not a byline (记者：李敏)
QUESTION = re.compile(r"^\s*(?:记者|記者|主持人|问|問)\s*[:：](?![\u4e00-\u9fff·]{2,4}(?:\s|$))")
PROMO_LINE = re.compile(r"点击蓝字|关注我们|长按识别|扫码关注|识别二维码|点击上方")
# a site's breadcrumb (首页 > 政务资讯 > 教育动态, 当前位置：…), never a headline
BREADCRUMB = re.compile(
    r"^(?:网站)?(?:首页|主页)(?:\s|[>＞»›/|]|$)|^(?:您)?(?:当前|现在|所在)的?(?:位置|页面)|^您的位置|"
    r"[>＞»›]\s*[^>＞»›]{1,12}\s*[>＞»›]|[>＞»›]{2}"
)
# search-engine spam titles: a gambling brand with 官网/APP下载/平台… or the brand repeated
SEO_WORDS = re.compile(r"官网|官方网站|APP|下载|平台|入口|网址|注册|登录", re.I)
HEADER_LINES = 8


@dataclass(frozen=True, slots=True)
class TextHeader:
    title: str | None
    published: str | None
    source: str | None
    author: str | None


def normalise_date(text: str) -> str | None:
    """The first plausible ``YYYY-MM-DD`` date in ``text``."""
    for m in DATE.finditer(text):
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if 1 <= mo <= 12 and 1 <= d <= 31:
            return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def parse_header(text: str) -> TextHeader:
    """Read the first lines: a ``标题:`` field or the first headline-like line, the first
    labelled or standalone date, and ``来源:`` / ``作者:`` fields."""
    every = [ln.strip() for ln in text.split("\n") if ln.strip()]
    lines = every[:HEADER_LINES]
    title = None
    for line in lines:
        m = TITLE_FIELD.match(line)
        if m:
            title = m.group(1)
            break
    if title is None:
        for line in lines:
            if (
                len(CJK.findall(line)) >= 8
                and len(line) <= 80
                and not SENT_END.search(line)
                and not PROMO_LINE.search(line)
                and not META_FIELD.search(line)
                and not BREADCRUMB.search(line)
                and not _seo_spam(line)
            ):
                title = _strip_symbols(line)
                break
    published = source = author = None
    for line in lines:
        if published is None and (LABELLED_DATE.search(line) or len(line) <= 60):
            published = normalise_date(line)
        if source is None and (m := SOURCE_FIELD.search(line)):
            source = m.group(1)
    if source is None:  # a name beside the date: 内蒙古自治区教育厅　2023-12-18
        for line in lines:
            if line != title and len(line) <= 60 and normalise_date(line):
                source = unlabelled_source(line, title)
                if source:
                    break
    # 作者：/记者 labels and bylines (记者 李明, 文/王五, (通讯员 邓小伟 杨涯珍)), else a bare field
    # (the header lines and the last lines, where reports put 记者 李敏 通讯员 王晨; a long line
    # opening with 记者： is an interview question, not a byline)
    spans = [
        t
        for line in [*lines, *every[-3:]]
        if line != title and not QUESTION.match(line)
        for t in edge_spans(line, len(line))
    ]
    author = labelled_author(spans)
    if author is None:
        author = next(
            (m.group(1) for ln in lines if len(ln) <= 60 and (m := AUTHOR_FIELD.search(ln))),
            None,
        )
    # a report signed at its end: 互助土族自治县教育局 / 2023年12月20日
    for k in range(len(every) - 1, max(len(every) - 4, 0), -1):
        if len(every[k]) <= 16 and (date := normalise_date(every[k])):
            published = published or date
            issuer = every[k - 1]
            if source is None and len(issuer) <= 30 and ISSUER.search(issuer):
                source = issuer
            break
    return TextHeader(title, published, source, author)


@functools.cache
def _spam_terms() -> tuple[str, ...]:
    from junheng.nlp.clean import load_spam_terms

    return tuple(load_spam_terms())


def _seo_spam(line: str) -> bool:
    """A spam page title: a spam term beside 官网/APP/下载…, or one name repeated (甲-甲APP-甲)."""
    if any(t in line for t in _spam_terms()) and SEO_WORDS.search(line):
        return True
    names = re.findall(r"[\u4e00-\u9fff]{3,}", line)
    return any(names.count(n) >= 2 for n in set(names)) and bool(SEO_WORDS.search(line))


def _strip_symbols(line: str) -> str:
    """The line without emoji and pictographs at its ends (🔥标题💪)."""
    chars = list(line)
    while chars and unicodedata.category(chars[0]) in ("So", "Sk", "Cf", "Zs"):
        chars.pop(0)
    while chars and unicodedata.category(chars[-1]) in ("So", "Sk", "Cf", "Zs"):
        chars.pop()
    return "".join(chars).strip()
