"""Demo data for the sheltered-housing trajectory: proposals, positions, one adopted package."""

import datetime

from django.utils import timezone

from interests.models import Theme
from trajectories.models import Participant, Partner
from workshops.models import ActionItem, Workshop

from . import services
from .models import Proposal
from .selectors import kinds_for

MUNICIPALITY = "Gemeente Rivierstad"
LINGE = "Woonstichting De Linge"
WOONGOED = "Woongoed Rivierland"
GGZ = "GGZ Midden-Rivierland"
SHELTER = "Stichting Onderdak Rivierstad"

# title, description, kinds, proposer, level, effort, cost, cost note, who does what, themes,
# gains {partner: (level, note)}
PROPOSALS = [
    (
        "Eén gezamenlijk uitstroomoverleg per maand",
        "In plaats van losse telefoontjes bespreken corporaties, opvang en GGZ elke maand samen "
        "welke bewoners klaar zijn om te verhuizen en welke woningen vrijkomen.",
        ["Sneller", "Efficiënter"],
        SHELTER,
        Participant.Level.MANAGER,
        "small",
        "low",
        "Twee uur per maand per organisatie",
        "Onderdak zit voor en maakt de lijst; corporaties brengen het aanbod in.",
        ["Uitstroomwoningen"],
        {
            MUNICIPALITY: ("some", ""),
            LINGE: ("much", "Minder leegstand tussen twee verhuringen"),
            WOONGOED: ("much", ""),
            GGZ: ("some", ""),
            SHELTER: ("much", "Kortere wachttijd"),
        },
    ),
    (
        "Vast aanspreekpunt voor buren in elke kern",
        "Buren en wijkteams weten bij zorgen wie ze kunnen bellen, ook buiten kantoortijd.",
        ["Hogere kwaliteit", "Beter imago"],
        LINGE,
        Participant.Level.PROFESSIONAL,
        "medium",
        "medium",
        "Circa € 45.000 per jaar",
        "GGZ levert de bereikbaarheid buiten kantoortijd; de gemeente betaalt de coördinatie.",
        ["Begeleiding na de verhuizing"],
        {
            MUNICIPALITY: ("some", "Minder meldingen bij de gemeente"),
            LINGE: ("much", ""),
            WOONGOED: ("much", ""),
            GGZ: ("some", ""),
            SHELTER: ("some", ""),
        },
    ),
    (
        "Begeleiding na verhuizing uit één budget",
        "Gemeente en zorgaanbieders bundelen het geld voor begeleiding na de verhuizing, zodat "
        "de bewoner niet na een half jaar tussen wal en schip valt.",
        ["Doelmatiger", "Goedkoper"],
        MUNICIPALITY,
        Participant.Level.BOARD,
        "large",
        "high",
        "Herschikking van ca. € 600.000",
        "De gemeente stelt een regeling op; GGZ en Onderdak leveren de begeleiding.",
        ["Financiering van de begeleiding"],
        {
            MUNICIPALITY: ("much", ""),
            LINGE: ("some", ""),
            WOONGOED: ("some", ""),
            GGZ: ("none", "Eigen financiering loopt via de Zorgverzekeringswet"),
            SHELTER: ("much", ""),
        },
    ),
    (
        "Samen de woonvaardigheidstraining geven",
        "Woonbegeleiders en wijkconsulenten geven samen de training, zodat bewoners de corporatie "
        "al kennen vóór zij de sleutel krijgen.",
        ["Leuker", "Hogere kwaliteit"],
        SHELTER,
        Participant.Level.PROFESSIONAL,
        "small",
        "low",
        "",
        "Onderdak organiseert; de corporaties leveren een wijkconsulent per training.",
        ["Begeleiding na de verhuizing"],
        {
            MUNICIPALITY: ("none", ""),
            LINGE: ("some", ""),
            WOONGOED: ("some", ""),
            GGZ: ("some", ""),
            SHELTER: ("much", ""),
        },
    ),
]

# proposal index -> {partner: (stance, text, mandate)}
POSITIONS = {
    0: {p: ("supports", "", "agreed") for p in (MUNICIPALITY, LINGE, WOONGOED, GGZ, SHELTER)},
    1: {
        MUNICIPALITY: (
            "conditions",
            "Alleen als de kosten na twee jaar worden geëvalueerd.",
            "board",
        ),
        LINGE: ("supports", "", "agreed"),
        WOONGOED: ("supports", "", "consult"),
        GGZ: ("supports", "", "agreed"),
        SHELTER: ("supports", "", "agreed"),
    },
    2: {
        MUNICIPALITY: ("supports", "", "board"),
        LINGE: ("undecided", "", "consult"),
        GGZ: (
            "objects",
            "Wij kunnen zorggeld niet in een gemeentelijk budget onderbrengen.",
            "agreed",
        ),
        SHELTER: ("supports", "", "agreed"),
    },
    3: {SHELTER: ("supports", "", "agreed"), LINGE: ("supports", "", "agreed")},
}


def load(trajectory) -> None:
    if Proposal.objects.filter(trajectory=trajectory).exists():
        return
    partners = {p.name: p for p in Partner.objects.filter(trajectory=trajectory)}
    if not all(name in partners for name in (MUNICIPALITY, LINGE, WOONGOED, GGZ, SHELTER)):
        return
    kinds = {k.name: k for k in kinds_for(trajectory)}
    themes = {t.name: t for t in Theme.objects.filter(trajectory=trajectory)}
    workshop = Workshop.objects.filter(trajectory=trajectory).order_by("starts_at").first()
    proposals = []
    for index, (
        title,
        description,
        kind_names,
        proposer,
        level,
        effort,
        cost,
        cost_note,
        who,
        theme_names,
        gains,
    ) in enumerate(PROPOSALS):
        data = services.ProposalData(
            title=title,
            description=description,
            kinds=[kinds[k] for k in kind_names if k in kinds],
            themes=[themes[t] for t in theme_names if t in themes],
            proposer_partner=partners[proposer],
            proposer_level=level,
            effort=effort,
            cost=cost,
            cost_note=cost_note,
            who_does_what=who,
            workshop=workshop if index < 2 else None,
        )
        data.gains = {partners[name].pk: value for name, value in gains.items()}
        proposal, _created = services.proposal_create(
            trajectory=trajectory,
            data=data,
            origin=Proposal.Origin.WORKSHOP if index < 2 else Proposal.Origin.PARTICIPANT,
        )
        proposals.append(proposal)
        for partner_name, (stance, text, mandate) in POSITIONS.get(index, {}).items():
            speaker = partners[partner_name].participants.order_by("pk").first()
            services.position_take(
                proposal=proposal,
                partner=partners[partner_name],
                stance=stance,
                text=text,
                mandate=mandate,
                participant=speaker,
            )

    today = timezone.localdate()
    adopted = services.package_create(
        trajectory=trajectory,
        title="Verbeterpakket doorstroom 2027",
        note="De eerste stap: sneller en beter afgestemd verhuizen, zonder nieuwe structuren.",
        proposals=proposals[:2],
    )
    adopted = services.package_adopt(
        package=adopted, on=today - datetime.timedelta(days=21), user=None
    )
    for title, partner_name, due, status in (
        (
            "Eerste uitstroomoverleg plannen en lijst opstellen",
            SHELTER,
            -14,
            ActionItem.Status.DONE,
        ),
        (
            "Aanbod vrijkomende woningen per kwartaal delen",
            LINGE,
            10,
            ActionItem.Status.IN_PROGRESS,
        ),
        (
            "Kostenraming aanspreekpunt voorleggen aan het college",
            MUNICIPALITY,
            -3,
            ActionItem.Status.OPEN,
        ),
        ("Bereikbaarheid buiten kantoortijd regelen", GGZ, 30, ActionItem.Status.OPEN),
    ):
        action = services.package_action_add(
            package=adopted,
            title=title,
            owner_partner=partners[partner_name],
            due_date=today + datetime.timedelta(days=due),
        )
        if status != ActionItem.Status.OPEN:
            services.action_status_set(action=action, status=status)
    services.package_create(
        trajectory=trajectory,
        title="Verbeterpakket begeleiding na verhuizing",
        note="In voorbereiding voor het bestuurlijk overleg.",
        proposals=proposals[2:],
    )
