from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coconnect.once import SubmittedOnce, once_constraint
from coconnect.stale import Versioned
from trajectories.models import Participant, Partner, Trajectory

# The kinds every trajectory starts with (seed 000); the facilitator may rename, add or archive.
DEFAULT_KINDS = [
    _("Faster"),
    _("Better quality"),
    _("Cheaper"),
    _("More return"),
    _("More efficient"),
    _("More effective"),
    _("More fun"),
    _("Better public image"),
]


class ImprovementKind(models.Model):
    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="improvement_kinds"
    )
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveIntegerField(_("order"), default=0)
    archived = models.BooleanField(_("archived"), default=False)

    class Meta:
        verbose_name = _("kind of improvement")
        verbose_name_plural = _("kinds of improvement")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"), "trajectory", name="improvements_improvementkind_unique_name"
            )
        ]

    def __str__(self):
        return self.name


class Gain(models.TextChoices):
    NONE = "none", _("No gain")
    SOME = "some", _("Some gain")
    MUCH = "much", _("Much gain")

    @property
    def score(self) -> int:
        return {"none": 0, "some": 1, "much": 2}[self.value]


class ProposalQuerySet(models.QuerySet):
    def for_matrix(self):
        """Proposals with everything the matrix, the chart and the package need: four queries."""
        return self.select_related("proposer_partner").prefetch_related(
            "kinds",
            "gains",
            models.Prefetch("positions", queryset=Position.objects.select_related("partner")),
        )


class Proposal(SubmittedOnce):
    class Effort(models.TextChoices):
        SMALL = "small", _("Small effort")
        MEDIUM = "medium", _("Medium effort")
        LARGE = "large", _("Large effort")

    class Cost(models.TextChoices):
        LOW = "low", _("Low cost")
        MEDIUM = "medium", _("Medium cost")
        HIGH = "high", _("High cost")

    class Origin(models.TextChoices):
        PARTICIPANT = "participant", _("Entered by a participant")
        FACILITATOR = "facilitator", _("Entered by the facilitator")
        WORKSHOP = "workshop", _("Entered in a workshop")

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="proposals")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    kinds = models.ManyToManyField(
        ImprovementKind,
        blank=True,
        related_name="proposals",
        verbose_name=_("kinds of improvement"),
    )
    proposer_partner = models.ForeignKey(
        Partner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by (organisation)"),
    )
    proposer_level = models.CharField(
        _("proposed at level"), max_length=20, choices=Participant.Level, blank=True
    )
    effort = models.CharField(_("effort"), max_length=10, choices=Effort, default=Effort.MEDIUM)
    cost = models.CharField(_("cost"), max_length=10, choices=Cost, default=Cost.MEDIUM)
    cost_note = models.CharField(
        _("cost estimate"),
        max_length=300,
        blank=True,
        help_text=_("For example an amount per year, or the hours it takes."),
    )
    who_does_what = models.TextField(_("who would have to do what"), max_length=3000, blank=True)
    themes = models.ManyToManyField(
        "interests.Theme", blank=True, related_name="proposals", verbose_name=_("themes served")
    )
    interests = models.ManyToManyField(
        "interests.Interest",
        blank=True,
        related_name="proposals",
        verbose_name=_("interests served"),
    )
    # Set when the proposal was made live in a workshop's proposals item.
    workshop = models.ForeignKey(
        "workshops.Workshop",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("workshop"),
    )
    agenda_item = models.ForeignKey(
        "workshops.AgendaItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The facilitator asks every partner's position on this proposal by this day (reminders/).
    positions_due_on = models.DateField(_("positions asked by"), null=True, blank=True)
    origin = models.CharField(max_length=20, choices=Origin, default=Origin.FACILITATOR)
    created_by_participant = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("improvement proposal")
        verbose_name_plural = _("improvement proposals")
        ordering = ["created_at", "pk"]
        # A second submit of the same form finds the first proposal (coconnect/once.py).
        constraints = [once_constraint("improvements_proposal", "trajectory")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("improvements:proposal", args=[self.trajectory_id, self.pk])

    # The helpers below read prefetched relations (see ProposalQuerySet.for_matrix).
    def gain_for(self, partner_id):
        for gain in self.gains.all():
            if gain.partner_id == partner_id:
                return gain
        return None

    def position_for(self, partner_id):
        for position in self.positions.all():
            if position.partner_id == partner_id:
                return position
        return None

    def gain_score(self, partner_count: int) -> float:
        """Average expected gain over all partners, 0 (none) to 2 (much)."""
        if not partner_count:
            return 0.0
        total = sum(g.score for g in self.gains.all())
        return total / partner_count

    @property
    def effort_score(self) -> int:
        return {"small": 1, "medium": 2, "large": 3}[self.effort]


class ProposalGain(models.Model):
    """The gain one partner can expect from a proposal."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="gains")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    level = models.CharField(_("expected gain"), max_length=10, choices=Gain, default=Gain.NONE)
    note = models.CharField(_("note on the gain"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("expected gain")
        verbose_name_plural = _("expected gains")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "partner"], name="improvements_proposalgain_one_per_partner"
            )
        ]

    def __str__(self):
        return f"{self.partner}: {self.get_level_display()}"

    @property
    def score(self) -> int:
        return Gain(self.level).score


class Stance(models.TextChoices):
    SUPPORTS = "supports", _("Supports")
    CONDITIONS = "conditions", _("Supports with conditions")
    OBJECTS = "objects", _("Has objections")
    UNDECIDED = "undecided", _("Cannot decide yet")

    @property
    def symbol(self) -> str:
        # A shape for every stance, so the matrix never relies on colour alone.
        return {"supports": "✔", "conditions": "◐", "objects": "✖", "undecided": "?"}[self.value]

    @property
    def is_support(self) -> bool:
        return self.value in ("supports", "conditions")

    @property
    def needs_text(self) -> bool:
        return self.value in ("conditions", "objects")


class Mandate(models.TextChoices):
    CONSULT = "consult", _("Constituency still to be consulted")
    BOARD = "board", _("Board decision needed")
    AGREED = "agreed", _("Mandated by the organisation")

    @property
    def symbol(self) -> str:
        return {"consult": "◇", "board": "◆", "agreed": "■"}[self.value]


class Position(Versioned):
    """One organisation, one voice: the position of a partner on a proposal.

    Its `version` rises with every change, so a form opened before a colleague's save is
    refused instead of silently overwriting it (coconnect/stale.py).
    """

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="positions")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    stance = models.CharField(_("position"), max_length=12, choices=Stance)
    text = models.TextField(_("conditions or objection"), max_length=2000, blank=True)
    mandate = models.CharField(_("mandate"), max_length=10, choices=Mandate)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by_name = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "partner"], name="improvements_position_one_per_partner"
            ),
            models.CheckConstraint(
                condition=~models.Q(stance__in=["conditions", "objects"]) | ~models.Q(text=""),
                name="improvements_position_text_with_conditions_or_objection",
            ),
        ]

    def __str__(self):
        return f"{self.partner}: {self.get_stance_display()}"

    @property
    def stance_choice(self) -> Stance:
        return Stance(self.stance)

    @property
    def mandate_choice(self) -> Mandate:
        return Mandate(self.mandate)


class PositionChange(models.Model):
    """History of a position: who changed it, when, and to what. Never edited."""

    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="changes")
    stance = models.CharField(max_length=12, choices=Stance)
    text = models.TextField(max_length=2000, blank=True)
    mandate = models.CharField(max_length=10, choices=Mandate)
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by_name = models.CharField(max_length=200)
    changed_by_participant = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("change of position")
        verbose_name_plural = _("changes of position")
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.changed_by_name} {self.changed_at:%Y-%m-%d %H:%M}: {self.stance}"


class ImprovementPackage(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Being composed")
        ADOPTED = "adopted", _("Adopted")

    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="improvement_packages"
    )
    title = models.CharField(_("title"), max_length=200)
    note = models.TextField(_("explanation"), max_length=5000, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    previous = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="next_version"
    )
    proposals = models.ManyToManyField(
        Proposal, blank=True, related_name="packages", verbose_name=_("proposals")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    # Every partner's position on each proposal of the package is asked by this day (reminders/).
    positions_due_on = models.DateField(_("positions asked by"), null=True, blank=True)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What was adopted, as it stood that day: proposals, gains and positions.
    frozen_content = models.JSONField(default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("improvement package")
        verbose_name_plural = _("improvement packages")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="adopted") | models.Q(adopted_on__isnull=False),
                name="improvements_improvementpackage_adopted_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.title} (v{self.version})"

    def get_absolute_url(self):
        return reverse("improvements:package", args=[self.trajectory_id, self.pk])

    @property
    def is_adopted(self) -> bool:
        return self.status == self.Status.ADOPTED


class PackageAction(models.Model):
    """Links an action item (owned by workshops) to the adopted package it follows from."""

    package = models.ForeignKey(
        ImprovementPackage, on_delete=models.CASCADE, related_name="action_links"
    )
    action_item = models.OneToOneField(
        "workshops.ActionItem", on_delete=models.CASCADE, related_name="improvement_package_link"
    )

    class Meta:
        verbose_name = _("action from a package")
        verbose_name_plural = _("actions from packages")

    def __str__(self):
        return f"{self.package}: {self.action_item}"
