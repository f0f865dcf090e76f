import pytest
import yaml

from junheng.errors import TaxonomyError
from junheng.models.taxonomy import load_taxonomy, parse_taxonomy
from tests.conftest import ROOT, SHARED

IDS = [
    "governance_accountability",
    "funding_guarantee",
    "school_standardization",
    "layout_and_capacity",
    "teacher_allocation",
    "teacher_support_development",
    "school_collaboration",
    "digital_resource_sharing",
    "enrollment_admission",
    "access_and_aid",
    "vulnerable_groups",
    "quality_teaching",
    "double_reduction",
]


def test_shipped_taxonomy_has_the_contract_ids():
    tax = load_taxonomy()
    assert tax.strategy_ids == IDS
    assert tax.instrument_ids == [
        "mandate",
        "inducement",
        "capacity_building",
        "system_changing",
        "hortatory",
    ]
    assert all(tax.short_name(i) for i in IDS)


@pytest.mark.skipif(not (SHARED / "spec" / "taxonomy.yaml").exists(), reason="needs ../shared")
def test_package_copy_matches_the_spec():
    shipped = (ROOT / "junheng" / "data" / "taxonomy.yaml").read_text(encoding="utf-8")
    assert shipped == (SHARED / "spec" / "taxonomy.yaml").read_text(encoding="utf-8")


def test_unknown_ids_are_errors_naming_the_allowed_ones():
    tax = load_taxonomy()
    with pytest.raises(TaxonomyError, match="double_reduction"):
        tax.strategy("teacher_rotation")
    with pytest.raises(TaxonomyError):
        tax.check_strategies(["quality_teaching", "nope"])


def test_invalid_files_are_rejected(tmp_path):
    with pytest.raises(TaxonomyError):
        parse_taxonomy({"strategies": "x"})
    data = yaml.safe_load((ROOT / "junheng" / "data" / "taxonomy.yaml").read_text(encoding="utf-8"))
    data["strategies"][0]["confusable_with"] = [{"id": "no_such_strategy", "note": ""}]
    with pytest.raises(TaxonomyError, match="no_such_strategy"):
        parse_taxonomy(data)
    bad = tmp_path / "t.yaml"
    bad.write_text("strategies: [", encoding="utf-8")
    with pytest.raises(TaxonomyError):
        load_taxonomy(bad)


def test_lexicon_categories_are_taxonomy_ids():
    from junheng.nlp.lexicon import builtin_lexicon

    tax = load_taxonomy()
    assert {e.category for e in builtin_lexicon()} <= set(tax.strategy_ids)
