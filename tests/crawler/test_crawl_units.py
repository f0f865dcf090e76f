"""Crawler pieces without a crawl: URLs, sources files, link kinds, near duplicates, relevance,
schedules and the lock."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from junheng.crawler import dedup
from junheng.crawler.canon import canonical_url, in_domains, is_binary_link, is_private_host
from junheng.crawler.lock import CrawlLocked, crawl_lock
from junheng.crawler.relevance import judge
from junheng.crawler.schedule import ScheduleError, install, parse_weekly, plan
from junheng.crawler.sources import SourcesError, load_sources, quick_sources


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "http://jyj.example.cn/news/t20240301_1.html",
            "https://jyj.example.cn/news/t20240301_1.html",
        ),
        ("http://jyj.example.cn/news/index.html", "http://jyj.example.cn/news/"),
        ("http://jyj.example.cn/news/", "http://jyj.example.cn/news"),
        ("http://JYJ.example.cn:80/news/default.htm", "http://jyj.example.cn/news"),
        ("http://a.cn/x.html?utm_source=wx&spm=1.2&from=timeline&id=3", "http://a.cn/x.html?id=3"),
        ("http://a.cn/x.html?b=2&a=1#comments", "http://a.cn/x.html?a=1&b=2"),
    ],
)
def test_canonical_urls_fold_variants(a, b):
    assert canonical_url(a) == canonical_url(b)


def test_canonical_urls_keep_real_differences():
    assert canonical_url("http://a.cn/x.html?id=3") != canonical_url("http://a.cn/x.html?id=4")
    assert canonical_url("http://a.cn:8080/x") != canonical_url("http://a.cn/x")


def test_hosts_and_links():
    assert in_domains("www.jyj.gov.cn", ("jyj.gov.cn",)) and not in_domains(
        "evil-jyj.gov.cn", ("jyj.gov.cn",)
    )
    assert is_binary_link("http://a.cn/files/plan.PDF") and is_binary_link("http://a.cn/p/1.jpg")
    assert not is_binary_link("http://a.cn/art/2024/3/1/art_1_2.html")
    for host in (
        "127.0.0.1",
        "localhost",
        "10.2.3.4",
        "192.168.1.1",
        "169.254.1.1",
        "::1",
        "fd00::1",
    ):
        assert is_private_host(host), host
    assert not is_private_host("8.8.8.8")


def _sources(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(text, "utf-8")
    return path


GOOD = """
[crawl]
delay = 1.5

[[source]]
name = "wugang"
start_urls = ["https://www.wugang.gov.cn/jyj/tzgg/index.html"]
allowed_domains = ["wugang.gov.cn"]
deny = ['/zfxxgk/']
region = { province = "湖南省", city = "邵阳市", county = "武冈市" }
max_pages = 50
"""


def test_sources_file(tmp_path):
    ss = load_sources(_sources(tmp_path, GOOD), overrides={"timeout": 10})
    (src,) = ss.sources
    assert src.region_hint == "湖南省邵阳市武冈市" and src.max_pages == 50
    assert ss.options.delay == 1.5 and ss.options.timeout == 10
    assert not src.allow_private and src.follow_pagination
    base = "https://www.wugang.gov.cn/jyj/tzgg/index.html"
    kind = src.link_kind
    assert (
        kind("https://www.wugang.gov.cn/jyj/tzgg/202403/t20240301_123.html", "通知", base)
        == "article"
    )
    assert kind("https://www.wugang.gov.cn/jyj/tzgg/index_1.html", "2", base) == "list"
    assert kind("https://www.wugang.gov.cn/jyj/tzgg/more.html", "下一页", base) == "list"
    assert kind("https://www.wugang.gov.cn/", "首页", base) is None
    assert kind("https://www.wugang.gov.cn/zfxxgk/t20240301_9.html", "", base) is None  # denied
    assert kind("https://www.wugang.gov.cn/jyj/files/t20240301_1.pdf", "", base) is None
    assert kind("https://other.cn/jyj/tzgg/t20240301_1.html", "", base) is None  # off-site
    assert kind("ftp://www.wugang.gov.cn/t20240301_1.html", "", base) is None
    assert ss.fingerprint == load_sources(_sources(tmp_path, GOOD)).fingerprint


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[source]]\nname='a'\n", "start_urls"),
        ("[[source]]\nname='a'\nstart_urls=['file:///etc/passwd']\n", "not an http"),
        (
            "[[source]]\nname='a'\nstart_urls=['http://a.cn/']\nallowed_domains=['b.cn']\n",
            "outside",
        ),
        ("[[source]]\nname='a'\nstart_urls=['http://a.cn/']\nallow=['(']\n", "invalid"),
        ("[[source]]\nname='a'\nstart_urls=['http://a.cn/']\nspeed=3\n", "unknown key"),
        ("[crawl]\ndelay='fast'\n[[source]]\nname='a'\nstart_urls=['http://a.cn/']\n", "number"),
        (
            "[[source]]\nname='a'\nstart_urls=['http://a.cn/']\n[[source]]\nname='a'\nstart_urls=['http://a.cn/']\n",
            "duplicate",
        ),
        ("title = 'x'\n", "unknown table"),
        ("[[source]\n", "invalid TOML"),
    ],
)
def test_bad_sources_files_are_explained(tmp_path, text, message):
    with pytest.raises(SourcesError, match=message):
        load_sources(_sources(tmp_path, text))


def test_quick_mode_sources():
    ss = quick_sources(["http://jyj.example.cn/tzgg/index.html"], max_pages=7, region_hint="武冈市")
    (src,) = ss.sources
    assert src.allowed_domains == ("jyj.example.cn",) and src.max_pages == 7
    assert src.region_hint == "武冈市" and not src.allow_private
    with pytest.raises(SourcesError):
        quick_sources([])


REPORT = (
    "长兴县教育局深入推进县管校聘管理改革，2023年全县交流轮岗教师312人，其中骨干教师占比达到两成以上。"
    "同时深化集团化办学，组建教育集团12个，覆盖城乡学校46所，推动县域义务教育优质均衡发展。"
)


def test_minhash_finds_copies_not_neighbours():
    a = dedup.minhash(REPORT)
    copy = dedup.minhash("本网讯　" + REPORT.replace("两成以上", "两成") + "（责任编辑：王芳）")
    other = dedup.minhash(
        REPORT.replace("长兴县", "于都县").replace("312", "98")[:60]
        + "学校食堂改造工程全面完成，惠及学生三千人。"
    )
    assert a is not None and dedup.similarity(a, copy) >= dedup.THRESHOLD
    assert set(dedup.buckets(a)) & set(dedup.buckets(copy))
    assert dedup.similarity(a, other) < dedup.THRESHOLD
    assert dedup.minhash("太短") is None and dedup.minhash(REPORT) == a  # stable


@pytest.mark.parametrize(
    ("title", "text", "reason"),
    [
        ("长兴县推进县管校聘改革", REPORT, "compulsory-education"),
        (
            "A股三大指数收涨",
            "上证指数涨1%，深证成指涨2%，创业板指涨3%，两市成交额突破万亿元，券商板块领涨，北向资金净买入，基金净值回升，理财收益率上行。"
            * 2,
            "finance",
        ),
        (
            "某公司诚聘销售代表",
            "岗位职责：负责产品推广。任职要求：大专以上学历。薪资待遇：底薪加提成，五险一金，周末双休。请将简历发送至邮箱，通过者通知面试。"
            * 2,
            "job-ad",
        ),
        ("网站地图", "首页 政务公开 政务服务 互动交流 " * 10, "site-page"),
        ("通知", "本周天气晴好。", "site-page"),
        (
            "我校举办研究生学术论坛",
            "大学研究生院举办学术论坛，本科生和硕士研究生、博士研究生参加，高校专家作报告，考研经验分享。"
            * 2,
            "other-level",
        ),
    ],
)
def test_relevance(pipeline, title, text, reason):
    from junheng.records import SourceDocument

    doc = pipeline.analyse(SourceDocument("t.html", text, kind="html", title=title))
    verdict = judge(doc)
    assert verdict.reason == reason
    assert verdict.relevant == (reason == "compulsory-education")


def test_weekly_times():
    assert parse_weekly("Mon 03:00").cron == "0 3 * * 1"
    assert parse_weekly("周日 22:30").cron == "30 22 * * 0"
    assert parse_weekly("friday 7:05").calendar == "Fri *-*-* 07:05:00"
    for bad in ("Mon", "Someday 03:00", "Mon 24:00", "Mon 3:75"):
        with pytest.raises(ScheduleError):
            parse_weekly(bad)


def _fake_tool(folder: Path, name: str, script: str) -> None:
    path = folder / name
    path.write_text("#!/bin/sh\n" + script, "utf-8")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


def test_schedule_installs_into_crontab_once(tmp_path, monkeypatch):
    sources = _sources(tmp_path, GOOD)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    store = tmp_path / "crontab.txt"
    store.write_text("15 1 * * * backup.sh\n", "utf-8")
    _fake_tool(
        bin_dir, "crontab", f'if [ "$1" = "-l" ]; then cat {store}; else cat > {store}; fi\n'
    )
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    schedule = plan("Mon 03:00", sources, tmp_path / "corpus.db")
    assert schedule.cron_line.startswith("0 3 * * 1 ")
    assert f"--sources {sources.resolve()}" in schedule.cron_line
    assert f">> {tmp_path.resolve() / 'corpus-crawl.log'} 2>&1" in schedule.cron_line
    assert install(schedule).kind == "crontab"
    assert install(plan("Tue 04:00", sources, tmp_path / "corpus.db")).kind == "crontab"
    lines = store.read_text("utf-8").splitlines()
    assert lines[0] == "15 1 * * * backup.sh" and len(lines) == 2
    assert lines[1].startswith("0 4 * * 2 ") and lines[1].endswith(f"# {schedule.name}")


def test_schedule_falls_back_to_a_systemd_timer(tmp_path, monkeypatch):
    sources = _sources(tmp_path, GOOD)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "calls.txt"
    _fake_tool(bin_dir, "systemctl", f'echo "$@" >> {calls}\n')
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    schedule = plan("Sun 22:30", sources, tmp_path / "corpus.db", python="/opt/py/bin/python")
    done = install(schedule)
    assert done.kind == "systemd"
    timer = Path(done.where).read_text("utf-8")
    assert "OnCalendar=Sun *-*-* 22:30:00" in timer and "Persistent=true" in timer
    service = Path(done.where).with_suffix(".service").read_text("utf-8")
    assert "/opt/py/bin/python -m junheng crawl" in service
    assert f"enable --now {schedule.name}.timer" in calls.read_text("utf-8")


def test_schedule_without_a_scheduler_says_what_to_add(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    schedule = plan("Mon 03:00", _sources(tmp_path, GOOD), tmp_path / "c.db")
    with pytest.raises(ScheduleError, match="add this line"):
        install(schedule)


def test_crawl_lock_is_exclusive_and_released(tmp_path):
    db = tmp_path / "c.db"
    with crawl_lock(db), pytest.raises(CrawlLocked, match=f"pid {os.getpid()}"), crawl_lock(db):
        pass
    with crawl_lock(db):
        pass


def test_article_links_found_by_list_structure_when_no_url_shape_matches():
    from scrapy.http import HtmlResponse

    from junheng.crawler.sources import quick_sources
    from junheng.crawler.spider import links

    items = "".join(
        f'<li><a href="/zwgk/jyxw/{k}">新田县推进县管校聘改革第{k}批教师交流</a>'
        f"<span>2024-03-0{k}</span></li>"
        for k in range(1, 6)
    )
    html = (
        '<html><body><div class="nav"><a href="/">网站首页</a><a href="/zwgk/">政务公开</a>'
        '<a href="/about/">关于我们联系我们</a></div>'
        f'<ul class="news-list">{items}</ul>'
        '<div class="page"><a href="/zwgk/jyxw/?p=2">下一页</a></div></body></html>'
    )
    url = "https://jyj.example.gov.cn/zwgk/jyxw/"
    response = HtmlResponse(url, body=html.encode("utf-8"), encoding="utf-8")
    (source,) = quick_sources([url]).sources
    found = dict(links(response, source))
    articles = sorted(u for u, kind in found.items() if kind == "article")
    assert articles == [f"https://jyj.example.gov.cn/zwgk/jyxw/{k}" for k in range(1, 6)]
    assert "https://jyj.example.gov.cn/about/" not in found
