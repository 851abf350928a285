"""The diagnosis rules, table by table."""

import pytest
from django.utils import translation

from health.diagnosis import LEVEL_GAP, RULES, diagnose, level_gaps
from health.statements import TOPICS, Topic

INTENT, A, C = Topic.INTENTION, Topic.ACTION, Topic.CONNECTION


def profile(**scores):
    base = {t: 3.5 for t in TOPICS}
    base.update({Topic(k): v for k, v in scores.items()})
    return base


@pytest.mark.parametrize(
    "means, expected",
    [
        # sham: intention strong, action weak, a clear gap
        (profile(intention=4.2, action=2.4, connection=3.0), {"sham"}),
        (profile(intention=3.5, action=2.5, connection=3.5), {"sham"}),
        # border: intention just below strong
        (profile(intention=3.4, action=2.0, connection=3.0), set()),
        # border: action just above weak
        (profile(intention=4.5, action=3.0, connection=3.6), set()),
        # gap too small even though both thresholds hold
        (profile(intention=3.5, action=2.9, connection=3.6, mandate=3.5), set()),
        # island: action strong, connection weak
        (profile(intention=3.0, action=4.1, connection=2.2), {"island"}),
        (profile(intention=3.6, action=3.5, connection=2.5), {"island"}),
        # both weak: no stagnation pattern, just weak
        (profile(intention=2.0, action=2.0, connection=2.0), set()),
        # everything strong: nothing to report
        (profile(intention=4.5, action=4.5, connection=4.5), set()),
        # trust, mandate, phase questions
        (profile(trust=2.5), {"low_trust"}),
        (profile(trust=2.6), set()),
        (profile(mandate=1.8), {"unclear_mandate"}),
        (profile(in_step=2.0), {"out_of_step"}),
        (profile(work_structure=2.4), {"weak_structure"}),
        (profile(invitation=2.1), {"weak_invitation"}),
        (profile(ambition=1.5), {"no_room"}),
        (profile(intention=4.4, action=2.2, connection=3.0, trust=2.0), {"sham", "low_trust"}),
        # missing data (too few answers) never fires a rule
        ({t: None for t in TOPICS}, set()),
        ({**profile(intention=4.5), A: None}, set()),
    ],
)
def test_rules_fire_on_everyone_together(means, expected):
    assert {f.key for f in diagnose(means, {})} == expected


@pytest.mark.parametrize(
    "levels, seen_by, not_seen_by",
    [
        # the board sees no problem, managers and professionals see sham collaboration
        (
            {
                "board": profile(intention=4.6, action=3.6),
                "manager": profile(intention=4.3, action=2.5),
                "professional": profile(intention=3.8, action=1.8),
            },
            ["Manager", "Professional"],
            ["Board member"],
        ),
        ({"professional": profile(intention=4.0, action=2.0)}, ["Professional"], []),
        (
            {
                "board": profile(intention=4.0, action=2.5),
                "manager": profile(intention=4.0, action=2.0),
            },
            ["Board member", "Manager"],
            [],
        ),
    ],
)
def test_a_finding_names_the_levels_that_see_it_and_those_that_do_not(
    levels, seen_by, not_seen_by, settings
):
    settings.LANGUAGE_CODE = "en"

    with translation.override("en"):
        findings = {f.key: f for f in diagnose(profile(intention=3.5, action=3.5), levels)}
        assert [str(x) for x in findings["sham"].seen_by] == seen_by
        assert [str(x) for x in findings["sham"].not_seen_by] == not_seen_by
        assert findings["sham"].overall is False


@pytest.mark.parametrize(
    "levels, topics",
    [
        ({"board": profile(action=4.0), "professional": profile(action=3.0)}, ["action"]),
        ({"board": profile(action=4.0), "professional": profile(action=3.1)}, []),
        (
            {
                "board": profile(intention=4.5, connection=2.0),
                "manager": profile(intention=3.4, connection=3.2),
            },
            ["intention", "connection"],
        ),
        ({"board": profile(action=5.0)}, []),  # one level alone cannot differ
        ({"board": profile(action=4.5), "manager": {t: None for t in TOPICS}}, []),
    ],
)
def test_levels_that_differ_on_a_driving_force_are_named(levels, topics):
    gaps = level_gaps(levels)
    assert [str(g["topic"]).lower() for g in gaps] == [str(Topic(t).label).lower() for t in topics]
    findings = {f.key for f in diagnose(profile(), levels)}
    assert ("levels_differ" in findings) == bool(topics)


def test_level_gap_reports_the_highest_and_lowest_level():
    gaps = level_gaps(
        {
            "board": profile(action=4.0),
            "manager": profile(action=3.5),
            "professional": profile(action=2.0),
        }
    )
    assert gaps[0]["high_mean"] == 4.0 and gaps[0]["low_mean"] == 2.0
    assert LEVEL_GAP == 1.0


def test_every_rule_has_a_name_a_meaning_and_ways_out():
    keys = [rule.key for rule in RULES]
    assert len(keys) == len(set(keys))
    for rule in RULES:
        assert str(rule.name) and str(rule.meaning) and rule.ways_out and rule.conditions
    stagnations = {rule.key for rule in RULES if rule.stagnation}
    assert stagnations == {"sham", "island"}
