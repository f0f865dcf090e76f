"""Is a crawled page about compulsory education? Pages that are not are stored, flagged
``relevant = 0`` with a reason, and left out of every analysis.

The method (rules in this order; the first that applies decides):

1. ``site-page``: the title names a site page (网站地图, 关于我们, 联系我们, 网站声明, 隐私 …) or
   the text has fewer than ``MIN_CHARS`` CJK characters (navigation stubs, empty columns).
2. ``job-ad``: the title announces recruitment (招聘, 诚聘, 招募 …) and the text carries at least
   two job-ad cues (岗位, 薪资, 简历, 五险一金, 报名条件 …). Teacher recruitment notices of an
   education bureau are job ads too: they list posts, not measures.
3. ``finance``: at least three finance cues (股市, 上证指数, 涨停, 基金, 净利润, 理财 …) and more
   finance cues than compulsory-education cues.
4. relevant (``compulsory-education``): a lexicon measure was found in the analysed text, or
   at least one strong cue (义务教育, 中小学, 小学, 初中, 控辍保学, 双减, 县管校聘 …), or at least
   ``GENERIC_MIN`` generic school cues (学校, 教师, 学生, 教育局 …) without more cues of other
   education levels (高校, 高考, 研究生 …).
5. otherwise ``off-topic`` (no compulsory-education vocabulary), or ``other-level`` when the
   education cues are about universities, 高考 or vocational colleges.

Counting is over the extracted text and title after the pipeline's analysis, so the injected
spam the pipeline removed cannot make a page relevant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from junheng.records import AnalysedDocument

MIN_CHARS = 60
GENERIC_MIN = 4

SITE_TITLE = re.compile(
    r"网站地图|关于我们|联系我们|网站声明|免责声明|版权声明|隐私(?:政策|声明|保护)|使用帮助|"
    r"无障碍|网站导航|站点地图|用户协议|意见反馈|登录|注册"
)
JOB_TITLE = re.compile(r"招聘|诚聘|招募|招贤|聘用.*人员|急聘|高薪")
JOB_CUES = re.compile(
    r"岗位|薪资|薪酬|月薪|年薪|底薪|待遇|简历|五险一金|报名条件|任职要求|任职资格|应聘|面试|笔试|"
    r"工作地点|提成|双休"
)
FINANCE_CUES = re.compile(
    r"股市|股票|A股|港股|美股|上证|深证|创业板|科创板|指数|涨停|跌停|收涨|收跌|成交额|北向资金|"
    r"基金|净值|理财|收益率|净利润|营收|财报|市值|券商|债券|期货|汇率|融资|IPO|板块"
)
STRONG_CUES = re.compile(
    r"义务教育|中小学|小学|初中|初级中学|九年一贯|控辍保学|双减|课后服务|县管校聘|集团化办学|"
    r"学区制|教育均衡|均衡发展|薄弱学校|乡村学校|乡村教师|留守儿童|随迁子女|营养改善计划|"
    r"教联体|教共体|划片入学|免试就近"
)
GENERIC_CUES = re.compile(r"学校|教师|学生|校长|教育局|教体局|课堂|教学|办学|育人|家长|班主任|校园")
OTHER_LEVEL_CUES = re.compile(r"高校|大学|高考|研究生|本科|高职|职业技术学院|硕士|博士|考研")
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True, slots=True)
class Relevance:
    relevant: bool
    reason: str

    @property
    def flag(self) -> int:
        return 1 if self.relevant else 0


def judge(doc: AnalysedDocument) -> Relevance:
    """Decide relevance from the analysed document (see the module docstring)."""
    title = doc.source.title or ""
    text = "\n".join(doc.cleaned_text(s.start, s.end) for s in doc.content_sentences)
    full = f"{title}\n{text}"
    if SITE_TITLE.search(title) or len(_CJK.findall(text)) < MIN_CHARS:
        return Relevance(False, "site-page")
    strong = len(STRONG_CUES.findall(full))
    measures = sum(1 for m in doc.measures if m.method == "lexicon")
    if JOB_TITLE.search(title) and len(JOB_CUES.findall(full)) >= 2:
        return Relevance(False, "job-ad")
    finance = len(FINANCE_CUES.findall(full))
    generic = len(GENERIC_CUES.findall(full))
    if finance >= 3 and finance > strong + generic:
        return Relevance(False, "finance")
    other = len(OTHER_LEVEL_CUES.findall(full))
    if measures or strong or (generic >= GENERIC_MIN and other <= generic // 2):
        return Relevance(True, "compulsory-education")
    return Relevance(False, "other-level" if other >= 2 else "off-topic")
