"""Load a realistic demo trajectory with its people: `manage.py load_demo` (safe to run again)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from coconnect.composition import DEMO_LOADERS
from trajectories.models import Membership, Participant, Partner, Trajectory
from trajectories.services import (
    invite_current,
    invite_issue,
    invite_url,
    trajectory_create,
    trajectory_creation_allow,
)

PASSWORD = "coconnect-demo"

NAME = "Van beschermd wonen naar een eigen thuis"
TASK = (
    "Bewoners van beschermd wonen in de regio Rivierland stromen sneller en duurzaam door naar "
    "een eigen woning in een gewone wijk, met de begeleiding en zorg die zij daar nodig hebben."
)
GOALS = (
    "Jaarlijks 60 uitstroomwoningen beschikbaar, verdeeld over de kernen van de regio.\n"
    "Eén afspraak over begeleiding na de verhuizing: wie doet wat, hoe lang, met welk budget.\n"
    "Een vast aanspreekpunt voor buren en wijkteams wanneer het even niet goed gaat.\n"
    "Wachttijd voor een plek in beschermd wonen binnen twee jaar gehalveerd."
)

PARTNERS = [
    (
        "Gemeente Rivierstad",
        Partner.Kind.MUNICIPALITY,
        [
            (
                "Marloes Verbeek",
                "m.verbeek@rivierstad.example",
                Participant.Level.BOARD,
                "Wethouder Zorg en Wonen. Kan namens het college toezeggingen doen binnen het "
                "vastgestelde regionale budget; nieuwe middelen vragen een raadsbesluit.",
            ),
            (
                "Jeroen Bakker",
                "j.bakker@rivierstad.example",
                Participant.Level.MANAGER,
                "Teamleider Maatschappelijke Ondersteuning. Beslist over inzet van wijkteams en "
                "over de voorwaarden in de regionale inkoop.",
            ),
            (
                "Samira El Idrissi",
                "s.elidrissi@rivierstad.example",
                Participant.Level.PROFESSIONAL,
                "Beleidsadviseur wonen en zorg. Geen eigen beslisbevoegdheid; bereidt voorstellen "
                "voor.",
            ),
        ],
    ),
    (
        "Woonstichting De Linge",
        Partner.Kind.HOUSING,
        [
            (
                "Henk Dijkstra",
                "h.dijkstra@delinge.example",
                Participant.Level.BOARD,
                "Directeur-bestuurder. Kan een jaarlijks contingent woningen toezeggen, na "
                "instemming van de raad van commissarissen boven de 25 woningen.",
            ),
            (
                "Annelies Mulder",
                "a.mulder@delinge.example",
                Participant.Level.PROFESSIONAL,
                "Wijkconsulent. Bemiddelt bij toewijzing en eerste signalen van overlast.",
            ),
        ],
    ),
    (
        "Woongoed Rivierland",
        Partner.Kind.HOUSING,
        [
            (
                "Peter van Leeuwen",
                "p.vanleeuwen@woongoed.example",
                Participant.Level.MANAGER,
                "Manager Wonen. Mag afspraken maken over maximaal 15 woningen per jaar; meer "
                "vraagt een besluit van het bestuur.",
            ),
        ],
    ),
    (
        "GGZ Midden-Rivierland",
        Partner.Kind.MENTAL_HEALTH,
        [
            (
                "Esther de Graaf",
                "e.degraaf@ggz-mr.example",
                Participant.Level.BOARD,
                "Lid raad van bestuur. Beslist over de inzet van ambulante teams in de wijk.",
            ),
            (
                "Ruud Hendriks",
                "r.hendriks@ggz-mr.example",
                Participant.Level.PROFESSIONAL,
                "Casemanager FACT-team. Kent de bewoners en hun begeleidingsvraag; geen mandaat "
                "over capaciteit.",
            ),
        ],
    ),
    (
        "Stichting Onderdak Rivierstad",
        Partner.Kind.SHELTER,
        [
            (
                "Fatma Yilmaz",
                "f.yilmaz@onderdak.example",
                Participant.Level.MANAGER,
                "Regiomanager beschermd wonen. Beslist over uitstroomtrajecten en de inzet van "
                "begeleiders na de verhuizing.",
            ),
            (
                "Tom Jansen",
                "t.jansen@onderdak.example",
                Participant.Level.PROFESSIONAL,
                "Woonbegeleider. Bereidt bewoners voor op zelfstandig wonen.",
            ),
        ],
    ),
]


class Command(BaseCommand):
    help = "Load the demo trajectory and the users 'demo' (facilitator) and 'manager'."

    def handle(self, *args, **options):
        facilitator = self._user("demo", "Demo", "Procesbegeleider", "demo@coconnect.example")
        trajectory_creation_allow(user=facilitator)
        manager = self._user("manager", "Mirjam", "de Manager", "manager@coconnect.example")

        trajectory = Trajectory.objects.filter(name=NAME, memberships__user=facilitator).first()
        if trajectory is None:
            trajectory = self._create(facilitator, manager)
            self.stdout.write(self.style.SUCCESS(f"Demo trajectory created: {trajectory.name}"))
        else:
            self.stdout.write(f"Demo trajectory already there: {trajectory.name}")

        participant = (
            Participant.objects.filter(partner__trajectory=trajectory).order_by("pk").first()
        )
        token = self._kept_token(participant)
        if token is None:
            _link, token = invite_issue(participant=participant, by=facilitator)
            self._keep_token(token)
        self.stdout.write("")
        self.stdout.write(f"  Sign in as facilitator: demo / {PASSWORD}")
        self.stdout.write(f"  Sign in as manager:     manager / {PASSWORD}")
        self.stdout.write(f"  Sign in as coordinator: coordinator / {PASSWORD} (/organisaties/)")
        self.stdout.write(f"  Open as participant ({participant.name}): {invite_url(token)}")

    def _kept_token(self, participant) -> str | None:
        """The link printed last time, while it still works: a second run changes nothing."""
        try:
            token = settings.DEMO_INVITE_TOKEN_FILE.read_text().strip()
        except FileNotFoundError:
            return None
        return token if invite_current(participant=participant, token=token) else None

    def _keep_token(self, token: str) -> None:
        path = settings.DEMO_INVITE_TOKEN_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.chmod(0o600)
        path.write_text(token + "\n")

    def _user(self, username, first, last, email):
        User = get_user_model()
        user, _created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last, "email": email}
        )
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
        return user

    @transaction.atomic
    def _create(self, facilitator, manager):
        trajectory = trajectory_create(
            by=facilitator,
            name=NAME,
            task=TASK,
            goals=GOALS,
            occasion=Trajectory.Occasion.START,
            phase=Trajectory.Phase.EXPLORATION,
        )
        Membership.objects.create(trajectory=trajectory, user=manager, role=Membership.Role.MANAGER)
        for name, kind, people in PARTNERS:
            partner = Partner.objects.create(trajectory=trajectory, name=name, kind=kind)
            for person, email, level, mandate in people:
                Participant.objects.create(
                    partner=partner, name=person, email=email, level=level, mandate=mandate
                )
        for app, load in DEMO_LOADERS:
            load(trajectory)
            self.stdout.write(f"  {app}: demo data loaded")
        return trajectory
