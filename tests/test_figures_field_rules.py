"""The field lexicon as named rules registered in order (figures/field_rules.py)."""
from __future__ import annotations

import pytest

from extraction.figures import field_rules
from extraction.figures.field_rules import FIELD_RULES, NULL, Pair, field_rule, lexicon_opinion
from extraction.figures.fields import PairContext, lexicon_field


def ctx(item, unit, clause="", before=""):
    return PairContext(item, unit, before=before or clause, clause=clause)


def test_rules_are_tried_in_registration_order_and_the_first_opinion_wins():
    names = list(FIELD_RULES)
    assert names[:3] == ["share_or_rate", "change_from_last_year", "fees"] and names[-1] == "generic_information"
    # 行政复议 with a share: the share rule comes first.
    assert lexicon_opinion(ctx("行政复议", "%")) == NULL
    assert lexicon_opinion(ctx("行政复议", "件")) == "review_cases"
    # Each rule on its own: only the ones that know the pair answer.
    pair = Pair.of(ctx("新闻发布会", "场"))
    answers = {name: rule(pair) for name, rule in FIELD_RULES.items() if rule(pair) is not None}
    assert answers == {"press_conferences": "press_conferences"}


def test_a_rule_registered_by_name_is_asked_after_the_others(monkeypatch):
    monkeypatch.setattr(field_rules, "FIELD_RULES", dict(FIELD_RULES))
    unknown = ctx("志愿服务活动", "次")
    assert lexicon_field(unknown) is None

    @field_rule("volunteering")
    def volunteering(p):
        return "trainings" if "志愿服务" in p.item else None

    assert list(field_rules.FIELD_RULES)[-1] == "volunteering"
    assert lexicon_field(unknown) == "trainings"
    assert lexicon_field(ctx("新闻发布会", "场")) == "press_conferences"  # the earlier rules still first
    with pytest.raises(ValueError, match="registered already"):
        field_rule("fees")(lambda p: None)


def test_the_lexicon_stays_importable_from_fields():
    from extraction.figures import fields
    assert fields.lexicon_opinion is lexicon_opinion and fields._lexicon is lexicon_opinion
    assert fields.NULL == NULL and fields.WEBSITE is field_rules.WEBSITE
