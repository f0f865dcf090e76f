"""Boilerplate in plain report text: site chrome, metadata lines, sidebars, copyright, OCR garbage.

Works on the lines and sentences of one document and returns, per sentence, the reason it is
boilerplate (``None`` for article text). Rules look at the form of lines (bullets, teasers cut
with "...", labelled fields, short brand lines) and at blocks of them, not at topics.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from junheng.nlp.sentences import SentenceSpan

CJK = re.compile(r"[\u3400-\u9fff]")
BULLET = re.compile(r"^\s*[•·●◆◇■□▪▫►▶▷○★☆※◎\-–—>»]\s*\S")
DATETIME = re.compile(
    r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"
)
FIELD = re.compile(
    r"(?:^|[\s•|【\[(（]|(?<=\d))(?:发布|发表|更新|上传)?(?:时间|日期)\s*[:：]|"
    r"(?:信息|文章|新闻|稿件)?来源\s*[:：]|(?:^|[\s(（【\[])(?:原?作者|记者|通讯员|供稿|稿源|发布者|发布人|"
    r"审核|校对|摄影|(?:责任)?编辑|责编)\s*[:：]|(?:浏览|阅读|点击|访问)(?:次数|量|数)?\s*[:：]?\s*\d+|"
    r"围观\s*\d+\s*次|^\s*[-•]?\s*(?:格式|大小|文档页数|页数|下载次数|字数)\s*[:：]|^\s*标题\s*[:：]|"
    r"字号\s*[:：]?\s*[大中小]|【\s*字体\s*[:：]"
)
CHROME = re.compile(
    r"打印本页|【?打印】?\s*【?关闭】?|关闭窗口|分享到|收藏本页|返回顶部|上一篇|下一篇|扫一扫|"
    r"Powered by|欢迎光临|ICP备|公网安备|版权所有|Copyright|©|技术支持\s*[:：]|我要投稿|"
    r"网站地图|联系我们|设为首页|加入收藏|用户名|登录|注册|只看该作者|本帖最后由|使用道具|返回列表|"
    r"上一主题|下一主题|楼主|沙发|板凳|发表于|查看\s*[:：]\s*\d+|回复\s*[:：]\s*\d+|举报|"
    r"点击蓝字|关注我们|^\W*END\W*$|^\W*(?:您(?:的)?)?当前(?:的)?位置\s*[:：]|(?:联系|咨询|监督|举报)电话\s*[:：]|原标题\s*[:：]|"
    r"文明上网|理性发言|查看更多评论|我要评论|发表评论|^(?:抄送|联系单位|联系人|附件)\s*[:：]|"
    r"^[\u4e00-\u9fff]{1,8}〔\d{4}〕\d+号$|^尊敬的[^，。,]{1,20}[:：]$|"
    r"^\W*(?:地址|通讯地址|联系地址|邮编|邮政编码)\s*[:：]|(?:^|\s)(?:电话|传真)(?:/传真)?\s*[:：]\s*[\d(（]|"
    r"^[(（](?:根据录音整理|本文根据|未经本人审阅)|^[-—–]\s*\d{1,3}\s*[-—–]$",
    re.I,
)
SIGNATURE = re.compile(
    r"[\u4e00-\u9fff（）()]{4,30}(?:局|厅|委员会|委员会办公室|办公室|人民政府|政府|中心)"
)
CREDIT = re.compile(r"^[(（][^()（）]{2,30}(?:供稿|供图|报送)[)）]$")
CAPTION = re.compile(r"^[(（]?(?:资料)?图片(?:来源|仅供参考)|^[(（]?图为|^[(（]?图片由")
PROMO = re.compile(
    r"(?:下面|以下)是.{0,20}(?:整理|收集|分享|为大家).{0,40}(?:仅供参考|希望|欢迎)|"
    r"本文(?:由|来自).{0,20}(?:整理|转载)|更多.{0,12}请(?:关注|访问|点击)|点击(?:下载|查看原文|阅读全文)|"
    r"(?:扫码|长按)(?:关注|识别)|"
    # WeChat furniture: follow the account, scan its code, like/share, "you may also like"
    r"关注.{0,24}(?:公众号|微信号|视频号)|(?:长按|扫描?|识别).{0,6}二维码|"
    r"(?:转发|分享|点赞|在看|收藏).{0,3}(?:转发|分享|点赞|在看|收藏)|喜欢此内容的人还喜欢|"
    r"^\W*(?:阅读原文|星标|设为星标)"
)
SIDEBAR_HEADING = re.compile(
    r"^\s*(?:相关|延伸|推荐|热点|热门|精彩|最新|更多|猜你|大家都在|热文|往期|专题)"
    r"\S{0,6}$|^\s*(?:标签|关键词|关键字|tags?)\s*[:：]|^\s*(?:生活指南|民生|图片新闻|视频新闻|新闻排行)\s*$"
    # 相关阅读：a headline on the heading's own line
    r"|^\s*(?:相关|延伸|推荐)(?:阅读|新闻|文章|链接|报道)\s*[:：]",
    re.I,
)
COMMENTS_HEAD = re.compile(
    r"(?:网友|用户|最新|热门|全部|精彩|读者)?(?:评论|留言)\s*[(（]?\s*\d*\s*[)）]?\s*[:：]?"
    r"|(?:网友|用户|最新|热门|全部|精彩)(?:评论|留言).{0,12}"
)
COPYRIGHT_HEAD = re.compile(r"^\s*(?:版权与免责声明|免责声明|版权声明|特别声明|郑重声明)")
COPYRIGHT_WORDS = re.compile(r"本网|本站|转载|版权|法律责任|授权|侵权|作品|免责|来源[:：\"“]|联系")
TEASER_END = re.compile(r"(?:\.{2,}|…+|。{2,})\s*$")
NOISE = re.compile(r"[{}|§%~^<>≥≤¤¦\\]|(?<=[\u3400-\u9fff])[A-Za-z](?=[\u3400-\u9fff\W])")
SENT_PUNCT = re.compile(r"[，。；！？,;!?]")
# A labelled header field opening the line (print views, document dumps).
TITLE_FIELD = re.compile(r"^\s*标题\s*[:：]")
LEAD_FIELD = re.compile(
    r"^\s*[-•]?\s*(?:标题|作者|发布者|发表于|时间|发布时间|日期|来源|格式|大小|页数)\s*[:：]"
)

RARE_CHAR_FREQ = 5000
# A cheap pre-filter: a sentence without any of these cannot match the field/chrome/promo rules.
CUES = re.compile(
    r"[:：\d©【\[(（]|打印|关闭|分享|收藏|返回|上一|下一|扫|Powered|欢迎|ICP|公网|版权|Copyright|"
    r"技术支持|投稿|网站|联系|设为|加入|用户|登录|注册|图|整理|收集|本文|更多|点击|长按|只看|本帖|"
    r"道具|楼主|沙发|板凳|举报|关注|END|文明|评论|抄送|附件|〔|尊敬|录音|二维码|转发|点赞|在看|"
    r"喜欢|阅读原文|星标",
    re.I,
)


@dataclass(frozen=True, slots=True)
class _Line:
    index: int
    text: str
    sentences: tuple[int, ...]

    @property
    def cjk(self) -> int:
        return len(CJK.findall(self.text))


class BoilerplateDetector:
    """Marks boilerplate sentences; ``char_freq`` gives a corpus frequency per character."""

    def __init__(self, char_freq: Mapping[str, int] | None = None) -> None:
        self.char_freq = char_freq or {}
        # deleting common characters leaves the rare ones to count (str.translate runs in C)
        self._drop_common = {
            ord(c): None for c, f in self.char_freq.items() if f >= RARE_CHAR_FREQ and len(c) == 1
        }

    def detect(self, text: str, spans: Sequence[SentenceSpan]) -> list[str | None]:
        """One reason (``meta``, ``chrome``, ``sidebar``, ``copyright``, ``garbage``, …) or
        ``None`` per sentence span."""
        reasons: list[str | None] = [None] * len(spans)
        lines = self._lines(text, spans)
        if not lines:
            return reasons
        sents = [text[s.start : s.end] for s in spans]

        def mark(line: _Line, reason: str) -> None:
            for i in line.sentences:
                reasons[i] = reasons[i] or reason

        # 1. per sentence: fields, chrome, captions, promo, garbage
        for i, s in enumerate(sents):
            reasons[i] = self._sentence_reason(s)
        # 2. header chrome before the headline, and later lines repeating its brand
        brands = self._header(lines, mark, reasons)
        # 3. sidebars (bullet lists with teasers) and copyright blocks
        self._sidebars(lines, mark, reasons)
        self._copyright(lines, mark)
        for line in lines:
            if brands and len(line.text) <= 40 and any(b in line.text for b in brands):
                mark(line, "chrome")
        # the same paragraph again (copy-paste or page-template repeats)
        seen: set[str] = set()
        for line in lines:
            key = re.sub(r"\s+", "", line.text)
            if len(key) >= 15 and key in seen:
                mark(line, "duplicate")
            seen.add(key)
        # the issuer signing off (互助县教育局 / 2023年12月20日) and credit lines at the end
        for line in lines[-3:]:
            if SIGNATURE.fullmatch(line.text.strip()) or CREDIT.search(line.text):
                mark(line, "meta")
        # 4. garbage neighbourhoods: short fragments next to garbage
        for i, s in enumerate(sents):
            if reasons[i] is None and len(s) <= 12:
                near = [j for j in (i - 1, i + 1) if 0 <= j < len(sents)]
                if any(reasons[j] == "garbage" for j in near) and self._rare_ratio(s) > 0:
                    reasons[i] = "garbage"
        return reasons

    # ------------------------------------------------------------ sentences

    def _sentence_reason(self, s: str) -> str | None:
        if not CUES.search(s):
            return "garbage" if self._is_garbage(s) else None
        short = len(s) <= 60 and not SENT_PUNCT.search(s.rstrip("。!?！？;；"))
        if LEAD_FIELD.search(s) and len(s) <= 100:
            return "meta"
        if FIELD.search(s) or DATETIME.search(s):
            rest = FIELD.sub("", DATETIME.sub("", s))
            if short or (len(CJK.findall(rest)) <= 12 and len(s) <= 80):
                return "meta"
        if CHROME.search(s) and (len(s) <= 80 or len(CHROME.findall(s)) >= 3):
            return "chrome"
        if CAPTION.search(s) and len(s) <= 40:
            return "caption"
        if PROMO.search(s) and len(s) <= 120:
            return "promo"
        if self._is_garbage(s):
            return "garbage"
        return None

    def _rare_ratio(self, s: str) -> float:
        total = len(CJK.findall(s))
        if not total or not self.char_freq:
            return 0.0
        return len(CJK.findall(s.translate(self._drop_common))) / total

    def _is_garbage(self, s: str) -> bool:
        noise = len(NOISE.findall(s))
        if noise >= 3 and noise / max(len(s), 1) >= 0.06:
            return True
        return len(CJK.findall(s)) >= 2 and self._rare_ratio(s) >= 0.5

    # ------------------------------------------------------------ lines and blocks

    @staticmethod
    def _lines(text: str, spans: Sequence[SentenceSpan]) -> list[_Line]:
        by_par: dict[int, list[int]] = {}
        for i, s in enumerate(spans):
            by_par.setdefault(s.paragraph, []).append(i)
        raw = text.split("\n")
        return [_Line(p, raw[p].strip(), tuple(idx)) for p, idx in sorted(by_par.items())]

    def _header(self, lines: list[_Line], mark, reasons: list[str | None]) -> list[str]:  # type: ignore[no-untyped-def]
        """Short lines above the headline are site chrome (names, banners); returns their
        3+ character brand strings. The headline is a ``标题:`` field, else the longest line
        before the first body paragraph."""
        head: list[_Line] = []
        for line in lines[:8]:
            if "。" in line.text and not LEAD_FIELD.search(line.text):
                break  # first body paragraph (headlines do not contain 。)
            head.append(line)
        titled = [k for k, line in enumerate(head) if TITLE_FIELD.search(line.text)]
        plain = [k for k, line in enumerate(head) if not any(reasons[i] for i in line.sentences)]
        if titled:
            headline = titled[0]
        elif plain:
            headline = max(plain, key=lambda k: (head[k].cjk, -k))
            # only a page layout [chrome][headline][date/source line] identifies chrome
            after = head[headline + 1 : headline + 3]
            if not any(reasons[i] == "meta" for line in after for i in line.sentences):
                return []
        else:
            return []
        brands: list[str] = []
        for line in head[:headline]:
            if line.cjk <= 12 and not SENT_PUNCT.search(line.text):
                mark(line, "chrome")
                brands.extend(
                    w for w in re.findall(r"[\w\u3400-\u9fff]{3,}", line.text) if not w.isdigit()
                )
        return brands

    def _sidebars(self, lines: list[_Line], mark, reasons: list[str | None]) -> None:  # type: ignore[no-untyped-def]
        """Bullet lists of headlines with teasers, and the heading line above them."""
        n = len(lines)
        # list items: bulleted lines not already explained as metadata fields (- 格式:doc)
        # (items that are sentences, or led by ——, are the report's own lists of work done)
        bullets = [
            bool(BULLET.match(line.text))
            and not any(reasons[i] for i in line.sentences)
            and not line.text.lstrip().startswith("——")
            and "。" not in line.text
            for line in lines
        ]
        k = 0
        while k < n:
            window = bullets[k : k + 10]
            if not (bullets[k] and sum(window) >= 3):
                k += 1
                continue
            start = k
            # a short heading (相关阅读, 生活指南, 标签:) right above the list belongs to it
            while start > 0 and self._heading_like(lines[start - 1]):
                start -= 1
            # the list runs while bullets recur within 3 lines; after the last bullet only
            # teaser lines (cut with "...", or short) still belong to its item
            last_bullet = k
            j = k + 1
            while j < n and j - last_bullet <= 4:
                if bullets[j]:
                    last_bullet = j
                elif not self._item_text(lines[j]):
                    break
                j += 1
            end = last_bullet
            while end + 1 < n and end - last_bullet < 3 and self._teaser(lines[end + 1]):
                end += 1
            for line in lines[start : end + 1]:
                mark(line, "sidebar")
            k = end + 1
        # a comment section: everything after its heading (网友评论（128）) late in the page
        for k, line in enumerate(lines):
            if k >= 2 and COMMENTS_HEAD.fullmatch(line.text.strip()):
                for item in lines[k:]:
                    mark(item, "comments")
                break
        # a sidebar heading (相关新闻:, 标签:) late in the article, and the headlines under it
        for k, line in enumerate(lines):
            if SIDEBAR_HEADING.search(line.text) and k > n // 3:
                mark(line, "sidebar")
                for item in lines[k + 1 :]:
                    if not self._headline(item):
                        break
                    mark(item, "sidebar")

    @staticmethod
    def _heading_like(line: _Line) -> bool:
        return bool(SIDEBAR_HEADING.search(line.text)) or (
            line.cjk <= 8 and not SENT_PUNCT.search(line.text) and len(line.text) <= 12
        )

    @staticmethod
    def _headline(line: _Line) -> bool:
        """A linked headline in a list: short, no sentence ending."""
        return len(line.text) <= 40 and not re.search(r"[。!?！？;；]$", line.text)

    @staticmethod
    def _teaser(line: _Line) -> bool:
        text = line.text
        return bool(TEASER_END.search(text)) or (
            len(text) <= 120 and not re.search(r"[。!?！？;；”」]$", text)
        )

    @staticmethod
    def _item_text(line: _Line) -> bool:
        """Text that can sit under a list item: a teaser, a source/date line or a short line."""
        return bool(TEASER_END.search(line.text)) or len(line.text) <= 120

    def _copyright(self, lines: list[_Line], mark) -> None:  # type: ignore[no-untyped-def]
        for k, line in enumerate(lines):
            if not COPYRIGHT_HEAD.search(line.text):
                continue
            mark(line, "copyright")
            for nxt in lines[k + 1 :]:
                if len(COPYRIGHT_WORDS.findall(nxt.text)) >= 1 or len(nxt.text) <= 12:
                    mark(nxt, "copyright")
                else:
                    break
