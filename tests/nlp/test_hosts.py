"""The place a page's site names (pinyin host labels)."""

from junheng.nlp.hosts import HostPlaces
from tests.conftest import analyse_text


def test_host_labels_in_pinyin_name_their_place(gazetteer):
    hosts = HostPlaces(gazetteer)
    assert hosts.place("http://www.lintong.gov.cn/ltzx/1.html").name == "临潼区"
    assert hosts.place("https://changsha.baogaosu.com/xinwen/2").name == "长沙市"  # not 长沙县
    assert hosts.place("http://jyj.yunhe.gov.cn/a.html") is None  # 云和 or 运河: unresolved
    zhejiang = gazetteer.find_region("浙江省")
    assert hosts.place("http://jyj.yunhe.gov.cn/a.html", zhejiang).name == "云和县"
    assert hosts.place("http://www.xinhuanet.com/edu/1.htm") is None
    assert hosts.place("not a url") is None
    assert hosts.place(None) is None


def test_the_site_gives_the_place_when_the_text_names_none(pipeline):
    text = (
        "代王街道开展校外培训机构排查\n一是召开校外培训机构排查专题会。\n二是对主街道排查全覆盖。\n"
    )
    doc = analyse_text(pipeline, text, url="http://www.lintong.gov.cn/ltzx/jddt/1.html")
    assert doc.regions[0].name == "临潼区"
    assert analyse_text(pipeline, text).regions == ()


def test_a_provincial_site_is_the_province(gazetteer):
    hosts = HostPlaces(gazetteer)
    assert hosts.place("https://www.henan.gov.cn/2022/09-02/1.html").name == "河南省"  # not 河南县
    assert hosts.place("http://jyt.hebei.gov.cn/col/1.html").name == "河北省"
