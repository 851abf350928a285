from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coconnect.stale import Versioned
from trajectories.models import Participant, Partner, Trajectory

from .statements import STATEMENT_KEYS

# Every score in health runs from 1 to 5: a pulse answer, a risk's likelihood and its impact.
SCORES = range(1, 6)
SCORE_CHOICES = [(score, str(score)) for score in SCORES]
SCORE_VALIDATORS = [MinValueValidator(SCORES[0]), MaxValueValidator(SCORES[-1])]


class PulseQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Pulse.Status.OPEN)


class Pulse(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Not opened yet")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="pulses", verbose_name=_("trajectory")
    )
    title = models.CharField(_("title"), max_length=120)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    # Every phase asks the phase questions anew: each pulse remembers the phase it was held in.
    phase = models.CharField(_("phase"), max_length=20, choices=Trajectory.Phase, blank=True)
    # A pulse run as a workshop agenda item (health/live.py); a deleted item leaves an ordinary
    # pulse.
    agenda_item = models.OneToOneField(
        "workshops.AgendaItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="pulse",
    )
    # The day answers are asked by; the pulse stays open until the facilitator closes it.
    closes_on = models.DateField(_("answers asked by"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = PulseQuerySet.as_manager()

    class Meta:
        verbose_name = _("pulse")
        verbose_name_plural = _("pulses")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                Lower("title"),
                "trajectory",
                name="health_pulse_unique_title",
                violation_error_message=_("This trajectory already has a pulse with this title."),
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("health:pulse_detail", args=[self.trajectory_id, self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Response(models.Model):
    """One participant's answers to one pulse.

    The participant is kept only to prevent double answers and to let them revise while the pulse
    is open; every screen shows aggregates. Partner and level are copied at answer time so that
    results stay as they were when the participant later moves.
    """

    pulse = models.ForeignKey(Pulse, on_delete=models.CASCADE, related_name="responses")
    participant = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, related_name="pulse_responses"
    )
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="pulse_responses")
    level = models.CharField(max_length=20, choices=Participant.Level)
    submitted_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pulse response")
        verbose_name_plural = _("pulse responses")
        constraints = [
            models.UniqueConstraint(
                fields=["pulse", "participant"], name="health_response_one_per_participant"
            )
        ]

    def __str__(self):
        # Answers are shown only in aggregate: never name the participant.
        return f"Response to pulse {self.pulse_id} ({self.get_level_display()})"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    statement = models.CharField(max_length=40, choices=[(k, k) for k in STATEMENT_KEYS])
    score = models.PositiveSmallIntegerField(validators=SCORE_VALIDATORS)
    remark = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "statement"], name="health_answer_one_per_statement"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=SCORES[0], score__lte=SCORES[-1]),
                name="health_answer_score_1_to_5",
            ),
        ]

    def __str__(self):
        return f"{self.statement}: {self.score}"


class DiagnosisDecision(models.Model):
    """The facilitator's verdict on a finding of the diagnosis rules for one pulse."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        DISMISSED = "dismissed", _("Dismissed")

    pulse = models.ForeignKey(Pulse, on_delete=models.CASCADE, related_name="decisions")
    rule = models.CharField(_("finding"), max_length=40)
    status = models.CharField(_("decision"), max_length=10, choices=Status)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pulse", "rule"], name="health_decision_one_per_rule")
        ]

    def __str__(self):
        return f"{self.rule}: {self.get_status_display()}"


class InterimChange(Versioned):
    class Kind(models.TextChoices):
        BUDGET_CUTS = "budget_cuts", _("Budget cuts")
        STAFF_TURNOVER = "staff_turnover", _("Staff turnover")
        NEW_PHASE = "new_phase", _("New project phase")
        NEW_BOARD = "new_board", _("New board")
        LAW = "law", _("Changed law or rules")
        LOST_FUNDING = "lost_funding", _("Lost funding")
        OTHER = "other", _("Other")

    class FollowUp(models.TextChoices):
        NONE = "none", _("No follow-up needed")
        INTERESTS_ROUND = "interests_round", _("Open a new round of interests")
        WORKSHOP = "workshop", _("Plan a workshop")
        OTHER = "other", _("Other follow-up")

    class FollowUpStatus(models.TextChoices):
        TODO = "todo", _("To do")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="interim_changes"
    )
    kind = models.CharField(_("what changed"), max_length=20, choices=Kind)
    title = models.CharField(_("short description"), max_length=200)
    partner = models.ForeignKey(
        Partner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interim_changes",
        verbose_name=_("at partner"),
        help_text=_("Leave empty when the change is in the environment."),
    )
    occurred_on = models.DateField(_("when"))
    meaning_interests = models.TextField(_("meaning for interests"), max_length=2000, blank=True)
    meaning_roles = models.TextField(_("meaning for roles"), max_length=2000, blank=True)
    meaning_organisation = models.TextField(
        _("meaning for organisation"), max_length=2000, blank=True
    )
    meaning_financing = models.TextField(_("meaning for financing"), max_length=2000, blank=True)
    meaning_legal_form = models.TextField(_("meaning for legal form"), max_length=2000, blank=True)
    follow_up = models.CharField(
        _("follow-up"), max_length=20, choices=FollowUp, default=FollowUp.NONE
    )
    follow_up_note = models.TextField(_("follow-up details"), max_length=2000, blank=True)
    follow_up_status = models.CharField(
        _("status of the follow-up"),
        max_length=20,
        choices=FollowUpStatus,
        default=FollowUpStatus.TODO,
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("interim change")
        verbose_name_plural = _("interim changes")
        ordering = ["-occurred_on", "-pk"]

    def __str__(self):
        return self.title

    MEANING_FIELDS = (
        "meaning_interests",
        "meaning_roles",
        "meaning_organisation",
        "meaning_financing",
        "meaning_legal_form",
    )

    def meanings(self) -> list[tuple[str, str]]:
        return [
            (self._meta.get_field(name).verbose_name, getattr(self, name))
            for name in self.MEANING_FIELDS
            if getattr(self, name)
        ]


class RiskQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Risk.Status.OPEN)

    def overdue(self, today=None):
        return self.active().filter(review_on__lt=today or timezone.localdate())


class Risk(Versioned):
    class Category(models.TextChoices):
        GOVERNANCE = "governance", _("Governance")
        POLICY = "policy", _("Policy")
        FINANCIAL = "financial", _("Financial")

    class Status(models.TextChoices):
        OPEN = "open", _("Being managed")
        CLOSED = "closed", _("No longer relevant")

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="risks")
    category = models.CharField(_("kind of risk"), max_length=20, choices=Category)
    title = models.CharField(_("risk"), max_length=200)
    description = models.TextField(_("explanation"), max_length=3000, blank=True)
    likelihood = models.PositiveSmallIntegerField(_("likelihood"), choices=SCORE_CHOICES)
    impact = models.PositiveSmallIntegerField(_("impact"), choices=SCORE_CHOICES)
    owner = models.ForeignKey(
        Partner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="risks",
        verbose_name=_("owner partner"),
    )
    measures = models.TextField(_("measures"), max_length=3000, blank=True)
    review_on = models.DateField(_("review date"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RiskQuerySet.as_manager()

    class Meta:
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        ordering = ["status", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    likelihood__gte=SCORES[0],
                    likelihood__lte=SCORES[-1],
                    impact__gte=SCORES[0],
                    impact__lte=SCORES[-1],
                ),
                name="health_risk_scores_1_to_5",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.review_on < timezone.localdate()

    @staticmethod
    def severity_of(score: int) -> str:
        """The band of a likelihood × impact score, as coloured in the risk grid."""
        if score >= 15:
            return "high"
        if score >= 8:
            return "medium"
        return "low"


class Stakeholder(Versioned):
    class Kind(models.TextChoices):
        EXTERNAL = "external", _("External party")
        CONSTITUENCY = "constituency", _("Constituency of a partner")

    class Attitude(models.TextChoices):
        SUPPORTIVE = "supportive", _("Supportive")
        NEUTRAL = "neutral", _("Neutral")
        RESISTING = "resisting", _("Resisting")

    class Level(models.IntegerChoices):
        LOW = 1, _("Low")
        MEDIUM = 2, _("Medium")
        HIGH = 3, _("High")

    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="stakeholders"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.EXTERNAL)
    power = models.PositiveSmallIntegerField(_("power"), choices=Level, default=Level.MEDIUM)
    interest = models.PositiveSmallIntegerField(_("interest"), choices=Level, default=Level.MEDIUM)
    attitude = models.CharField(
        _("attitude"), max_length=20, choices=Attitude, default=Attitude.NEUTRAL
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stakeholders",
        verbose_name=_("related partner"),
        help_text=_("For a constituency: whose constituency it is. Otherwise: who keeps in touch."),
    )
    relation = models.TextField(_("how the partner relates to them"), max_length=2000, blank=True)
    communication = models.TextField(_("agreed communication actions"), max_length=3000, blank=True)
    shared_concern = models.BooleanField(
        _("shared concern of all partners"),
        default=False,
        help_text=_("Resistance in one partner's constituency that all partners take up together."),
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")
        ordering = ["-power", "-interest", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(shared_concern=False) | Q(attitude="resisting"),
                name="health_stakeholder_shared_concern_only_for_resistance",
            ),
            models.CheckConstraint(
                condition=Q(power__gte=1, power__lte=3, interest__gte=1, interest__lte=3),
                name="health_stakeholder_grid_1_to_3",
            ),
        ]

    def __str__(self):
        return self.name
