"""Demo data (`manage.py load_demo`): the municipality of the demo trajectory takes part in a
second trajectory too, and has a coordinator (username `coordinator`, the demo password) whose
portfolio at /organisaties/ shows both, with signals to act on."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from health.models import InterimChange
from improvements.models import ImprovementPackage, Mandate, Position, Proposal, Stance
from trajectories.models import Membership, Participant, Partner, Trajectory
from workshops.models import ActionItem

from .models import Coordinator

COORDINATOR_USERNAME = "coordinator"
SECOND_NAME = "Samen sterk in de wijk"
SECOND_FACILITATOR = "begeleider"


def load(trajectory) -> None:
    # The load_demo command owns the demo password; imported here to keep the wiring one-way.
    from trajectories.management.commands.load_demo import PASSWORD

    municipality = (
        Partner.objects.filter(trajectory=trajectory, kind=Partner.Kind.MUNICIPALITY)
        .select_related("organisation")
        .order_by("pk")
        .first()
    )
    if municipality is None or Trajectory.objects.filter(name=SECOND_NAME).exists():
        return
    organisation = municipality.organisation
    User = get_user_model()
    coordinator, _created = User.objects.get_or_create(
        username=COORDINATOR_USERNAME,
        defaults={
            "first_name": "Cor",
            "last_name": "de Coördinator",
            "email": "coordinator@rivierstad.example",
        },
    )
    coordinator.set_password(PASSWORD)
    coordinator.save(update_fields=["password"])
    facilitator = (
        Membership.objects.filter(trajectory=trajectory, role=Membership.Role.FACILITATOR)
        .values_list("user", flat=True)
        .first()
    )
    Coordinator.objects.get_or_create(
        organisation=organisation, user=coordinator, defaults={"invited_by_id": facilitator}
    )
    _second_trajectory(organisation)


def _second_trajectory(organisation) -> None:
    User = get_user_model()
    facilitator, created = User.objects.get_or_create(
        username=SECOND_FACILITATOR,
        defaults={"first_name": "Bas", "last_name": "Begeleider", "email": "bas@coconnect.example"},
    )
    if created:
        facilitator.set_unusable_password()
        facilitator.save(update_fields=["password"])
    today = timezone.localdate()
    second = Trajectory.objects.create(
        name=SECOND_NAME,
        task=(
            "Wijkteams, woningcorporatie en welzijn pakken samen overlast en eenzaamheid in de "
            "Oostwijk aan, met één aanspreekpunt voor bewoners."
        ),
        occasion=Trajectory.Occasion.IMPROVEMENT,
        phase=Trajectory.Phase.DESIGN,
    )
    Membership.objects.create(trajectory=second, user=facilitator, role=Membership.Role.FACILITATOR)
    own = Partner.objects.create(
        trajectory=second, name=organisation.name, kind=organisation.kind, organisation=organisation
    )
    housing = Partner.objects.create(
        trajectory=second, name="Woonstichting Oostwijk", kind=Partner.Kind.HOUSING
    )
    Partner.objects.create(trajectory=second, name="Welzijn Rivierland", kind=Partner.Kind.CARE)
    Participant.objects.create(
        partner=own,
        name="Karin Mulder",
        email="k.mulder@rivierstad.example",
        level=Participant.Level.MANAGER,
        mandate="Beslist over de inzet van het wijkteam Oost, tot 200 uur per kwartaal.",
    )
    Participant.objects.create(
        partner=own, name="Eva Jansen", level=Participant.Level.PROFESSIONAL, mandate=""
    )
    Participant.objects.create(
        partner=housing,
        name="Henk Smit",
        level=Participant.Level.BOARD,
        mandate="Directeur-bestuurder.",
    )
    proposal = Proposal.objects.create(
        trajectory=second,
        title="Eén wijkloket voor bewoners van de Oostwijk",
        description="Wijkteam en corporatie delen één loket, twee ochtenden per week.",
        proposer_partner=housing,
    )
    Position.objects.create(
        proposal=proposal,
        partner=own,
        stance=Stance.CONDITIONS,
        text="Alleen als de huur van de ruimte gedeeld wordt.",
        mandate=Mandate.BOARD,
        updated_by_name="Karin Mulder",
    )
    package = ImprovementPackage.objects.create(trajectory=second, title="Aanpak Oostwijk 2027")
    package.proposals.add(proposal)
    ActionItem.objects.create(
        trajectory=second,
        title="Begroting wijkloket voorleggen aan het college",
        owner_partner=own,
        due_date=today - timedelta(days=5),
    )
    ActionItem.objects.create(
        trajectory=second,
        title="Openingstijden wijkloket afstemmen met het wijkteam",
        owner_partner=own,
        due_date=today + timedelta(days=14),
    )
    InterimChange.objects.create(
        trajectory=second,
        kind=InterimChange.Kind.BUDGET_CUTS,
        title="Bezuiniging op het sociaal domein 2027",
        partner=own,
        occurred_on=today - timedelta(days=20),
        meaning_financing="Minder uren voor het wijkteam; het loket moet binnen de begroting.",
    )
