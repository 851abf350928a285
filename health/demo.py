"""Demo data for the demo trajectory (called by `manage.py load_demo`).

Two closed pulses show sham collaboration that the levels see differently: board members rate the
practice fairly well, managers and professionals see plenty of plans but little joint work. A third
pulse is open with too few answers to show. Plus interim changes, risks and stakeholders.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from trajectories.models import Participant, Partner

from .models import Answer, InterimChange, Pulse, Response, Risk, Stakeholder
from .statements import STATEMENTS, Topic

L = Participant.Level

# Per pulse, per level: the average each topic should come close to.
PROFILES = {
    "Nulmeting najaar 2026": {
        L.BOARD: {
            Topic.INTENTION: 4.2,
            Topic.ACTION: 3.4,
            Topic.CONNECTION: 3.2,
            Topic.TRUST: 3.6,
            Topic.MANDATE: 4.3,
            Topic.IN_STEP: 3.4,
        },
        L.MANAGER: {
            Topic.INTENTION: 3.8,
            Topic.ACTION: 2.8,
            Topic.CONNECTION: 2.9,
            Topic.TRUST: 3.2,
            Topic.MANDATE: 3.0,
            Topic.IN_STEP: 2.8,
        },
        L.PROFESSIONAL: {
            Topic.INTENTION: 3.4,
            Topic.ACTION: 2.4,
            Topic.CONNECTION: 2.8,
            Topic.TRUST: 3.2,
            Topic.MANDATE: 2.3,
            Topic.IN_STEP: 2.6,
        },
    },
    "Na de tweede werkbijeenkomst": {
        L.BOARD: {
            Topic.INTENTION: 4.6,
            Topic.ACTION: 3.6,
            Topic.CONNECTION: 3.4,
            Topic.TRUST: 3.8,
            Topic.MANDATE: 4.4,
            Topic.IN_STEP: 3.5,
        },
        L.MANAGER: {
            Topic.INTENTION: 4.2,
            Topic.ACTION: 2.4,
            Topic.CONNECTION: 3.0,
            Topic.TRUST: 3.3,
            Topic.MANDATE: 3.2,
            Topic.IN_STEP: 2.7,
        },
        L.PROFESSIONAL: {
            Topic.INTENTION: 3.9,
            Topic.ACTION: 1.9,
            Topic.CONNECTION: 2.9,
            Topic.TRUST: 3.1,
            Topic.MANDATE: 2.2,
            Topic.IN_STEP: 2.4,
        },
    },
}
OPEN_PULSE = "Voorjaar 2027"
DEFAULT = 3.4
OFFSETS = (0.0, 0.6, -0.6, 0.3, -0.3)

REMARKS = {
    ("Na de tweede werkbijeenkomst", "action_practice"): [
        "Op papier is alles geregeld, maar in de wijk merken we er nog weinig van.",
        "We hebben nog geen enkele bewoner samen naar een woning begeleid.",
        "Elk team werkt nog met een eigen aanpak.",
    ],
    ("Na de tweede werkbijeenkomst", "mandate_known"): [
        "Ik moet voor elke toezegging terug naar mijn leidinggevende.",
    ],
}


def _score(target: float, index: int) -> int:
    return max(1, min(5, round(target + OFFSETS[index % len(OFFSETS)])))


def _answer(pulse, people, profile_by_level, submitted_at):
    for index, person in enumerate(people):
        response = Response.objects.create(
            pulse=pulse,
            participant=person,
            partner_id=person.partner_id,
            level=person.level,
            submitted_at=submitted_at,
        )
        profile = profile_by_level.get(person.level, {})
        Answer.objects.bulk_create(
            Answer(
                response=response,
                statement=s.key,
                score=_score(profile.get(s.topic, DEFAULT), index + position),
                remark="",
            )
            for position, s in enumerate(STATEMENTS)
        )


@transaction.atomic
def load(trajectory) -> None:
    if Pulse.objects.filter(trajectory=trajectory).exists():
        return
    now = timezone.now()
    people = list(Participant.objects.filter(partner__trajectory=trajectory).order_by("pk"))
    partners = {p.name: p for p in Partner.objects.filter(trajectory=trajectory)}

    for months_ago, (title, profile) in zip((3, 1), PROFILES.items(), strict=True):
        moment = now - timedelta(days=30 * months_ago)
        pulse = Pulse.objects.create(
            trajectory=trajectory,
            title=title,
            status=Pulse.Status.CLOSED,
            phase=trajectory.phase,
            created_at=moment - timedelta(days=10),
            opened_at=moment - timedelta(days=10),
            closed_at=moment,
        )
        _answer(pulse, people, profile, moment - timedelta(days=5))
        for (pulse_title, key), remarks in REMARKS.items():
            if pulse_title != title:
                continue
            answers = Answer.objects.filter(response__pulse=pulse, statement=key).order_by("pk")
            for answer, remark in zip(answers, remarks, strict=False):
                answer.remark = remark
                answer.save(update_fields=["remark"])

    open_pulse = Pulse.objects.create(
        trajectory=trajectory,
        title=OPEN_PULSE,
        status=Pulse.Status.OPEN,
        phase=trajectory.phase,
        opened_at=now - timedelta(days=2),
    )
    _answer(
        open_pulse, people[1:3], PROFILES["Na de tweede werkbijeenkomst"], now - timedelta(days=1)
    )

    gemeente = partners.get("Gemeente Rivierstad")
    linge = partners.get("Woonstichting De Linge")
    woongoed = partners.get("Woongoed Rivierland")
    onderdak = partners.get("Stichting Onderdak Rivierstad")
    ggz = partners.get("GGZ Midden-Rivierland")
    today = timezone.localdate()

    InterimChange.objects.bulk_create(
        [
            InterimChange(
                trajectory=trajectory,
                kind=InterimChange.Kind.BUDGET_CUTS,
                partner=gemeente,
                title="Lager regionaal budget beschermd wonen door het nieuwe verdeelmodel",
                occurred_on=today - timedelta(days=40),
                meaning_interests="Het belang van de gemeente verschuift naar kostenbeheersing; de "
                "corporaties vrezen dat begeleiding na de verhuizing wordt afgeschaald.",
                meaning_roles="De gemeente wordt strenger opdrachtgever; de zorgpartijen moeten "
                "scherper verantwoorden.",
                meaning_financing="Ongeveer 8% minder budget vanaf volgend jaar; de flexibele uren "
                "voor begeleiding staan onder druk.",
                follow_up=InterimChange.FollowUp.INTERESTS_ROUND,
                follow_up_note="Nieuwe belangenronde over de financiering van begeleiding.",
                follow_up_status=InterimChange.FollowUpStatus.IN_PROGRESS,
            ),
            InterimChange(
                trajectory=trajectory,
                kind=InterimChange.Kind.NEW_BOARD,
                partner=woongoed,
                title="Nieuwe directeur-bestuurder bij Woongoed Rivierland",
                occurred_on=today - timedelta(days=15),
                meaning_interests="Onbekend of de nieuwe bestuurder het contingent "
                "uitstroomwoningen steunt.",
                meaning_roles="De manager Wonen heeft tijdelijk geen bevestigd mandaat.",
                meaning_organisation="Kennismaking met de stuurgroep nodig vóór de volgende "
                "werkbijeenkomst.",
                follow_up=InterimChange.FollowUp.WORKSHOP,
                follow_up_note="Kennismakingsgesprek en korte werkbijeenkomst met alle "
                "bestuurders.",
                follow_up_status=InterimChange.FollowUpStatus.TODO,
            ),
            InterimChange(
                trajectory=trajectory,
                kind=InterimChange.Kind.LAW,
                partner=None,
                title="Nieuwe regels voor urgentie en toewijzing in de huisvestingsverordening",
                occurred_on=today - timedelta(days=70),
                meaning_organisation="Toewijzing via urgentie vraagt een andere werkwijze bij de "
                "corporaties.",
                meaning_legal_form="Geen gevolgen voor de vorm van de samenwerking; het convenant "
                "blijft volstaan.",
                follow_up=InterimChange.FollowUp.OTHER,
                follow_up_note="Werkproces toewijzing aanpassen.",
                follow_up_status=InterimChange.FollowUpStatus.DONE,
            ),
        ]
    )

    Risk.objects.bulk_create(
        [
            Risk(
                trajectory=trajectory,
                category=Risk.Category.FINANCIAL,
                owner=gemeente,
                title="Tekort op het regionale budget voor begeleiding",
                likelihood=4,
                impact=5,
                measures="Meerjarenraming per kern; afspraak over prioriteit bij uitstroom.",
                review_on=today - timedelta(days=10),
            ),
            Risk(
                trajectory=trajectory,
                category=Risk.Category.GOVERNANCE,
                owner=woongoed,
                title="Vertegenwoordigers zonder bevestigd mandaat",
                likelihood=4,
                impact=3,
                measures="Mandaat per vertegenwoordiger vastleggen en elke fase herbevestigen.",
                review_on=today - timedelta(days=3),
            ),
            Risk(
                trajectory=trajectory,
                category=Risk.Category.POLICY,
                owner=linge,
                title="Spreiding van uitstroomwoningen stuit op bezwaar in de wijk",
                likelihood=3,
                impact=4,
                measures="Buurtgesprekken samen met de begeleiders voorbereiden.",
                review_on=today + timedelta(days=30),
            ),
            Risk(
                trajectory=trajectory,
                category=Risk.Category.FINANCIAL,
                owner=linge,
                title="Huurderving door leegstand tijdens toewijzing",
                likelihood=2,
                impact=2,
                measures="Vrijkomende woningen vroeg melden.",
                review_on=today + timedelta(days=60),
            ),
        ]
    )

    Stakeholder.objects.bulk_create(
        [
            Stakeholder(
                trajectory=trajectory,
                name="Bewonerscommissie Lingewijk",
                kind=Stakeholder.Kind.CONSTITUENCY,
                partner=linge,
                power=Stakeholder.Level.MEDIUM,
                interest=Stakeholder.Level.HIGH,
                attitude=Stakeholder.Attitude.RESISTING,
                shared_concern=True,
                relation="Huurdersvertegenwoordiging van De Linge; formeel adviesrecht over "
                "toewijzing.",
                communication="Gezamenlijke bewonersavond met gemeente, GGZ en Onderdak; één "
                "aanspreekpunt voor buren.",
            ),
            Stakeholder(
                trajectory=trajectory,
                name="Gemeenteraad Rivierstad",
                kind=Stakeholder.Kind.EXTERNAL,
                partner=gemeente,
                power=Stakeholder.Level.HIGH,
                interest=Stakeholder.Level.MEDIUM,
                attitude=Stakeholder.Attitude.NEUTRAL,
                relation="De wethouder legt verantwoording af aan de raad.",
                communication="Raadsinformatiebrief na elke fase.",
            ),
            Stakeholder(
                trajectory=trajectory,
                name="Wijkteams Rivierstad",
                kind=Stakeholder.Kind.EXTERNAL,
                partner=gemeente,
                power=Stakeholder.Level.LOW,
                interest=Stakeholder.Level.HIGH,
                attitude=Stakeholder.Attitude.SUPPORTIVE,
                communication="Maandelijks casusoverleg met de woonbegeleiders.",
            ),
            Stakeholder(
                trajectory=trajectory,
                name="Cliëntenraad Onderdak",
                kind=Stakeholder.Kind.CONSTITUENCY,
                partner=onderdak,
                power=Stakeholder.Level.MEDIUM,
                interest=Stakeholder.Level.HIGH,
                attitude=Stakeholder.Attitude.SUPPORTIVE,
                communication="Meedenken over de voorbereiding op zelfstandig wonen.",
            ),
            Stakeholder(
                trajectory=trajectory,
                name="Zorgverzekeraar regio Rivierland",
                kind=Stakeholder.Kind.EXTERNAL,
                partner=ggz,
                power=Stakeholder.Level.HIGH,
                interest=Stakeholder.Level.LOW,
                attitude=Stakeholder.Attitude.NEUTRAL,
                communication="Halfjaarlijks bestuurlijk overleg via de GGZ.",
            ),
        ]
    )
