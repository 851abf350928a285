import hashlib
import secrets
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coconnect import mail
from coconnect.once import SubmittedOnce, once_constraint
from coconnect.stale import Versioned

RETENTION_MONTHS_MAX = 120


class TrajectoryQuerySet(models.QuerySet):
    def for_user(self, user):
        """Trajectories the user is a member of (facilitator or manager)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user)


class Trajectory(SubmittedOnce, Versioned):
    class Occasion(models.TextChoices):
        START = "start", _("Start and build-up of the collaboration")
        CHANGE = "change", _("Interim change")
        IMPROVEMENT = "improvement", _("Improvement of a running collaboration")
        RESISTANCE = "resistance", _("Resistance in the environment or the constituency")
        TRAINING = "training", _("Training or peer review")

    class Phase(models.TextChoices):
        EXPLORATION = "exploration", _("Exploration")
        DESIGN = "design", _("Design")
        BUILD_UP = "build_up", _("Build-up")
        EXECUTION = "execution", _("Execution")
        EVALUATION = "evaluation", _("Evaluation and adjustment")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        CLOSED = "closed", _("Completed")

    name = models.CharField(_("name"), max_length=200)
    task = models.TextField(_("shared task"), max_length=5000)
    goals = models.TextField(_("goals"), max_length=5000, blank=True)
    occasion = models.CharField(
        _("occasion"), max_length=20, choices=Occasion, default=Occasion.START
    )
    phase = models.CharField(_("phase"), max_length=20, choices=Phase, default=Phase.EXPLORATION)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.ACTIVE)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Retention (AVG): personal data is anonymised this many months after the closing.
    # db_default: rows written by code that predates the column (an old process during a deploy,
    # a historical model in a later data migration) still insert.
    retention_months = models.PositiveSmallIntegerField(
        _("retention period (months)"),
        default=24,
        db_default=24,
        validators=[MinValueValidator(1), MaxValueValidator(RETENTION_MONTHS_MAX)],
        help_text=_(
            "After the trajectory is completed, names, email addresses and who wrote what are "
            "kept this many months; then they are anonymised. The content stays readable."
        ),
    )
    # Set when the status becomes completed (services.trajectory_update), cleared on reopening.
    closed_at = models.DateTimeField(_("completed at"), null=True, blank=True, editable=False)
    # The one warning mail to the facilitators before the anonymisation (retention.py).
    retention_warned_at = models.DateTimeField(null=True, blank=True, editable=False)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)

    objects = TrajectoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("collaboration trajectory")
        verbose_name_plural = _("collaboration trajectories")
        ordering = ["name", "pk"]
        # A trajectory has no owner field: its key is unique on its own (keys are random UUIDs).
        constraints = [once_constraint("trajectories_trajectory")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("trajectories:detail", args=[self.pk])

    @property
    def retention_ends_at(self):
        """When the personal data is anonymised; None while the trajectory is not completed."""
        if self.closed_at is None:
            return None
        return self.closed_at + relativedelta(months=self.retention_months)


class Membership(models.Model):
    class Role(models.TextChoices):
        FACILITATOR = "facilitator", _("Facilitator")
        MANAGER = "manager", _("Manager / board member (read only)")

    trajectory = models.ForeignKey(
        Trajectory,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("trajectory"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role)
    created_at = models.DateTimeField(default=timezone.now)
    # The facilitators' weekly digest of this trajectory; each one may switch it off.
    weekly_digest = models.BooleanField(_("weekly digest by mail"), default=True, db_default=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["trajectory", "user"], name="trajectories_membership_one_per_user"
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.trajectory} ({self.get_role_display()})"


class Partner(SubmittedOnce, Versioned):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality")
        HOUSING = "housing", _("Housing corporation")
        CARE = "care", _("Care institution")
        MENTAL_HEALTH = "mental_health", _("Mental health institution")
        SHELTER = "shelter", _("Shelter organisation")
        COMPANY = "company", _("Company")
        EDUCATION = "education", _("Education / school board")
        GOVERNMENT = "government", _("Other government body")
        OTHER = "other", _("Other")

    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="partners", verbose_name=_("trajectory")
    )
    name = models.CharField(_("organisation name"), max_length=200)
    kind = models.CharField(_("kind of organisation"), max_length=20, choices=Kind)
    # The organisation behind this partner, the same record in every trajectory it joins
    # (organisations/). Empty only for rows written before the link existed.
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partners",
        verbose_name=_("organisation"),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"), "trajectory", name="trajectories_partner_unique_name"
            ),
            once_constraint("trajectories_partner", "trajectory"),
            # A trajectory holds an organisation once (the admin's merge refuses otherwise).
            models.UniqueConstraint(
                fields=["trajectory", "organisation"],
                name="trajectories_partner_one_per_organisation",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.organisation_id is None and self.name:
            # Every new partner points to its organisation, however it is made (the form, the
            # admin, the demo): the one of the same name and kind, or a new one. Imported here:
            # organisations' models build on this module.
            from organisations.services import organisation_for

            self.organisation = organisation_for(
                name=self.name, kind=self.kind, trajectory_id=self.trajectory_id
            )
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "organisation"}
        super().save(*args, **kwargs)


class Participant(SubmittedOnce, Versioned):
    class Level(models.TextChoices):
        BOARD = "board", _("Board member")
        MANAGER = "manager", _("Manager")
        PROFESSIONAL = "professional", _("Professional")

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="participants", verbose_name=_("partner")
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email address"), blank=True)
    level = models.CharField(_("level"), max_length=20, choices=Level)
    mandate = models.TextField(
        _("mandate"),
        max_length=2000,
        blank=True,
        help_text=_("What may this person decide on behalf of the organisation?"),
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The participant asked to be removed (once: a second request mails nobody again).
    removal_requested_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Name, email and links erased (retention.py); the row stays so that dots and attendance
    # keep counting.
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The language of this person's mails and, once signed in, of the pages.
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="nl",
        db_default="nl",
        help_text=_("Mails and pages for this representative are written in this language."),
    )
    # Read by the reminder jobs: one digest instead of each reminder on its own.
    wants_digest = models.BooleanField(
        _("a digest instead of single reminders"), default=False, db_default=False
    )

    class Meta:
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")
        ordering = ["name", "pk"]
        constraints = [once_constraint("trajectories_participant", "partner")]

    def __str__(self):
        return f"{self.name} ({self.partner})"

    @property
    def trajectory_id(self):
        return self.partner.trajectory_id

    @property
    def current_invite(self) -> "InviteLink | None":
        """The newest invite link (usable or not); uses `prefetched_invites` when prefetched."""
        links = getattr(self, "prefetched_invites", None)
        if links is None:
            return self.invite_links.order_by("-created_at", "-pk").first()
        return links[0] if links else None


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InviteLinkQuerySet(models.QuerySet):
    def usable(self):
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )

    def revoke(self) -> int:
        """Revoke the links not revoked yet; returns how many."""
        return self.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


class InviteLink(models.Model):
    """A participant's personal way in. Only the SHA-256 hash of the token is stored."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="invite_links"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = InviteLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("invite link")
        verbose_name_plural = _("invite links")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.participant} – {self.created_at:%Y-%m-%d}"

    @staticmethod
    def new_token() -> str:
        # 32 random bytes = 256 bits, well above the 128 bits we require.
        return secrets.token_urlsafe(32)

    @classmethod
    def default_expiry(cls):
        return timezone.now() + timedelta(days=settings.INVITE_LINK_DAYS)

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return not self.is_revoked and not self.is_expired


# --- issue 15: language, mail preferences, sign-in links ----------------------------------------


class AccountPreferences(models.Model):
    """What an account (facilitator or manager) chose for itself: the language of its mails."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="account_preferences",
        verbose_name=_("user"),
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="nl", db_default="nl"
    )

    class Meta:
        verbose_name = _("account preferences")
        verbose_name_plural = _("account preferences")

    def __str__(self):
        return str(self.user)


class MailOptOut(models.Model):
    """One kind of mail a participant or an account no longer wants (coconnect/mail.py).

    A row per kind, so an unsubscribe stops that kind and nothing else; deleting the row turns it
    back on.
    """

    participant = models.ForeignKey(
        Participant,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="mail_opt_outs",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="mail_opt_outs",
    )
    kind = models.CharField(_("kind of mail"), max_length=20, choices=mail.Kind)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("mail opt-out")
        verbose_name_plural = _("mail opt-outs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(participant__isnull=False, user__isnull=True)
                | models.Q(participant__isnull=True, user__isnull=False),
                name="trajectories_mailoptout_one_owner",
            ),
            models.UniqueConstraint(
                fields=["participant", "kind"],
                condition=models.Q(participant__isnull=False),
                name="trajectories_mailoptout_once_per_participant",
            ),
            models.UniqueConstraint(
                fields=["user", "kind"],
                condition=models.Q(user__isnull=False),
                name="trajectories_mailoptout_once_per_user",
            ),
        ]

    def __str__(self):
        return f"{self.participant or self.user}: {self.kind}"


class SignInTokenQuerySet(models.QuerySet):
    def unspent(self):
        return self.filter(used_at__isnull=True, expires_at__gt=timezone.now())


class SignInToken(models.Model):
    """A short-lived, single-use way in that mails carry, so the personal invite link stays as it
    is. Only the SHA-256 hash of the token is stored."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="sign_in_tokens"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    objects = SignInTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("sign-in link")
        verbose_name_plural = _("sign-in links")

    def __str__(self):
        return f"{self.participant_id} – {self.created_at:%Y-%m-%d %H:%M}"

    @staticmethod
    def new_token() -> str:
        # 32 random bytes = 256 bits, well above the 128 bits we require.
        return secrets.token_urlsafe(32)

    @staticmethod
    def default_expiry():
        return timezone.now() + timedelta(days=settings.SIGN_IN_TOKEN_DAYS)

    @property
    def is_used(self) -> bool:
        return self.used_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()
