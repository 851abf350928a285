import pytest

from interests import services
from interests.models import Interest, Theme
from tests import factories

MARKER_SECRET = "GEHEIM-MARKER-7f3a"  # in a facilitator-only interest of another partner
MARKER_ANON = "ANONIEM-MARKER-91bc"  # in an anonymous interest of another partner
OTHER_PARTNER = "Woningcorporatie Zuiderlicht"


def make_interest(
    round,
    participant,
    statement="Betaalbare woningen",
    *,
    tier=Interest.Tier.NAMED,
    weight=Interest.Weight.IMPORTANT,
    submit=True,
    **data,
):
    interest, _created = services.interest_save(
        round=round,
        partner=participant.partner,
        by=participant,
        data={"statement": statement, "weight": weight, "tier": tier, **data},
        submit=submit,
    )
    return interest


@pytest.fixture
def open_round(trajectory, facilitator):
    round = services.round_create(trajectory=trajectory, title="Eerste ronde", by=facilitator)
    return services.round_open(round=round, by=facilitator)


@pytest.fixture
def other_participant(trajectory):
    partner = factories.make_partner(trajectory, OTHER_PARTNER, kind="housing")
    return factories.make_participant(partner, "Bram Zuiderlicht")


@pytest.fixture
def secrets_round(open_round, participant, other_participant, facilitator):
    """A revealed round: the participant's partner has one named interest; the other partner one
    facilitator-only and one anonymous interest, all three in one classified theme."""
    own = make_interest(open_round, participant, "Eigen belang van de gemeente")
    secret = make_interest(
        open_round, other_participant, f"Verborgen {MARKER_SECRET}", tier=Interest.Tier.FACILITATOR
    )
    anon = make_interest(
        open_round, other_participant, f"Gedeeld {MARKER_ANON}", tier=Interest.Tier.ANONYMOUS
    )
    services.round_reveal(round=open_round, by=facilitator)
    theme = services.theme_create(round=open_round, name="Wonen", by=facilitator)
    for interest in (own, secret, anon):
        services.interest_move(interest=interest, theme=theme)
    services.theme_classify(
        theme=theme,
        classification=Theme.Classification.COMPATIBLE,
        rationale="Past samen",
        by=facilitator,
    )
    open_round.refresh_from_db()
    open_round.theme = theme
    open_round.own, open_round.secret, open_round.anon = own, secret, anon
    return open_round
