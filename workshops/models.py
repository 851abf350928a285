import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coconnect.once import SubmittedOnce, once_constraint
from coconnect.stale import Versioned
from trajectories.models import Participant, Partner, Trajectory

MAX_DOTS = 20
MAX_TIMEBOX_MINUTES = 600
CONTRIBUTION_MAX_LENGTH = 280


def new_live_key() -> str:
    # The key names the workshop in the database-free live endpoints (SSE, version poll).
    return secrets.token_urlsafe(16)


# Letters and digits that are not confused when typed from a wall (no 0/O, 1/I/L).
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 8  # 31**8: about 40 bits, far beyond stepping through by hand or script


def new_join_code() -> str:
    # The projector's short address names the workshop by this code, never by its counting-up
    # number, so nobody can step through workshops to read their organisations' names.
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


class WorkshopQuerySet(models.QuerySet):
    def upcoming(self):
        return self.filter(status__in=[Workshop.Status.PLANNED, Workshop.Status.LIVE]).order_by(
            "starts_at", "pk"
        )

    def past(self):
        return self.filter(status=Workshop.Status.CLOSED).order_by("-starts_at", "-pk")

    def cancelled(self):
        return self.filter(status=Workshop.Status.CANCELLED).order_by("-starts_at", "-pk")


# Without an end time a workshop lasts as long as its agenda, and at least this long.
DEFAULT_DURATION = timedelta(hours=2)
MIN_DURATION = timedelta(minutes=30)


class Workshop(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        LIVE = "live", _("Live")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", pgettext_lazy("workshop", "Cancelled")

    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="workshops", verbose_name=_("trajectory")
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("date and time"))
    # A time on the workshop's own day: workshops are held within one day.
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_url = models.URLField(_("video link"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PLANNED)
    # Bumped on every change a screen could show (workshops.services.workshop_bump).
    version = models.PositiveIntegerField(default=1)
    current_item = models.ForeignKey(
        "AgendaItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current agenda item"),
    )
    # Timer: `timer_seconds` left when paused; while running, counted down from `timer_started_at`.
    timer_seconds = models.PositiveIntegerField(default=0)
    timer_started_at = models.DateTimeField(null=True, blank=True)
    live_key = models.CharField(max_length=32, unique=True, default=new_live_key, editable=False)
    join_code = models.CharField(
        max_length=JOIN_CODE_LENGTH, unique=True, default=new_join_code, editable=False
    )
    started_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # The calendar invitation (workshops/invitations.py): SEQUENCE of the latest version sent,
    # raised for every update and the cancellation; None until the first invitation went out.
    invitation_sequence = models.PositiveIntegerField(default=0)
    invitations_sent_at = models.DateTimeField(null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = WorkshopQuerySet.as_manager()

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["planned", "live", "closed", "cancelled"]),
                name="workshops_workshop_status_valid",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("workshops:detail", args=[self.trajectory_id, self.pk])

    @property
    def is_planned(self) -> bool:
        return self.status == self.Status.PLANNED

    @property
    def is_live(self) -> bool:
        return self.status == self.Status.LIVE

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def invitations_sent(self) -> bool:
        return self.invitations_sent_at is not None

    def ends_at(self, items=None) -> datetime:
        """The end: the end time on the workshop's day, else after its agenda's timeboxes."""
        if self.end_time is not None:
            day = timezone.localtime(self.starts_at).date()
            return timezone.make_aware(datetime.combine(day, self.end_time))
        if items is None:
            items = list(self.items.all())
        agenda = timedelta(minutes=sum(item.timebox_minutes for item in items))
        return self.starts_at + (max(agenda, MIN_DURATION) if items else DEFAULT_DURATION)

    @property
    def agenda_editable(self) -> bool:
        """A closed workshop's agenda is the record of what happened; it no longer changes."""
        return not self.is_closed and not self.is_cancelled

    @property
    def attendance_recordable(self) -> bool:
        """Who was there is known once the workshop has started (and may be corrected after)."""
        return self.is_live or self.is_closed

    @property
    def timer_running(self) -> bool:
        return self.timer_started_at is not None

    def timer_remaining(self, now=None) -> int:
        """Seconds left on the timer (never below zero)."""
        if self.timer_started_at is None:
            return self.timer_seconds
        elapsed = ((now or timezone.now()) - self.timer_started_at).total_seconds()
        return max(0, int(self.timer_seconds - elapsed))

    @property
    def timer_deadline_ms(self) -> int | None:
        """When a running timer reaches zero, in milliseconds since the epoch (for the browser)."""
        if self.timer_started_at is None:
            return None
        return int((self.timer_started_at.timestamp() + self.timer_seconds) * 1000)

    @property
    def timer_display(self) -> str:
        minutes, seconds = divmod(self.timer_remaining(), 60)
        return f"{minutes:02d}:{seconds:02d}"


class Attendance(models.Model):
    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("workshop")
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("representative"),
    )
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "participant"], name="workshops_attendance_once"
            )
        ]

    def __str__(self):
        return f"{self.participant} @ {self.workshop}"


class AgendaItem(Versioned):
    """One part of a workshop's agenda; `version` guards the item form against stale edits."""

    class Kind(models.TextChoices):
        CHECK_IN = "check_in", _("Check-in")
        INTERESTS_ROUND = "interests_round", _("Interests round")
        THEMES = "themes", _("Grouping and classifying themes")
        DOT_VOTING = "dot_voting", _("Dot voting")
        PROPOSALS = "proposals", _("Improvement proposals")
        AGREEMENTS = "agreements", _("Agreements and action items")
        CHECK_OUT = "check_out", _("Check-out")
        PULSE = "pulse", _("Pulse of the collaboration")
        DISCUSSION = "discussion", _("Discussion")

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="items", verbose_name=_("workshop")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    title = models.CharField(_("title"), max_length=200)
    timebox_minutes = models.PositiveSmallIntegerField(
        _("timebox (minutes)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_TIMEBOX_MINUTES)],
    )
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    interest_round = models.ForeignKey(
        "interests.InterestRound",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("interest round"),
    )
    dots_per_participant = models.PositiveSmallIntegerField(
        _("dots per participant"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DOTS)],
    )
    # The facilitator may let the room see notes without their organisation's name, so that
    # something sensitive can be said; the console still names it (moderation needs it).
    anonymous_notes = models.BooleanField(
        _("notes without the organisation's name"),
        default=False,
        help_text=_(
            "The projector, the phones and a manager's report show these notes without the "
            "organisation's name. You still see it on the console."
        ),
    )
    # Results of a vote (and contributions of check-in/out) stay hidden until revealed.
    revealed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["workshop", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(dots_per_participant__gte=1) & Q(dots_per_participant__lte=MAX_DOTS),
                name="workshops_agendaitem_dots_in_range",
            ),
            models.CheckConstraint(
                condition=Q(timebox_minutes__lte=MAX_TIMEBOX_MINUTES),
                name="workshops_agendaitem_timebox_max",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_revealed(self) -> bool:
        return self.revealed_at is not None

    @property
    def takes_contributions(self) -> bool:
        return self.kind in {
            self.Kind.CHECK_IN,
            self.Kind.CHECK_OUT,
            self.Kind.DISCUSSION,
            self.Kind.AGREEMENTS,
        }

    @property
    def is_voting(self) -> bool:
        return self.kind == self.Kind.DOT_VOTING


class ContributionQuerySet(models.QuerySet):
    def shown(self):
        return self.filter(status=Contribution.Status.VISIBLE)


class Contribution(SubmittedOnce):
    """A sticky note: a short text a participant adds to an agenda item.

    The phone sends a `submission_key` with each note, so a retry after a dropped connection
    is not a duplicate.
    """

    class Status(models.TextChoices):
        VISIBLE = "visible", _("Visible")
        HIDDEN = "hidden", _("Hidden by the facilitator")
        REMOVED = "removed", _("Removed by the facilitator")

    item = models.ForeignKey(
        AgendaItem,
        on_delete=models.CASCADE,
        related_name="contributions",
        verbose_name=_("agenda item"),
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
        verbose_name=_("representative"),
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partner"),
    )
    text = models.CharField(_("text"), max_length=CONTRIBUTION_MAX_LENGTH)
    status = models.CharField(max_length=10, choices=Status, default=Status.VISIBLE)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ContributionQuerySet.as_manager()

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["created_at", "pk"]
        constraints = [once_constraint("workshops_contribution", "item", "participant")]

    def __str__(self):
        return self.text[:60]


class VoteOption(models.Model):
    """One thing to place dots on: a theme, a proposal or a free text, copied into the item."""

    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="options", verbose_name=_("agenda item")
    )
    label = models.CharField(_("label"), max_length=300)
    position = models.PositiveIntegerField(default=0)
    # Where the option came from, e.g. "interests.theme" + 12 (no foreign key: any app may feed it).
    source_type = models.CharField(max_length=40, blank=True)
    source_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("vote option")
        verbose_name_plural = _("vote options")
        ordering = ["item", "position", "pk"]

    def __str__(self):
        return self.label


class DotVote(models.Model):
    """One dot. A participant holds slots 1..dots_per_participant; each slot can be used once.

    The unique (item, participant, slot) constraint makes it impossible, even under concurrent
    requests, to hold more dots than there are slots.
    """

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="dots")
    option = models.ForeignKey(VoteOption, on_delete=models.CASCADE, related_name="dots")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="dots")
    slot = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("dot")
        verbose_name_plural = _("dots")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "participant", "slot"], name="workshops_dotvote_slot_once"
            ),
            models.CheckConstraint(
                condition=Q(slot__gte=1) & Q(slot__lte=MAX_DOTS),
                name="workshops_dotvote_slot_in_range",
            ),
        ]

    def __str__(self):
        return f"Dot {self.slot} on option {self.option_id}"


class Agreement(SubmittedOnce):
    """A collaboration agreement (samenwerkingsafspraak)."""

    trajectory = models.ForeignKey(
        Trajectory,
        on_delete=models.CASCADE,
        related_name="agreements",
        verbose_name=_("trajectory"),
    )
    workshop = models.ForeignKey(
        Workshop,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("workshop"),
    )
    text = models.TextField(_("agreement"), max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["created_at", "pk"]
        constraints = [once_constraint("workshops_agreement", "workshop")]

    def __str__(self):
        return self.text[:80]


class ActionItemQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=[ActionItem.Status.OPEN, ActionItem.Status.IN_PROGRESS])


class ActionItem(SubmittedOnce):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    trajectory = models.ForeignKey(
        Trajectory,
        on_delete=models.CASCADE,
        related_name="action_items",
        verbose_name=_("trajectory"),
    )
    workshop = models.ForeignKey(
        Workshop,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("workshop"),
    )
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("agreement"),
    )
    title = models.CharField(_("action"), max_length=300)
    owner_partner = models.ForeignKey(
        Partner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("owner (partner)"),
    )
    owner_participant = models.ForeignKey(
        Participant,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("owner (person)"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.OPEN)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_date", "pk"]
        constraints = [once_constraint("workshops_actionitem", "workshop")]

    def __str__(self):
        return self.title

    @property
    def owner_name(self) -> str:
        if self.owner_participant_id:
            return str(self.owner_participant.name)
        if self.owner_partner_id:
            return str(self.owner_partner.name)
        return ""

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.OPEN, self.Status.IN_PROGRESS)

    @property
    def is_overdue(self) -> bool:
        return bool(self.is_open and self.due_date and self.due_date < timezone.localdate())


# --- knock and admit ------------------------------------------------------------------------------

KNOCK_NAME_MAX_LENGTH = 100


class KnockQuerySet(models.QuerySet):
    def waiting(self, now=None):
        """Knocks still waiting for the facilitator; older ones have expired (Knock.is_expired)."""
        return self.filter(
            status=Knock.Status.WAITING, created_at__gt=(now or timezone.now()) - Knock.lifetime()
        )


class Knock(SubmittedOnce):
    """Someone in the room without a personal link asks to take part: they picked an organisation
    and typed a name; the facilitator admits them (a new representative) or turns them away.

    The browser that knocked keeps a secret in its session; only its SHA-256 hash is stored here,
    so the admitted session can only ever go to that browser (workshops/admission.py).
    """

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        ADMITTED = "admitted", _("Admitted")
        TURNED_AWAY = "turned_away", _("Turned away")

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="knocks", verbose_name=_("workshop")
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    name = models.CharField(_("your name"), max_length=KNOCK_NAME_MAX_LENGTH)
    email = models.EmailField(_("your email address"), blank=True)
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(max_length=12, choices=Status, default=Status.WAITING)
    participant = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # When the browser that knocked took its participant session: that happens once.
    claimed_at = models.DateTimeField(null=True, blank=True)

    objects = KnockQuerySet.as_manager()

    class Meta:
        verbose_name = _("request to join")
        verbose_name_plural = _("requests to join")
        ordering = ["created_at", "pk"]
        constraints = [
            once_constraint("workshops_knock", "workshop"),
            models.CheckConstraint(
                condition=Q(status__in=["waiting", "admitted", "turned_away"]),
                name="workshops_knock_status_valid",
            ),
        ]
        # The console's waiting list: a workshop's knocks by status, oldest first.
        indexes = [
            models.Index(
                fields=["workshop", "status", "created_at"], name="workshops_knock_waiting"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.get_status_display()})"

    @staticmethod
    def lifetime():
        return timedelta(minutes=settings.KNOCK_MINUTES)

    @property
    def is_expired(self) -> bool:
        return (
            self.status == self.Status.WAITING
            and self.created_at <= timezone.now() - self.lifetime()
        )


# --- calendar -------------------------------------------------------------------------------------


class WorkshopInvitation(models.Model):
    """A participant got the calendar invitation of a workshop (workshops/invitations.py).

    One row per workshop and participant: pressing "send" again reaches only those without one
    (added later), and a double submit finds the rows of the first. Updates and the cancellation
    go to everyone with a row, with the workshop's raised SEQUENCE.
    """

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("workshop")
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="workshop_invitations",
        verbose_name=_("representative"),
    )
    # The SEQUENCE of the last version mailed to this person, and when it left.
    sequence = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("workshop invitation")
        verbose_name_plural = _("workshop invitations")
        ordering = ["workshop", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "participant"], name="workshops_workshopinvitation_once"
            )
        ]

    def __str__(self):
        return f"{self.participant} – {self.workshop}"


class CalendarFeedQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class CalendarFeed(models.Model):
    """A person's private calendar address (/agenda/<token>.ics): a participant's or an account's.

    Only the token's SHA-256 hash is looked up. The token itself is an HMAC of a random nonce under
    the site's secret key, so the settings page can show the address again while the database
    alone (a backup, a leak) cannot produce it. A new address revokes the old one.
    """

    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_feeds",
        verbose_name=_("representative"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_feeds",
        verbose_name=_("account"),
    )
    nonce = models.CharField(max_length=64, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_read_at = models.DateTimeField(null=True, blank=True)

    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(participant__isnull=True, user__isnull=False)
                | Q(participant__isnull=False, user__isnull=True),
                name="workshops_calendarfeed_one_owner",
            ),
            # One live address per person: a simultaneous second "new address" fails here.
            models.UniqueConstraint(
                fields=["participant"],
                condition=Q(revoked_at__isnull=True, participant__isnull=False),
                name="workshops_calendarfeed_one_active_participant",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(revoked_at__isnull=True, user__isnull=False),
                name="workshops_calendarfeed_one_active_user",
            ),
        ]

    def __str__(self):
        return f"{self.participant or self.user} – {self.created_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("calendar:feed", args=[self.token])

    @staticmethod
    def token_for(nonce: str) -> str:
        # 256 bits (SHA-256 HMAC), URL-safe; only computable with SECRET_KEY.
        digest = salted_hmac("coconnect.calendar-feed", nonce, algorithm="sha256").hexdigest()
        return digest

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def new_fields(cls) -> dict:
        nonce = secrets.token_hex(16)
        return {"nonce": nonce, "token_hash": cls.hash_token(cls.token_for(nonce))}

    @property
    def token(self) -> str:
        return self.token_for(self.nonce)

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
