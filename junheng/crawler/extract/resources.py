"""Compiled regexes and word lists used by the extractor (no state, compiled once at import)."""

from __future__ import annotations

import re
from types import MappingProxyType

# ---------------------------------------------------------------- tags

# Subtrees dropped before anything else (their tails are kept).
DROP_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "iframe",
        "object",
        "embed",
        "svg",
        "canvas",
        "template",
        "select",
        "option",
        "textarea",
        "button",
        "input",
        "link",
        "meta",
        "map",
        "area",
        "audio",
        "video",
        "source",
        "head",
        "dialog",
        "frame",
        "frameset",
        "datalist",
        "title",
    }
)
# Elements that are chrome unless they hold most of the page text or the headline.
CHROME_TAGS = frozenset({"nav", "footer", "aside"})
# Elements that do not break a line of text; every other element does.
INLINE_TAGS = frozenset(
    {
        "a",
        "abbr",
        "acronym",
        "b",
        "bdi",
        "bdo",
        "big",
        "cite",
        "code",
        "del",
        "dfn",
        "em",
        "font",
        "i",
        "img",
        "ins",
        "kbd",
        "label",
        "mark",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strike",
        "strong",
        "sub",
        "sup",
        "time",
        "tt",
        "u",
        "var",
        "wbr",
        "nobr",
        "o:p",
    }
)

# ---------------------------------------------------------------- class/id hints

# Class/id tokens of page chrome. Matched against the lower-cased ``class`` + ``id`` with token
# boundaries (start, end, space, ``-``, ``_`` or a digit), so ``nav`` hits ``main-nav`` and
# ``nav2`` but not ``canvas``.
_CHROME_WORDS = (
    "nav",
    "navbar",
    "navi",
    "navigation",
    "menu",
    "menus",
    "submenu",
    "topmenu",
    "footer",
    "foot",
    "bottom",
    "sidebar",
    "side",
    "sidebox",
    "aside",
    "rightside",
    "leftside",
    "sider",
    "comment",
    "comments",
    "commentbox",
    "cmt",
    "reply",
    "replies",
    "share",
    "sharebox",
    "bdshare",
    "jiathis",
    "social",
    "related",
    "relate",
    "relatednews",
    "recommend",
    "recommends",
    "rec",
    "recom",
    "hot",
    "hotnews",
    "hots",
    "rank",
    "ranking",
    "top10",
    "breadcrumb",
    "crumb",
    "crumbs",
    "position",
    "location",
    "copyright",
    "banquan",
    "advert",
    "advertisement",
    "ad",
    "ads",
    "adv",
    "gg",
    "guanggao",
    "banner",
    "login",
    "search",
    "toolbar",
    "tools",
    "tool",
    "pager",
    "pagination",
    "prevnext",
    "pre-next",
    "pages",
    "paging",
    "tags",
    "tag",
    "keywords",
    "qrcode",
    "erweima",
    "ewm",
    "weixin",
    "wechat",
    "subscribe",
    "follow",
    "popup",
    "modal",
    "cookie",
    "fontsize",
    "zihao",
    "font-size",
    "more",
    "list-more",
    "friendlink",
    "links",
    "yqlj",
    "bshare",
)
CHROME_CLASS = re.compile(
    r"(?:^|[\s_\-\d])(?:"
    + "|".join(sorted(map(re.escape, _CHROME_WORDS), key=len, reverse=True))
    + r")(?=$|[\s_\-\d])"
)
# Class/id tokens of the article container: ``post-footer`` is chrome, ``main-nav-content`` not.
CONTENT_CLASS = re.compile(
    r"(?:^|[\s_\-\d])(?:article|content|contents|main-?text|text|body|post|post-?body|entry|"
    r"detail|details|news-?text|trs_editor|trs_paper_default|zoom|ztxt|zw|nr|newscontent|"
    r"article-?content|con|cont|txt|neirong|wzcon|read|story|pages_content|bt_content)"
    r"(?=$|[\s_\-\d])"
)
# Link texts that are navigation, dropped wherever they appear.
NAV_LINK = re.compile(
    r"^\s*[【\[]?\s*(?:返回\S{0,8}(?:首页|顶部|列表|目录|上页)|打印(?:本页|此文|本文)?|"
    r"关闭(?:窗口|本页)?|分享到?|收藏(?:本页)?|返回|顶部|TOP|Top)\s*[】\]]?\s*[>》»]*\s*$"
)
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)

# ---------------------------------------------------------------- text classes

WS = re.compile(r"\s+")
SPACES = re.compile(r"\s")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
CJK_SENTENCE_PUNCT = re.compile(r"[，。！？；]")
ANY_SENTENCE_PUNCT = re.compile(r"[，。！？；,.!?;]")
# words of a menu written as plain text: ``首页 机构概况 教育动态 通知公告``
MENU_WORDS = re.compile(r"^(?:\S{1,6}\s+){3,}\S{1,6}$")
# trailing credit lines dropped from the body (they feed the metadata)
CREDIT_LINE = re.compile(
    r"^\s*[(（【\[]?\s*(?:本文来源|来源|责任编辑|责编|编辑|校对|审核|审校|监制|"
    r"值班编辑|终审|初审|复审|稿源)\s*[:：]?"
)

# Whole-line chrome: a line matching any of these is never body text.
CHROME_LINE = re.compile(
    r"ICP\s*[备證证]|ICP\d|公网安备|网安备\d|京公网|增值电信业务|互联网新闻信息服务许可|"
    r"信息网络传播视听|网络文化经营许可|违法和不良信息举报|不良信息举报|"
    r"版权所有|版权声明|Copyright|©|\(c\)\s*\d{4}|All\s+Rights\s+Reserved|"
    r"特别声明|免责声明|^声明[:：]|本文仅代表作者|不代表本网|不代表本站|"
    r"凡本(?:网|站)|(?:本网|本站)(?:注明|联系|将|不承担|保留|所有)|同本(?:网|站)联系|"
    r"未经(?:授权|许可|书面许可|同意).{0,12}(?:转载|复制|摘编|镜像|使用)|禁止.{0,4}转载|"
    r"不得转载|转载请注明|转载请联系|"
    r"分享到|分享至|一键分享|扫一扫|扫描二维码|二维码|长按识别|关注我们|关注公众号|"
    r"^\s*返回\S{0,8}(?:首页|顶部|列表|目录)|"
    r"打印本页|关闭窗口|【\s*打印\s*】|【\s*关闭\s*】|\[\s*打印\s*\]|\[\s*关闭\s*\]|"
    r"字号[:：]?\s*[【\[]?\s*大|字体[:：]?\s*[【\[]?\s*大|【\s*大\s*】|【\s*小\s*】|"
    r"^\s*[【\[]?\s*(?:大|中|小)\s*[】\]]?\s*$|"
    r"^\s*(?:上一篇|下一篇|上一条|下一条|上一页|下一页|上篇|下篇|返回顶部|返回首页|返回列表)|"
    r"^\s*(?:相关阅读|相关新闻|相关文章|相关链接|延伸阅读|推荐阅读|热门推荐|热点推荐|猜你喜欢|"
    r"热门文章|热门新闻|最新文章|精彩推荐|为您推荐|大家都在看|排行榜|点击排行|网友评论|"
    r"我要评论|发表评论|评论\s*\d*\s*$|已有\d+人|条评论|(?:登录|注册|收藏|点赞)\s*(?:$|[|｜/])|"
    r"作者最新文章|编辑推荐|今日推荐|专题推荐|图片推荐|视频推荐)",
    re.I,
)
# A line that ends the article body whatever follows (comments, notices, post footers).
TAIL_STRONG = re.compile(
    r"^\s*(?:网友评论|我要评论|发表评论|评论区|全部评论|最新评论|热门评论|精彩评论|用户评论|"
    r"评论|留言|网友留言|我要留言|发表留言|相关评论)\s*(?:[（(]?\d*[)）]?|[:：].*)$|"
    r"发表评论\s*(?:>|》|$)|已有\s*\d+\s*(?:人|条)(?:参与|评论)|\d+\s*条评论|"
    r"^\s*(?:#\s*)?re\s*[:：]|^\s*回复\s*[:：]|"
    r"(?:阅读|浏览|点击)\s*[:：(（]?\s*\d+.{0,6}评论\s*[:：(（]?\s*\d+|"
    r"^\s*(?:反侵权公告|版权声明|免责声明|特别声明|郑重声明)|"
    r"^\s*(?:上一篇|下一篇|上一条|下一条|上篇|下篇)\s*[:：]|"
    r"^\s*作者最新文章|^\s*【?\s*打印本页|^\s*正文已结束|网友评论仅|"
    r"^\s*(?:跟贴|跟帖|参与)\s*\d+|^\s*网友(?:评论|留言|印象|观点|点评|热议)\s*$|"
    r"(?:张贴|发表于|发布于|发布时间|posted|by)\s*.{0,30}(?:19|20)\d\d[-/.年]\d{1,2}[-/.月]\d{1,2}"
    r".{0,12}\d{1,2}:\d{2}.{0,40}(?:评论|by|〓)",
    re.I,
)
# A related-news header: ends the body when less prose follows than came before.
TAIL_RELATED = re.compile(
    r"^\s*[【\[]?\s*(?:相关阅读|相关新闻|相关文章|相关链接|相关报道|相关推荐|相关专题|延伸阅读|"
    r"推荐阅读|热门推荐|热点推荐|热门文章|热门新闻|热点新闻|猜你喜欢|为您推荐|大家都在看|"
    r"编辑推荐|精彩推荐|今日推荐|更多精彩|更多新闻|阅读推荐|热门排行|点击排行|排行榜)"
)
ATTACHMENT = re.compile(
    r"\.(?:docx?|xlsx?|pdf|wps|et|zip|rar|ofd|pptx?|txt)\s*[)）]?\s*$|^\s*附件", re.I
)
# Labels of the metadata line near the headline.
META_LABEL = re.compile(
    r"(?:发布时间|发布日期|发表时间|发表日期|更新时间|成文日期|时间|日期|来源于?|出处|作者|"
    r"记者|通讯员|责任编辑|编辑|责编|审核|校对|浏览|阅读|点击|访问量|浏览次数|字号)"
    r"\s*[:：]|发表于|发布于|稿源"
)

# ---------------------------------------------------------------- metadata

PRIVATE_USE = re.compile(r"[\ue000-\uf8ff]")
TITLE_SEPARATORS = re.compile(
    r"\s*(?:_|\||｜|--|——|—|–|\s-\s|::|\s@\s)\s*|(?<=[\u4e00-\u9fff\w)）])-(?=\S)"
)
TITLE_LABEL = re.compile(r"^\s*(?:标题|主题|题目|文章标题|标\s+题)\s*[:：]\s*")
TITLE_TRAIL = re.compile(r"[\s\-_|｜—–·:：]+$")
AD_PREFIX = re.compile(r"^\s*\[(?!\d+\])[^\[\]]{2,20}\]\s*")
SITE_META_NAMES = ("og:site_name", "sitename", "site_name", "application-name")
TITLE_META_NAMES = ("og:title", "twitter:title", "articletitle", "headline", "title")

DATE_META_NAMES = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "pubdate",
    "publishdate",
    "publish_date",
    "publish-date",
    "publishtime",
    "publish_time",
    "og:release_date",
    "datepublished",
    "dc.date.issued",
    "dc.date",
    "dcterms.created",
    "dcterms.issued",
    "prism.publicationdate",
    "citation_publication_date",
    "citation_date",
    "apub:time",
    "og:time",
    "firstpublishedtime",
    "sailthru.date",
    "parsely-pub-date",
    "article:published",
    "bytedance:published_time",
    "weibo:article:create_at",
    "release_date",
    "maketime",
    "createdate",
    "created",
)
WEAK_DATE_META_NAMES = (
    "dateupdate",
    "datemodified",
    "article:modified_time",
    "og:updated_time",
    "lastmodified",
    "last-modified",
    "dc.date.modified",
    "date",
    "effectivetime",
)
SCRIPT_DATE = re.compile(
    r"""["']?(?:datePublished|pubDate|pubdate|pubtime|pubTime|pub_time|publish_time|publishTime|"""
    r"""publishDate|publish_date|ptime|published_at|firstPublishTime)["']?\s*[:=]\s*["']"""
    r"""([^"'<>]{8,32})["']|data-(?:p|pub|publish)[-_]?time=["']([^"']{8,32})["']"""
)
SOURCE_META_NAMES = (
    "contentsource",
    "source",
    "og:source",
    "article:source",
    "dc.source",
    "citation_publisher",
    "apub:from",
)
AUTHOR_META_NAMES = (
    "author",
    "article:author",
    "og:article:author",
    "dc.creator",
    "byl",
    "citation_authors",
    "citation_author",
)

_NUM = r"(?:\d{1,2}|[〇零一二三四五六七八九十]{1,3})"
DATE_PATTERNS = (
    # 2023-04-17, 2023/4/17, 2023.04.17, 2023年4月17日, 二〇二三年四月十七日
    re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)"),
    re.compile(r"([〇零一二三四五六七八九]{4})\s*年\s*(" + _NUM + r")\s*月\s*(" + _NUM + r")\s*日"),
)
US_DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/((?:19|20)\d{2})(?![\d/])")
EN_DATE = re.compile(
    r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?"
    r"(?:,?\s+(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?)?,?\s+((?:19|20)\d{2})\b"
)
EN_MONTHS = MappingProxyType(
    {
        m: i
        for i, m in enumerate(
            ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
        )
    }
)
SHORT_YEAR_DATE = re.compile(r"\s*(\d{2})-(\d{1,2})-(\d{1,2})(?!\d)")
COMPACT_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})(\d{2})(\d{2})(?!\d)")
URL_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})[-/_]?(0[1-9]|1[0-2])[-/_]?(0[1-9]|[12]\d|3[01])(?!\d)"
)
TIME = re.compile(r"(?<!\d)[0-2]?\d\s*[:：]\s*[0-5]\d(?!\d)")
DATETIME = re.compile(
    r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
    r"(?:\s*[0-2]?\d\s*[:：]\s*[0-5]\d(?:\s*[:：]\s*[0-5]\d)?)?"
)
DATE_LABEL = re.compile(
    r"(?:发布时间|发布日期|发表时间|发表日期|发文日期|成文日期|上传时间|更新时间|信息时间|"
    r"录入时间|添加时间|时间|日期|发表于|发布于|Posted|Published|Date)\s*[:：]?",
    re.I,
)

_LABEL_END = (
    r"(?=\s|$|[|｜/【\[（(\]】]|发布|时间|日期|来源|作者|记者|通讯员|编辑|责任|责编|审核|浏览|"
    r"阅读|点击|字号|分享|打印|关闭)"
)
SOURCE_LINE = re.compile(
    r"(?:来源于|信息来源|文章来源|本文来源|稿件来源|新闻来源|来源|出处|稿源|转载自|发布机构|发布单位|"
    r"发文机关)\s*[:：]\s*"
    r"[\[【]?\s*([^\s:：|｜【\[（(\]】]{2,30}?)" + _LABEL_END
)
# in the headline area: ``来源CSDN``, ``石佳/中国青年报``
SOURCE_BARE = re.compile(
    r"(?:^|[\s|｜])(?:来源|出处)\s*[:：]?\s*([A-Za-z\u4e00-\u9fa5][^\s:：|｜【\[（(]{1,20}?)"
    + _LABEL_END
    + r"|^\s*[\u4e00-\u9fa5]{2,4}\s*/\s*([\u4e00-\u9fa5A-Za-z]{2,12})\s*$"
)
_PERSON = r"[\u4e00-\u9fa5·]{2,5}"
_LATIN = r"[A-Za-z][\w.\-&]{1,29}"
AUTHOR_LINE = re.compile(
    r"(?<![责任编])(?:(?:作\s*者|记\s*者|撰\s*稿人?|撰\s*文|采\s*写|文\s*字|文/图|图/文|文图)"
    r"\s*[:：]|(?:作者|撰稿|撰文)\s(?=\s*[\u4e00-\u9fa5A-Za-z]))"
    r"\s*((?:" + _PERSON + "|" + _LATIN + r"|[^\s:：|｜]{2,12}?(?=\s|$))"
    r"(?:[\s、，,]+" + _PERSON + r"(?=[\s、，,)）]|$))*)"
)
BYLINE = re.compile(
    r"(?:(?:本报|本台|本刊|总台|特约|见习|实习|首席)?(?:记者|通讯员|评论员)|(?:文|图|文图|图文)\s*[/／]"
    r"(?:\s*[图文])?)\s*[:：]?\s*(" + _PERSON + r"(?:[\s、，,]+" + _PERSON + r")*)"
    r"(?=[)）】\]]|$|\s|摄|/|／|通讯员)"
)
PAREN_BYLINE = re.compile(r"[（(]\s*((?:[\u4e00-\u9fa5·]{2,4}[\s、]*){1,5})\s*[)）]\s*$")
PAREN_SPAN = re.compile(r"[（(][^（()）]{2,40}[)）]")
BYLINE_CLEAN = re.compile(r"\S{2,8}报道|发自\S{2,6}|\S{2,6}电(?=[（(])")
NAME_SLASH_SOURCE = re.compile(r"(?:^|\s)([\u4e00-\u9fa5]{2,4})\s*/\s*[\u4e00-\u9fa5A-Za-z]{2,12}")
# a role word, or the label of the next field run into the name (周文斌访问量：…)
BYLINE_TAIL = re.compile(
    r"(?:摄影?|报道|供图|整理|编译|访问量?|浏览(?:量|次数?)?|阅读(?:量|数)?|点击(?:量|数)?|"
    r"来源|发布|时间|日期)$"
)
ROLE_SUFFIX = re.compile(r"(?:记者|通讯员|评论员|实习生|摄影|编辑|作者)$")
# a credit line after the text: what follows it is another block (teasers, comments)
END_CREDIT = re.compile(
    r"^\s*[(（【\[]?\s*(?:本文来源|来源|责任编辑|责编|编辑|校对|审核|审校|作者|采写|撰文|撰稿)"
    r"\s*[:：]"
)
NOT_PERSON = frozenset(
    {
        "通讯员",
        "记者",
        "实习生",
        "摄影",
        "摄",
        "报道",
        "编辑",
        "责编",
        "完",
        "待续",
        "未完待续",
        "全文完",
        "资料图",
        "组图",
        "供图",
        "图片",
        "视频",
        "来源",
        "本报讯",
        "综合",
        "整理",
        "编译",
    }
)
EDITOR_LINE = re.compile(
    r"(?:责任编辑|责编|值班编辑|编辑)\s*[:：]\s*(" + _PERSON + "|" + _LATIN + r")"
)
NAME_TRIM = re.compile(r"^[\s:：\-—|｜·/\[【]+|[\s:：\-—|｜·/，,。;；】\]）)]+$")
NOT_A_NAME = re.compile(
    r"^(?:本站|本网|网络|未知|佚名|admin|管理员|匿名|null|none|unknown|不详|转载|default)$|"
    r"^\d|[:：=<>\"“”。，！？；]|http",
    re.I,
)
ORGANISATION = re.compile(
    r"(?:社|网|报|台|站|刊|局|委|院|部|厅|办|处|中心|公司|集团|大学|学校|政府)$"
)
NOT_META_AUTHOR = re.compile(r"[@,，;；]|网|新闻|频道|博客|官方|\.com|\.cn|编辑部", re.I)
LABELLED_FIELD = re.compile(
    r"(?:发布时间|发布日期|发表时间|时间|日期|作者|记者|编辑|责任编辑|责编|浏览次数|浏览|"
    r"阅读数?|点击数?|评论数?|字号|字体|访问量)\s*[:：]?\s*[^\s|｜]*"
)
SOURCE_SPLIT = re.compile(r"[\s|｜丨·•]+")
SOURCE_NOISE = re.compile(r"[\[【(（](?:整理|转载|原创|编译|综合|图)[\]】)）]|[【\[(（)）\]】]")
NOT_SOURCE = re.compile(
    r"^(?:字号|字体|超大|大|中|小|标准|默认|分享|分享到|打印|关闭|收藏|评论|阅读|浏览|点击|纠错|"
    r"更新|发布|发表|原创|转载|关注|举报|星期.|周.|查看\S*|[AaＡ][+\-－]|我要\S*|加入\S*|订阅|朗读|"
    r"放大|缩小|放大字体|缩小字体|微博|微信|QQ\S*|复制\S*|二维码|返回\S*|发表于|发布于|更新于|"
    r"最后更新|发布时间|发表时间|更新时间)$|^[\d\W_]+$|"
    r"^(?:围观|阅读|浏览|点击|访问|人气)\S*\d|"
    # a province alone after the time is where a post was sent from (微信: 2024-05-09 18:30 山西)
    r"^(?:北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|"
    r"湖南|广东|海南|四川|贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门)$|"
    r"^在\S*(?:会议|大会|会)上?$",  # ——在…人民代表大会第四次会议上 (a speech, not a source)
)
