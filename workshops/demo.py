"""Demo data: a closed first workshop with its outcomes and a planned second one."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from interests.models import InterestRound
from trajectories.models import Participant

from .models import (
    ActionItem,
    AgendaItem,
    Agreement,
    Attendance,
    Contribution,
    DotVote,
    VoteOption,
    Workshop,
)

K = AgendaItem.Kind

FIRST_AGENDA = [
    (K.CHECK_IN, "Check-in: wat hoopt u vandaag op te halen?", 10, "Eén zin per persoon."),
    (K.INTERESTS_ROUND, "Belangen van de partners", 30, ""),
    (K.THEMES, "Thema's: gemeenschappelijk, verenigbaar of strijdig", 30, ""),
    (K.DOT_VOTING, "Waar beginnen we mee?", 15, ""),
    (K.AGREEMENTS, "Samenwerkingsafspraken en actiepunten", 25, ""),
    (K.CHECK_OUT, "Check-out: waar gaat u mee naar huis?", 10, "Eén woord of één zin."),
]

CHECK_IN = [
    "Duidelijkheid over wie de begeleiding na de verhuizing betaalt.",
    "Ik wil weten welke woningen we echt kunnen toezeggen.",
    "Dat we elkaars taal leren spreken.",
    "Een eerste concreet project voor de zomer.",
]
OPTIONS = [
    "Contingent uitstroomwoningen",
    "Vast aanspreekpunt in de wijk",
    "Gezamenlijke inkoop begeleiding",
]
CHECK_OUT = ["Energiek", "Eindelijk concreet", "Benieuwd naar de cijfers", "Vertrouwen"]
AGREEMENTS = [
    "De corporaties reserveren samen een jaarlijks contingent uitstroomwoningen, gespreid over de "
    "kernen.",
    "Elke bewoner die uitstroomt krijgt één vast aanspreekpunt voor buren en wijkteam.",
]
ACTIONS = [
    ("Voorstel voor verdeling van het contingent over de kernen", 0, 21),
    ("Beschrijving van de rol van het vaste aanspreekpunt", 1, 28),
    ("Cijfers over wachttijden beschermd wonen verzamelen", None, -3),
]


@transaction.atomic
def load(trajectory) -> None:
    if Workshop.objects.filter(trajectory=trajectory).exists():
        return
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    people = list(
        Participant.objects.filter(partner__trajectory=trajectory).select_related("partner")
    )
    round_ = InterestRound.objects.filter(trajectory=trajectory).order_by("-created_at").first()

    first = Workshop.objects.create(
        trajectory=trajectory,
        title="Eerste werkbijeenkomst: belangen op tafel",
        starts_at=(now - timedelta(days=14)).replace(hour=13),
        place="Stadskantoor Rivierstad, zaal De Waal",
        status=Workshop.Status.CLOSED,
        started_at=now - timedelta(days=14),
        closed_at=now - timedelta(days=14, hours=-3),
    )
    items = []
    for position, (kind, title, minutes, notes) in enumerate(FIRST_AGENDA, start=1):
        items.append(
            AgendaItem.objects.create(
                workshop=first,
                position=position,
                kind=kind,
                title=title,
                timebox_minutes=minutes,
                notes=notes,
                interest_round=round_ if kind in (K.INTERESTS_ROUND, K.THEMES) else None,
                revealed_at=now - timedelta(days=14) if kind == K.DOT_VOTING else None,
            )
        )
    first.current_item = items[-1]
    first.save(update_fields=["current_item"])
    Attendance.objects.bulk_create(Attendance(workshop=first, participant=p) for p in people)
    for texts, item in ((CHECK_IN, items[0]), (CHECK_OUT, items[-1])):
        Contribution.objects.bulk_create(
            Contribution(item=item, participant=p, partner=p.partner, text=text)
            for p, text in zip(people, texts, strict=False)
        )
    options = [
        VoteOption.objects.create(item=items[3], label=label, position=n)
        for n, label in enumerate(OPTIONS, 1)
    ]
    dots = []
    for index, person in enumerate(people):
        for slot in range(1, 4):
            dots.append(
                DotVote(
                    item=items[3],
                    participant=person,
                    option=options[(index + slot) % 3 if slot < 3 else 0],
                    slot=slot,
                )
            )
    DotVote.objects.bulk_create(dots)
    agreements = [
        Agreement.objects.create(trajectory=trajectory, workshop=first, text=text)
        for text in AGREEMENTS
    ]
    partners = list({p.partner_id: p.partner for p in people}.values())
    for n, (title, agreement_index, days) in enumerate(ACTIONS):
        owner = people[n % len(people)] if people else None
        ActionItem.objects.create(
            trajectory=trajectory,
            workshop=first,
            agreement=agreements[agreement_index] if agreement_index is not None else None,
            title=title,
            owner_participant=owner if n != 0 else None,
            owner_partner=(owner.partner if owner else None)
            if n != 0
            else (partners[1] if len(partners) > 1 else None),
            due_date=timezone.localdate() + timedelta(days=days),
        )

    second = Workshop.objects.create(
        trajectory=trajectory,
        title="Tweede werkbijeenkomst: van afspraak naar aanpak",
        starts_at=(now + timedelta(days=10)).replace(hour=14),
        place="Woonstichting De Linge, Lingezaal",
        video_url="https://video.example/coconnect-rivierland",
    )
    for position, (kind, title, minutes) in enumerate(
        [
            (K.CHECK_IN, "Check-in", 10),
            (K.DISCUSSION, "Terugblik op de actiepunten", 20),
            (K.PROPOSALS, "Verbetervoorstellen", 40),
            (K.DOT_VOTING, "Welke voorstellen werken we uit?", 15),
            (K.PULSE, "Hoe staat de samenwerking ervoor?", 10),
            (K.CHECK_OUT, "Check-out", 10),
        ],
        start=1,
    ):
        AgendaItem.objects.create(
            workshop=second, position=position, kind=kind, title=title, timebox_minutes=minutes
        )
