"""Datasette metadata for a junheng corpus: Chinese titles and descriptions, and canned queries
(comparison table, evidence for a cell, measures of a region, full-text search) written as SQL
over the stored tables, so nothing is copied."""

from __future__ import annotations

from typing import Any

from junheng.corpus.store import COUNTED
from junheng.models.taxonomy import Taxonomy

DATABASE = "corpus"

TABLES: dict[str, tuple[str, str, dict[str, str]]] = {
    "documents": (
        "文档",
        "每篇报道一行：标题、发布日期、来源、网址或文件路径和正文。",
        {
            "id": "文档编号",
            "content_hash": "正文哈希（去重用）",
            "location": "文件路径或网址",
            "url": "原文网址",
            "kind": "输入类型（txt/html/jsonl）",
            "title": "标题",
            "published": "发布日期",
            "source": "来源",
            "author": "作者",
            "region_hint": "输入中给出的地区提示",
            "main_adcode": "文档主要地区的行政区划代码",
            "text": "正文",
            "ingested_at": "入库时间",
            "analysed_with": "分析所用的流水线版本",
            "removed": "分析前删除的注入垃圾（JSON）",
            "relevant": "是否与义务教育相关（0 = 无关，不计入分析）",
            "relevance_reason": "判为无关的原因",
            "duplicate_of": "转载副本所指向的原文编号（副本不重复计数）",
            "url_canonical": "规范化网址",
        },
    ),
    "sentences": (
        "句子",
        "每个句子一行，带地区归属和检索用的分词文本；搜索框按 junheng 的分词切分查询"
        "（如“县管校聘改革”切为 县管校聘 + 改革）。boilerplate = 1 的是页面框架，不计入分析。",
        {
            "id": "句子编号",
            "document_id": "所属文档",
            "idx": "文档中的序号",
            "char_start": "起始字符位置",
            "char_end": "结束字符位置",
            "text": "句子",
            "boilerplate": "是否页面框架（1 = 是）",
            "boilerplate_reason": "判为页面框架的原因",
            "adcode": "归属地区的行政区划代码（见 regions 表）",
            "region_confidence": "地区归属置信度",
            "region_method": "地区归属方法",
            "instrument": "政策工具类型",
            "index_text": "检索用的分词文本（jieba 搜索模式，空格分隔）",
        },
    ),
    "sentence_regions": (
        "句子地区",
        "句子所代表的地区（一句可属多个地区，如名单、分述句）；比较表中每个地区各计一次。",
        {
            "sentence_id": "句子",
            "document_id": "所属文档",
            "adcode": "地区的行政区划代码（见 regions 表）",
            "confidence": "归属置信度",
            "method": "归属方法",
            "rank": "次序（0 = 主要地区，即 sentences.adcode）",
        },
    ),
    "measures": (
        "举措",
        "句子中识别出的举措（如 县管校聘、集团化办学）及其类别。",
        {
            "id": "编号",
            "document_id": "所属文档",
            "sentence_id": "所属句子",
            "term": "原文写法",
            "canonical": "规范名称",
            "category": "所属策略（分类体系编号）",
            "char_start": "起始字符位置",
            "char_end": "结束字符位置",
            "method": "识别方式（lexicon 词典 / quoted 引号名称 / verb-object 动宾短语）",
            "figures": "关联的数字（JSON）",
        },
    ),
    "sentence_strategies": (
        "句子策略编码",
        "句子与策略的对应及得分；得分 ≥ 阈值的计入比较表。",
        {
            "sentence_id": "句子",
            "document_id": "文档",
            "strategy": "策略编号",
            "score": "得分",
            "method": "编码方法",
        },
    ),
    "document_strategies": (
        "文档策略编码",
        "文档层面的策略得分。",
        {"document_id": "文档", "strategy": "策略编号", "score": "得分", "method": "编码方法"},
    ),
    "regions": (
        "地区",
        "语料中出现的行政区划。",
        {
            "adcode": "行政区划代码",
            "province": "省",
            "city": "市",
            "county": "县（区、市）",
            "level": "级别",
            "name": "名称",
        },
    ),
    "document_regions": (
        "文档地区",
        "每篇文档报道的地区，按句子数排序。",
        {"document_id": "文档", "adcode": "行政区划代码", "rank": "排序"},
    ),
    "user_lexicon": (
        "用户词表",
        "用 junheng lexicon add 为本语料添加的举措词。",
        {
            "term": "词",
            "category": "策略",
            "gloss": "释义",
            "variants": "变体（| 分隔）",
            "source": "来源",
            "added_at": "添加时间",
        },
    ),
    "meta": ("元数据", "语料库的内部设置。", {"key": "键", "value": "值"}),
}


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def strategy_names_cte(taxonomy: Taxonomy) -> str:
    """``strategy_names(id, 简称, 名称)`` as a VALUES table built from the taxonomy."""
    values = ", ".join(
        f"({_lit(s)}, {_lit(taxonomy.short_name(s))}, {_lit(taxonomy.strategy(s).name_zh)})"
        for s in taxonomy.strategy_ids
    )
    return f"strategy_names(id, 简称, 名称) as (values {values})"


PLACE = (
    "case when coalesce(r.county, '') != '' then r.county"
    " when coalesce(r.city, '') != '' then r.city || '（市级）'"
    " else r.province || '（省级）' end"
)
# a row of the county table: a county, or the city-/province-level sentences of a city/province
ROW_MATCH = (
    "(sr.adcode = p.region or r.county = p.region"
    " or (coalesce(r.county, '') = '' and r.city = p.region)"
    " or (coalesce(r.county, '') = '' and coalesce(r.city, '') = '' and r.province = p.region))"
)
# the measures of sentence ``s`` as written, joined with 、
TERMS = (
    "(select replace(group_concat(distinct m.term), ',', '、') from measures m"
    " where m.sentence_id = s.id)"
)
REGION_PARAM = "trim(replace(replace(:region, '（市级）', ''), '（省级）', ''))"


def comparison_sql(taxonomy: Taxonomy, threshold: float) -> str:
    """County × strategy sentence counts, the same numbers as ``junheng compare --by county``."""
    cols = ",\n  ".join(
        f"count(distinct case when c.strategy = {_lit(s)} then c.text end)"
        f" as {_ident(taxonomy.short_name(s))}"
        for s in taxonomy.strategy_ids
    )
    return f"""with {strategy_names_cte(taxonomy)},
coded as (
  select distinct s.id as sid, s.text, s.document_id as did, sr.adcode, ss.strategy
  from sentence_strategies ss
  join sentences s on s.id = ss.sentence_id
  join documents d on d.id = s.document_id
  join sentence_regions sr on sr.sentence_id = s.id
  where {COUNTED} and ss.score >= {threshold}
    and ss.strategy in (select id from strategy_names)
)
select {PLACE} as 地区, c.adcode as 代码,
  count(distinct c.did) as 文档,
  {cols},
  count(distinct c.text) as 合计
from coded c join regions r on r.adcode = c.adcode
group by c.adcode
order by 合计 desc, r.province, r.city, r.county"""


def evidence_sql(taxonomy: Taxonomy, threshold: float) -> str:
    """The sentences behind one comparison cell (region name or code, strategy id or name)."""
    return f"""with {strategy_names_cte(taxonomy)},
p(region, strategy) as (
  select {REGION_PARAM},
    (select id from strategy_names where trim(:strategy) in (id, 简称, 名称))
)
select d.published as 日期,
  coalesce(nullif(r.county, ''), nullif(r.city, ''), r.province) as 地区,
  s.text as 句子,
  {TERMS} as 举措,
  d.title as 标题,
  coalesce(nullif(d.url, ''), d.location) as 来源,
  (select round(max(ss.score), 2) from sentence_strategies ss
    where ss.sentence_id = s.id and ss.strategy = p.strategy) as 得分
from p, sentences s
join documents d on d.id = s.document_id
join sentence_regions sr on sr.sentence_id = s.id
join regions r on r.adcode = sr.adcode
where {COUNTED} and p.region != '' and {ROW_MATCH}
  and exists (select 1 from sentence_strategies ss where ss.sentence_id = s.id
              and ss.strategy = p.strategy and ss.score >= {threshold})
group by s.text
order by d.published desc, s.id"""


def region_measures_sql(taxonomy: Taxonomy) -> str:
    """Measures reported for a region and the places inside it."""
    return f"""with {strategy_names_cte(taxonomy)},
p(region) as (select {REGION_PARAM})
select m.canonical as 举措, sn.简称 as 类别, count(distinct m.id) as 提及,
  count(distinct m.document_id) as 文档,
  replace(group_concat(distinct coalesce(nullif(r.county, ''), nullif(r.city, ''), r.province)),
    ',', '、') as 地区,
  min(d.published) as 首见, max(d.published) as 末见,
  replace(group_concat(distinct m.method), ',', '、') as 识别方式
from p, measures m
join sentences s on s.id = m.sentence_id
join documents d on d.id = s.document_id
join sentence_regions sr on sr.sentence_id = s.id
join regions r on r.adcode = sr.adcode
left join strategy_names sn on sn.id = m.category
where {COUNTED} and p.region != ''
  and (sr.adcode = p.region or r.county = p.region or r.city = p.region or r.province = p.region)
group by m.canonical
order by 提及 desc, 文档 desc, 举措"""


def search_sql(taxonomy: Taxonomy, threshold: float) -> str:
    """Full-text search of the counted sentences; ``junheng_fts`` segments the query."""
    return f"""with {strategy_names_cte(taxonomy)}
select s.text as 句子,
  coalesce(nullif(r.county, ''), nullif(r.city, ''), r.province, '未归属') as 地区,
  (select replace(group_concat(distinct sn.简称), ',', '、') from sentence_strategies ss
    join strategy_names sn on sn.id = ss.strategy
    where ss.sentence_id = s.id and ss.score >= {threshold}) as 策略,
  {TERMS} as 举措,
  d.title as 标题, d.published as 日期,
  coalesce(nullif(d.url, ''), d.location) as 来源
from sentences_fts
join sentences s on s.id = sentences_fts.rowid
join documents d on d.id = s.document_id
left join regions r on r.adcode = s.adcode
where sentences_fts match junheng_fts(:q) and {COUNTED}
order by bm25(sentences_fts), d.published desc
limit 500"""


def canned_queries(taxonomy: Taxonomy, threshold: float) -> dict[str, dict[str, Any]]:
    return {
        "comparison": {
            "title": "比较表：地区 × 策略",
            "description": (
                f"每个县（区、市）带有各策略的正文句子数（得分 ≥ {threshold}），与 junheng compare "
                "--by county 一致；只有市级或省级归属的句子记在“（市级）”“（省级）”行。"
                "点击数字查看证据句子。"
            ),
            "sql": comparison_sql(taxonomy, threshold),
            "hide_sql": True,
        },
        "evidence": {
            "title": "证据：某地区某策略的句子",
            "description": (
                "region 填地区名称或代码（如 新田县、431128），strategy 填策略编号或中文名"
                "（如 teacher_allocation 或 教师配置）。句数等于比较表中对应单元格的数字。"
            ),
            "sql": evidence_sql(taxonomy, threshold),
            "params": ["region", "strategy"],
            "hide_sql": True,
        },
        "region_measures": {
            "title": "某地区的举措",
            "description": (
                "region 填省、市或县名（如 湖南省、新田县）：该地区及其下辖地区报道的举措，"
                "含提及次数、文档数和首见、末见日期。"
            ),
            "sql": region_measures_sql(taxonomy),
            "params": ["region"],
            "hide_sql": True,
        },
        "search": {
            "title": "全文检索",
            "description": (
                "q 填检索词，按 junheng 的分词切分后逐词匹配（全部词都要出现），"
                "如 县管校聘、集团化办学、双减。只检索正文句子。"
            ),
            "sql": search_sql(taxonomy, threshold),
            "params": ["q"],
            "hide_sql": True,
        },
    }


def _directory(database: str) -> str:
    """The database page's Chinese guide to its queries and tables."""
    links = "、".join(
        f'<a href="/{database}/{name}">{title}</a>' for name, (title, _, _) in TABLES.items()
    )
    return (
        "<p>文档、句子、举措、策略编码和地区。常用表格见下面的“Queries”："
        "比较表、证据、某地区的举措、全文检索。</p>"
        f"<p>数据表：{links}。句子表的搜索框按 junheng 的分词检索。</p>"
    )


def metadata(taxonomy: Taxonomy, threshold: float, database: str = DATABASE) -> dict[str, Any]:
    """The Datasette metadata for a corpus served as ``database``."""
    tables: dict[str, Any] = {
        name: {"title": f"{title}（{name}）", "description": desc, "columns": columns}
        for name, (title, desc, columns) in TABLES.items()
    }
    tables["documents"]["label_column"] = "title"
    tables["regions"]["label_column"] = "name"
    tables["sentences"]["fts_table"] = "sentences_fts"
    tables["sentences"]["fts_pk"] = "id"
    for hidden in (
        "_sqlite_migrations",
        "crawl_runs",
        "crawl_frontier",
        "crawl_pages",
        "crawl_versions",
        "crawl_fetches",
        "crawl_signatures",
        "crawl_bands",
        "crawl_doc_links",
    ):
        tables[hidden] = {"hidden": True}
    return {
        "title": "均衡 · 义务教育均衡发展语料库",
        "description_html": (
            "<p>县域义务教育均衡发展报道的语料库（只读）。先看"
            f'<a href="/{database}/comparison">比较表</a>，点击数字看证据句子；'
            f'<a href="/{database}/search">全文检索</a>按 junheng 的分词切分检索词；'
            f'<a href="/{database}/region_measures">某地区的举措</a>列出一个地区报道的举措。</p>'
        ),
        "databases": {
            database: {
                "title": "语料库",
                "description_html": _directory(database),
                "tables": tables,
                "queries": canned_queries(taxonomy, threshold),
            }
        },
    }
