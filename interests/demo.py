"""Demo data: a revealed round of interests for the demo trajectory.

Called by `manage.py load_demo`.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from trajectories.models import Membership

from . import services
from .models import Fact, Interest, InterestRound, Theme

F, A, N = Interest.Tier.FACILITATOR, Interest.Tier.ANONYMOUS, Interest.Tier.NAMED
MUST, IMP, NICE = Interest.Weight.MUST, Interest.Weight.IMPORTANT, Interest.Weight.NICE

# partner name -> [(theme, statement, why, success, contribution, weight, tier)]
INTERESTS = {
    "Gemeente Rivierstad": [
        (
            "Uitstroomwoningen",
            "Elk jaar genoeg woningen voor wie klaar is met beschermd wonen",
            "Zonder woning blijven mensen onnodig lang in een dure intramurale plek.",
            "Zestig sleutels per jaar, verdeeld over alle kernen.",
            "Afspraken in de prestatieafspraken en een urgentieregeling.",
            MUST,
            N,
        ),
        (
            "Begeleiding na de verhuizing",
            "Eén regie op begeleiding na de verhuizing",
            "Nu weet niemand wie belt als het misgaat; dat kost vertrouwen in de wijk.",
            "Een vast aanspreekpunt per bewoner en per buurt.",
            "Wijkteams en een coördinator.",
            IMP,
            N,
        ),
        (
            "Financiering van de begeleiding",
            "De kosten van ambulante begeleiding blijven binnen het regiobudget",
            "Het budget beschermd wonen daalt de komende jaren door het nieuwe verdeelmodel.",
            "Geen tekort op de regionale begroting.",
            "Ruimte in de inkoop voor flexibele uren.",
            MUST,
            F,
        ),
    ],
    "Woonstichting De Linge": [
        (
            "Uitstroomwoningen",
            "Spreiding van uitstroomwoningen over wijken en complexen",
            "Te veel kwetsbare huurders in één portiek leidt tot overlast en verloop.",
            "Niet meer dan twee uitstroomwoningen per portiek.",
            "Een jaarlijks contingent van 25 woningen.",
            MUST,
            N,
        ),
        (
            "Begeleiding na de verhuizing",
            "Snel iemand aan de lijn bij signalen van overlast",
            "Wijkconsulenten staan er nu alleen voor.",
            "Binnen een werkdag contact met een begeleider.",
            "Signalen vroeg doorgeven via de wijkconsulent.",
            IMP,
            A,
        ),
        (
            "Financiering van de begeleiding",
            "Geen extra huurderving door leegstand tijdens toewijzing",
            "Leegstand drukt op de exploitatie en op de huren van andere huurders.",
            "Een woning staat hooguit twee weken leeg.",
            "Vroeg melden van vrijkomende woningen.",
            NICE,
            F,
        ),
    ],
    "Woongoed Rivierland": [
        (
            "Uitstroomwoningen",
            "Meer kleine, betaalbare woningen in de nieuwbouw",
            "Onze voorraad eenpersoonswoningen is te klein voor de vraag.",
            "Een derde van de nieuwbouw is geschikt voor alleenstaanden.",
            "Nieuwbouwplannen vroeg delen.",
            IMP,
            N,
        ),
        (
            "Uitstroomwoningen",
            "Zekerheid dat de begeleiding blijft zolang het nodig is",
            "Zonder begeleiding vragen wij geen huurcontract op eigen naam aan.",
            "Een afspraak over afschalen in plaats van abrupt stoppen.",
            "Huurcontract op eigen naam na een jaar.",
            MUST,
            A,
        ),
    ],
    "GGZ Midden-Rivierland": [
        (
            "Begeleiding na de verhuizing",
            "Ambulante teams die de bewoner blijven kennen na de verhuizing",
            "Een wisseling van hulpverlener in de eerste maanden vergroot het risico op terugval.",
            "Dezelfde casemanager gedurende het eerste jaar.",
            "FACT-teams die in de wijk werken.",
            MUST,
            N,
        ),
        (
            "Financiering van de begeleiding",
            "Vergoeding voor consultatie aan wijkteams en corporaties",
            "Adviseren van anderen is nu onbetaald werk en verdwijnt bij drukte als eerste.",
            "Een vast uurbudget voor consultatie.",
            "Consultatie op afroep.",
            IMP,
            A,
        ),
        (
            "Financiering van de begeleiding",
            "Geen wachtlijst voor ambulante zorg door de uitstroom",
            "Als de uitstroom versnelt zonder extra capaciteit, lopen onze wachtlijsten op.",
            "Uitstroom en capaciteit groeien gelijk op.",
            "Eerlijke capaciteitscijfers.",
            MUST,
            F,
        ),
    ],
    "Stichting Onderdak Rivierstad": [
        (
            "Uitstroomwoningen",
            "Een doorstroomplek vrijmaken voor mensen op de wachtlijst",
            "Mensen wachten nu te lang op een plek in beschermd wonen.",
            "De wachttijd binnen twee jaar gehalveerd.",
            "Bewoners tijdig voorbereiden op zelfstandig wonen.",
            MUST,
            N,
        ),
        (
            "Begeleiding na de verhuizing",
            "Begeleiders mogen meeverhuizen met de bewoner",
            "Vertrouwde begeleiding maakt de stap naar een eigen huis kleiner.",
            "Warme overdracht bij elke verhuizing.",
            "Begeleiders die ook in de wijk werken.",
            IMP,
            N,
        ),
        (
            "Financiering van de begeleiding",
            "Behoud van de bezetting van onze locaties",
            "Leegstand in onze panden brengt de exploitatie in gevaar.",
            "Een afbouwplan voor plekken dat gelijk oploopt met de uitstroom.",
            "Panden ombouwen tot tussenvoorziening.",
            IMP,
            F,
        ),
    ],
}

THEMES = [
    (
        "Uitstroomwoningen",
        Theme.Classification.COMPATIBLE,
        "Gemeente, corporaties en opvang willen allemaal meer uitstroom; de corporaties vragen "
        "spreiding en begeleiding, wat de anderen kunnen bieden.",
    ),
    (
        "Begeleiding na de verhuizing",
        Theme.Classification.COMMON,
        "Iedere partner wil één vast aanspreekpunt en continuïteit van begeleiding.",
    ),
    (
        "Financiering van de begeleiding",
        Theme.Classification.CONFLICTING,
        "Het krimpende regiobudget botst met de vraag om extra capaciteit en vergoeding voor "
        "consultatie.",
    ),
]


@transaction.atomic
def load(trajectory) -> None:
    if InterestRound.objects.filter(trajectory=trajectory).exists():
        return
    membership = (
        Membership.objects.filter(trajectory=trajectory, role=Membership.Role.FACILITATOR)
        .select_related("user")
        .first()
    )
    by = membership.user if membership else None
    round = services.round_create(
        trajectory=trajectory, title="Belangen verkenningsfase", by=by, min_per_partner=3
    )
    services.round_open(round=round, by=by)
    partners = {p.name: p for p in trajectory.partners.prefetch_related("participants")}
    made = {}
    for partner_name, rows in INTERESTS.items():
        partner = partners.get(partner_name)
        if partner is None:
            continue
        author = partner.participants.all()[0]
        for theme_name, statement, why, success, contribution, weight, tier in rows:
            interest, _ = services.interest_save(
                round=round,
                partner=partner,
                by=author,
                submit=True,
                data={
                    "statement": statement,
                    "why": why,
                    "success": success,
                    "contribution": contribution,
                    "weight": weight,
                    "tier": tier,
                },
            )
            made.setdefault(theme_name, []).append(interest)
    services.round_reveal(round=round, by=by)
    themes = {}
    for name, classification, rationale in THEMES:
        theme = services.theme_create(round=round, name=name, by=by)
        services.theme_classify(
            theme=theme, classification=classification, rationale=rationale, by=by
        )
        themes[name] = theme
        for interest in made.get(name, []):
            services.interest_move(interest=interest, theme=theme)
    finance = made.get("Financiering van de begeleiding", [])
    if len(finance) >= 3:
        services.link_create(
            first=finance[0],
            second=finance[2],
            kind="conflicting",
            by=by,
            note="Budgetplafond tegenover groeiende vraag naar capaciteit.",
        )
    homes = made.get("Uitstroomwoningen", [])
    if len(homes) >= 2:
        services.link_create(
            first=homes[0],
            second=homes[1],
            kind="compatible",
            by=by,
            note="Een contingent met spreiding past bij beide.",
        )
    services.fact_save(
        trajectory=trajectory,
        theme=themes["Financiering van de begeleiding"],
        data={
            "question": "Hoeveel uur ambulante begeleiding heeft een bewoner gemiddeld nodig in "
            "het eerste jaar?",
            "known": "De GGZ schat vier uur per week; de opvang ziet een snelle afbouw na drie "
            "maanden.",
            "sources": "Registratie FACT-teams 2025; evaluatie pilot Onderdak.",
            "status": Fact.Status.DISPUTED,
        },
    )
    services.fact_save(
        trajectory=trajectory,
        theme=themes["Uitstroomwoningen"],
        data={
            "question": "Hoeveel bewoners zijn nu klaar voor uitstroom?",
            "known": "Volgens de opvang en de gemeente samen 48 bewoners in de regio.",
            "sources": "Gezamenlijke telling, peildatum 1 september.",
            "status": Fact.Status.AGREED,
        },
    )
    services.fact_save(
        trajectory=trajectory,
        data={
            "question": "Wat betekent het nieuwe verdeelmodel voor het regiobudget na 2027?",
            "known": "",
            "sources": "Rijksbegroting; doorrekening van de centrumgemeente.",
            "status": Fact.Status.OPEN,
        },
    )
    # Make the history read naturally: the round opened four weeks ago, closed the day before the
    # first workshop (two weeks ago) and was revealed during it.
    now = timezone.now()
    InterestRound.objects.filter(pk=round.pk).update(
        opened_at=now - timedelta(days=28),
        closed_at=now - timedelta(days=15),
        revealed_at=(now - timedelta(days=14)).replace(hour=14, minute=0, second=0, microsecond=0),
    )
    _load_follow_up_round(trajectory, by=by, partners=partners)


# The round open now, before the second workshop: two partners added what the first workshop
# asked of them, the others are behind and it closes in two days, so the morning reminders
# (reminders/) have someone to remind in a fresh demo.
FOLLOW_UP = [
    (
        "Gemeente Rivierstad",
        "Eén aanspreekpunt per wijk voor bewoners die uitstromen",
        "Bewoners weten nu niet bij wie ze terechtkunnen als het thuis misgaat.",
    ),
    (
        "Gemeente Rivierstad",
        "Afspraken over de huur in het eerste jaar na uitstroom",
        "Huurachterstand is de meest genoemde reden voor terugval.",
    ),
    (
        "Woonstichting De Linge",
        "Vroeg signaal bij betalingsachterstand van uitgestroomde huurders",
        "Een signaal in de eerste maand voorkomt een ontruimingsprocedure.",
    ),
    (
        "Woonstichting De Linge",
        "Spreiding van uitstroomwoningen over de complexen",
        "Concentratie in één complex gaf eerder overlast en weerstand in de buurt.",
    ),
]


def _load_follow_up_round(trajectory, *, by, partners) -> None:
    round = services.round_create(
        trajectory=trajectory,
        title="Aanvullende belangen voor de tweede werkbijeenkomst",
        by=by,
        min_per_partner=2,
        closes_on=timezone.localdate() + timedelta(days=2),
    )
    services.round_open(round=round, by=by)
    for partner_name, statement, why in FOLLOW_UP:
        partner = partners.get(partner_name)
        if partner is None:
            continue
        services.interest_save(
            round=round,
            partner=partner,
            by=partner.participants.all()[0],
            submit=True,
            data={
                "statement": statement,
                "why": why,
                "success": "",
                "contribution": "",
                "weight": Interest.Weight.IMPORTANT,
                "tier": Interest.Tier.FACILITATOR,
            },
        )
    InterestRound.objects.filter(pk=round.pk).update(opened_at=timezone.now() - timedelta(days=5))
