"""Interest rounds, interests and their confidentiality tiers, themes, links and the fact register.

Who may read an interest is decided in ONE place: `InterestQuerySet.visible_to(viewer)` decides
which interests a viewer may see at all, and `Interest.display_partner_for(viewer)` decides whether
the partner's name may be shown next to it. Every page, fragment, map, export and report section
uses them; a report reads as the viewer of its audience (interests.report.audience_viewer).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEntry
from coconnect.once import SubmittedOnce, once_constraint
from coconnect.stale import Versioned
from trajectories.models import Participant, Partner, Trajectory

STATEMENT_MAX = 300
TEXT_MAX = 2000


class InterestRound(SubmittedOnce, models.Model):
    """One round of sharing interests; every new phase or interim change calls for a new one."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("In preparation")
        OPEN = "open", _("Open for input")
        CLOSED = "closed", _("Closed")
        REVEALED = "revealed", _("Revealed")

    trajectory = models.ForeignKey(
        Trajectory,
        on_delete=models.CASCADE,
        related_name="interest_rounds",
        verbose_name=_("trajectory"),
    )
    title = models.CharField(_("title"), max_length=200)
    phase = models.CharField(_("phase"), max_length=20, choices=Trajectory.Phase)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)
    min_per_partner = models.PositiveSmallIntegerField(
        _("interests asked per partner"),
        default=3,
        help_text=_("How many interests each partner is asked to share in this round."),
    )
    # The day input closes: pages show it per partner and reminders/ mails the partners behind.
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    revealed_at = models.DateTimeField(_("revealed at"), null=True, blank=True)
    revealed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("interest round")
        verbose_name_plural = _("interest rounds")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["trajectory"],
                condition=Q(status="open"),
                name="interests_interestround_one_open",
            ),
            models.CheckConstraint(
                condition=Q(min_per_partner__lte=50), name="interests_interestround_min_sane"
            ),
            once_constraint("interests_interestround", "trajectory"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("interests:round", args=[self.trajectory_id, self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_revealed(self) -> bool:
        return self.status == self.Status.REVEALED

    @property
    def accepts_input(self) -> bool:
        return self.status == self.Status.OPEN


class InterestQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """The interests this viewer may read: the single rule for every page, export and report.

        Facilitator: everything in the trajectory. Participant: all of the own partner's entries,
        and after reveal the submitted, shared entries of other partners. Manager (read only): only
        the submitted, shared entries of revealed rounds.
        """
        qs = self.filter(round__trajectory=viewer.trajectory)
        if viewer.is_facilitator:
            return qs
        shared = Q(
            round__status=InterestRound.Status.REVEALED,
            status=Interest.Status.SUBMITTED,
        ) & ~Q(tier=Interest.Tier.FACILITATOR)
        if viewer.is_participant:
            return qs.filter(shared | Q(partner_id=viewer.partner_id))
        return qs.filter(shared)

    def submitted(self):
        return self.filter(status=Interest.Status.SUBMITTED)


class Interest(Versioned, SubmittedOnce, models.Model):
    class Weight(models.TextChoices):
        MUST = "must", _("Must-have")
        IMPORTANT = "important", _("Important")
        NICE = "nice", _("Nice-to-have")

    class Tier(models.TextChoices):
        FACILITATOR = "facilitator", _("Facilitator only")
        ANONYMOUS = "anonymous", _("Shared without the organisation's name")
        NAMED = "named", _("Shared with the organisation's name")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    # How open each tier is; a facilitator may only move an interest up this scale.
    TIER_OPENNESS = {Tier.FACILITATOR: 0, Tier.ANONYMOUS: 1, Tier.NAMED: 2}

    round = models.ForeignKey(
        InterestRound, on_delete=models.CASCADE, related_name="interests", verbose_name=_("round")
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="interests", verbose_name=_("partner")
    )
    statement = models.CharField(_("interest"), max_length=STATEMENT_MAX)
    why = models.TextField(_("why it matters to the organisation"), max_length=TEXT_MAX, blank=True)
    success = models.TextField(_("what success looks like"), max_length=TEXT_MAX, blank=True)
    contribution = models.TextField(
        _("what the organisation can contribute"), max_length=TEXT_MAX, blank=True
    )
    weight = models.CharField(_("weight"), max_length=20, choices=Weight, default=Weight.IMPORTANT)
    tier = models.CharField(
        _("who may see this"), max_length=20, choices=Tier, default=Tier.FACILITATOR
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)
    author = models.ForeignKey(
        Participant,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interests_written",
        verbose_name=_("author"),
    )
    last_edited_by = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    theme = models.ForeignKey(
        "Theme",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interests",
        verbose_name=_("theme"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    objects = InterestQuerySet.as_manager()

    class Meta:
        verbose_name = _("interest")
        verbose_name_plural = _("interests")
        ordering = ["partner__name", "created_at", "pk"]
        # A double submit of the "new interest" form finds the interest the first one made.
        constraints = [once_constraint("interests_interest", "partner")]
        indexes = [
            # The round page, the map and exports read a round's interests per partner.
            models.Index(fields=["round", "partner"], name="interests_round_partner_idx"),
        ]

    def __str__(self):
        return self.statement

    @property
    def trajectory_id(self):
        return self.round.trajectory_id

    @classmethod
    def names_partner_for(cls, viewer, *, partner_id: int, tier: str) -> bool:
        """Whether this viewer may know which partner shared an interest (also for counts)."""
        if viewer.is_facilitator or tier == cls.Tier.NAMED:
            return True
        return bool(viewer.is_participant and partner_id == viewer.partner_id)

    def display_partner_for(self, viewer) -> Partner | None:
        """The partner to name next to this interest for this viewer, or None (anonymous)."""
        if self.names_partner_for(viewer, partner_id=self.partner_id, tier=self.tier):
            return self.partner
        return None

    def is_own_for(self, viewer) -> bool:
        return bool(viewer.is_participant and self.partner_id == viewer.partner_id)

    def tiers_above(self) -> list[tuple[str, str]]:
        mine = self.TIER_OPENNESS[self.tier]
        return [(t.value, t.label) for t in self.Tier if self.TIER_OPENNESS[t] > mine]


def with_display_partner(interests, viewer) -> list[Interest]:
    """Evaluate and set `.shown_partner` on each interest (templates cannot pass the viewer)."""
    result = list(interests)
    for interest in result:
        interest.shown_partner = interest.display_partner_for(viewer)
        interest.is_own = interest.is_own_for(viewer)
    return result


def anonymous_order(interest: Interest) -> tuple:
    """Where an interest shared without a name goes among its kind: by its own text, which the
    reader sees anyway. Any order that follows the partner (name, creation time, id) would put
    each anonymous interest next to its partner's named ones."""
    return (interest.statement.casefold(), interest.statement, interest.pk)


def named_and_anonymous(interests: list[Interest]) -> tuple[list[Interest], list[Interest]]:
    """Split interests from `with_display_partner`: the named ones in their given order, the
    anonymous ones apart, in `anonymous_order`."""
    named = [interest for interest in interests if interest.shown_partner is not None]
    anonymous = [interest for interest in interests if interest.shown_partner is None]
    return named, sorted(anonymous, key=anonymous_order)


def in_room_order(interests: list[Interest]) -> list[Interest]:
    """One list for tables and exports: the named interests, then the anonymous ones apart."""
    named, anonymous = named_and_anonymous(interests)
    return named + anonymous


class Theme(models.Model):
    class Classification(models.TextChoices):
        UNCLASSIFIED = "unclassified", _("Not classified yet")
        COMMON = "common", _("Common")
        COMPATIBLE = "compatible", _("Compatible")
        CONFLICTING = "conflicting", _("Conflicting")

    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="themes", verbose_name=_("trajectory")
    )
    round = models.ForeignKey(
        InterestRound, on_delete=models.CASCADE, related_name="themes", verbose_name=_("round")
    )
    name = models.CharField(_("name"), max_length=120)
    classification = models.CharField(
        _("classification"),
        max_length=20,
        choices=Classification,
        default=Classification.UNCLASSIFIED,
    )
    rationale = models.TextField(_("rationale"), max_length=TEXT_MAX, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    classified_at = models.DateTimeField(null=True, blank=True)
    classified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "round", name="interests_theme_unique_name"),
        ]

    def __str__(self):
        return self.name

    @property
    def badge_class(self) -> str:
        if self.classification == self.Classification.UNCLASSIFIED:
            return "badge"
        return f"badge badge--{self.classification}"

    @property
    def symbol(self) -> str:
        return CLASSIFICATION_SYMBOLS[self.classification]


# Text symbols so that a classification never rests on colour alone.
CLASSIFICATION_SYMBOLS = {
    Theme.Classification.UNCLASSIFIED: "?",
    Theme.Classification.COMMON: "=",
    Theme.Classification.COMPATIBLE: "+",
    Theme.Classification.CONFLICTING: "≠",
}


class InterestLink(models.Model):
    """Two interests marked as compatible or conflicting with each other, with a note."""

    class Kind(models.TextChoices):
        COMPATIBLE = "compatible", _("Compatible")
        CONFLICTING = "conflicting", _("Conflicting")

    round = models.ForeignKey(InterestRound, on_delete=models.CASCADE, related_name="links")
    first = models.ForeignKey(Interest, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Interest, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    note = models.TextField(_("note"), max_length=TEXT_MAX, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("link between interests")
        verbose_name_plural = _("links between interests")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="interests_interestlink_once"),
            models.CheckConstraint(
                condition=Q(first__lt=models.F("second")), name="interests_interestlink_ordered"
            ),
        ]

    def __str__(self):
        # Ids only: the interests' text is subject to their confidentiality tiers.
        return f"{self.get_kind_display()}: {self.first_id} – {self.second_id}"


class InterestMove(SubmittedOnce, models.Model):
    """One move of interests between the themes of a round, remembering where each came from, so
    that it can be undone. An undo is itself a move (`undo_of`); a move is undone at most once."""

    round = models.ForeignKey(InterestRound, on_delete=models.CASCADE, related_name="moves")
    # Where the move put them (None: out of every theme); an undo sends each to its own place.
    theme = models.ForeignKey(
        Theme, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    undo_of = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="undone_by"
    )
    # How many interests moved: an undo refuses when a theme's removal took items away.
    count = models.PositiveIntegerField(default=0)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("move of interests")
        verbose_name_plural = _("moves of interests")
        ordering = ["-pk"]
        # A double submit of one move (or one undo) finds the move the first one made.
        constraints = [once_constraint("interests_interestmove", "round")]

    def __str__(self):
        return f"{self.count} → {self.theme_id}"


class InterestMoveItem(models.Model):
    """One interest of a move: from which theme to which (None: not grouped)."""

    move = models.ForeignKey(InterestMove, on_delete=models.CASCADE, related_name="items")
    interest = models.ForeignKey(Interest, on_delete=models.CASCADE, related_name="+")
    # theme_merge points these at the theme merged into before it deletes a theme; a theme
    # removed any other way takes its items along, and the move can no longer be undone.
    from_theme = models.ForeignKey(
        Theme, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    to_theme = models.ForeignKey(
        Theme, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["move", "interest"], name="interests_interestmoveitem_once"
            ),
        ]
        indexes = [
            # An undo asks whether a later move touched the same interests.
            models.Index(fields=["interest", "move"], name="interests_moveitem_later_idx"),
        ]

    def __str__(self):
        # Ids only: the interest's text is subject to its confidentiality tier.
        return f"{self.interest_id}: {self.from_theme_id} → {self.to_theme_id}"


def round_audit_entries(round: InterestRound, limit: int = 20) -> list:
    """The newest entries of the trajectory's audit log about this round, for its page.

    Each entry gets `from_label` and `to_label`: the log keeps tier and link-kind codes, shown
    in the reader's language.
    """
    entries = list(
        AuditEntry.objects.filter(trajectory_id=round.trajectory_id, details__round=round.pk)
        .only("at", "action", "actor_label", "subject_type", "summary", "details")
        .order_by("-at", "-pk")[:limit]
    )
    for entry in entries:
        entry.from_label = _value_label(entry.details.get("from", ""))
        entry.to_label = _value_label(entry.details.get("to", ""))
    return entries


def _value_label(value: str) -> str:
    """The label of a stored tier or link kind (the audit keeps codes, shown in any language)."""
    for choices in (Interest.Tier, InterestLink.Kind):
        if value in choices.values:
            return str(choices(value).label)
    return value


class Fact(Versioned, SubmittedOnce, models.Model):
    """Joint fact-finding: a disputed question and what the partners know about it together."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        AGREED = "agreed", _("Agreed")
        DISPUTED = "disputed", _("Disputed")

    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="facts", verbose_name=_("trajectory")
    )
    theme = models.ForeignKey(
        Theme,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="facts",
        verbose_name=_("theme"),
    )
    question = models.CharField(_("question"), max_length=STATEMENT_MAX)
    known = models.TextField(_("what is known"), max_length=TEXT_MAX * 2, blank=True)
    sources = models.TextField(_("sources"), max_length=TEXT_MAX, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("fact-finding question")
        verbose_name_plural = _("joint fact-finding")
        ordering = ["status", "-updated_at", "pk"]
        constraints = [once_constraint("interests_fact", "trajectory")]

    def __str__(self):
        return self.question

    @property
    def badge_class(self) -> str:
        return {
            "open": "badge badge--info",
            "agreed": "badge badge--ok",
            "disputed": "badge badge--warn",
        }[self.status]
