"""The measure-tagger component: which of its spans name a measure."""

import pytest

from junheng.nlp.tagging import names


@pytest.mark.parametrize("name", ["建设", "学校", "學校", "改造", "5所", "2个", "1.2万元", "30%"])
def test_short_words_and_bare_counts_name_no_measure(name):
    assert not names(name)


@pytest.mark.parametrize("name", ["四点半", "接收随迁子女", "干部教师包保", "名师送教", "强镇筑基"])
def test_longer_spans_name_measures(name):
    assert names(name)
