from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from coconnect.once import SubmittedOnce, once_constraint
from trajectories.access import COORDINATOR, FACILITATOR, MANAGER
from trajectories.models import Trajectory

# The render task's time limits (reports/tasks.py): past the soft one the report fails with
# "took too long"; at the hard one the worker kills the render.
RENDER_SOFT_LIMIT = 120
RENDER_HARD_LIMIT = 150
# While a worker renders, it marks the report alive this often (services.report_build). A report
# being prepared without a sign of life for three beats lost its worker: the next status poll
# queues it again, so the requester waits seconds, not the broker's ten-minute redelivery.
HEARTBEAT = timedelta(seconds=5)
RENDERING_SILENT_AFTER = 3 * HEARTBEAT
# A queued report waits for a free worker; this long is more than two whole renders, so the
# broker or every worker is away and the requester may send it again.
QUEUED_STUCK_AFTER = timedelta(seconds=2 * RENDER_HARD_LIMIT)
# Re-queued automatically this many times at most; after that the requester decides.
AUTOMATIC_ATTEMPTS = 3


def report_file_name(report, filename=None) -> str:
    # One fixed name per report: a re-render replaces the file instead of adding a second one.
    if report.organisation_id is not None:
        return f"reports/organisations/{report.organisation_id}/report-{report.pk}.pdf"
    return f"reports/{report.trajectory_id}/report-{report.pk}.{report.extension}"


class ReportQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """The reports this viewer may see: a manager never sees a facilitator's edition."""
        return self.visible_to_any([viewer])

    def visible_to_any(self, viewers):
        """The reports any of these viewers (one person in several trajectories) may see."""
        allowed = Q(pk__in=[])
        for viewer in viewers:
            allowed |= Q(trajectory=viewer.trajectory, audience__in=viewer.report_audiences)
        return self.filter(allowed)

    def ready(self):
        return self.filter(status=Report.Status.READY)

    def silent(self):
        """Being prepared, without a sign of life for a while: their worker died."""
        last_sign = Coalesce("heartbeat_at", "started_at", "created_at")
        return self.alias(last_sign=last_sign).filter(
            status=Report.Status.RENDERING, last_sign__lt=timezone.now() - RENDERING_SILENT_AFTER
        )


class Report(SubmittedOnce):
    class Kind(models.TextChoices):
        PROGRESS = "progress", _("Progress report")
        SESSION = "session", _("Session report")
        # The whole trajectory as a ZIP (reports/dossier.py), for facilitators only.
        DOSSIER = "dossier", _("Dossier")
        # One organisation across its trajectories (reports/portfolio.py), for its coordinators.
        PORTFOLIO = "portfolio", _("Portfolio report")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RENDERING = "rendering", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    class Failure(models.TextChoices):
        TIMEOUT = "timeout", _("Preparing the report took too long.")
        UNAVAILABLE = (
            "unavailable",
            _("The database or the file storage was temporarily unavailable."),
        )
        ERROR = "error", _("The report could not be composed.")

    class Audience(models.TextChoices):
        FACILITATOR = FACILITATOR, _("Facilitators (complete)")
        MANAGER = MANAGER, _("Managers and board members")
        # What the organisation's own participants may see (trajectories/access.py).
        COORDINATOR = COORDINATOR, _("The organisation's coordinators")

    class Edition(models.TextChoices):
        SHARED = "shared", _("Shared edition")
        FACILITATOR = "facilitator", _("Facilitator's edition")

    class Language(models.TextChoices):
        DUTCH = "nl", _("Dutch")
        ENGLISH = "en", _("English")

    # Empty only for a portfolio, which belongs to an organisation instead.
    trajectory = models.ForeignKey(
        Trajectory,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("trajectory"),
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("organisation"),
    )
    workshop = models.ForeignKey(
        "workshops.Workshop",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("workshop"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.PROGRESS)
    language = models.CharField(
        _("language"), max_length=5, choices=Language, default=Language.DUTCH
    )
    audience = models.CharField(_("audience"), max_length=12, choices=Audience)
    # A dossier's edition; empty for the PDF reports, whose edition is their audience.
    edition = models.CharField(_("edition"), max_length=12, choices=Edition, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("requested by"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.QUEUED)
    failure = models.CharField(_("reason for failure"), max_length=20, choices=Failure, blank=True)
    error = models.TextField(_("technical details"), blank=True)
    file = models.FileField(_("file"), upload_to=report_file_name, blank=True, max_length=200)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    # Key facts at the moment of rendering, compared by the next progress report.
    snapshot = models.JSONField(_("snapshot"), default=dict, blank=True)
    created_at = models.DateTimeField(_("ordered at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    # The last sign of life: when it was queued, then every HEARTBEAT while a worker renders it.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A double click on "order" makes one report, one render and one mail.
            once_constraint("reports_report", "trajectory"),
            once_constraint("reports_report_portfolio", "organisation"),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "rendering", "ready", "failed"]),
                name="reports_report_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(audience__in=[FACILITATOR, MANAGER, COORDINATOR]),
                name="reports_report_audience_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["progress", "dossier", "portfolio"], workshop__isnull=True)
                | Q(kind="session", workshop__isnull=False),
                name="reports_report_session_has_workshop",
            ),
            # A dossier is the facilitators' alone: managers never see it in their lists.
            models.CheckConstraint(
                condition=~Q(kind="dossier")
                | Q(audience=FACILITATOR, edition__in=["shared", "facilitator"]),
                name="reports_report_dossier_for_facilitators",
            ),
            models.CheckConstraint(
                condition=Q(language__in=["nl", "en"]), name="reports_report_language_valid"
            ),
            # A portfolio belongs to an organisation and is read by its coordinators; every other
            # report belongs to one trajectory.
            models.CheckConstraint(
                condition=Q(
                    kind="portfolio",
                    organisation__isnull=False,
                    trajectory__isnull=True,
                    audience=COORDINATOR,
                )
                | (
                    ~Q(kind="portfolio")
                    & Q(organisation__isnull=True, trajectory__isnull=False)
                    & ~Q(audience=COORDINATOR)
                ),
                name="reports_report_portfolio_of_organisation",
            ),
        ]
        indexes = [
            # The reports tab and the dashboard: a trajectory's reports, newest first.
            models.Index(fields=["trajectory", "-created_at"], name="reports_report_recent"),
        ]

    def __str__(self):
        owner = self.organisation if self.is_portfolio else self.trajectory
        return f"{self.get_kind_display()} – {owner} ({self.created_at:%Y-%m-%d})"

    def get_absolute_url(self):
        if self.is_portfolio:
            return reverse("organisations:report", args=[self.organisation_id, self.pk])
        return reverse("reports:detail", args=[self.trajectory_id, self.pk])

    def get_download_url(self):
        if self.is_portfolio:
            return reverse("organisations:report_download", args=[self.organisation_id, self.pk])
        return reverse("reports:download", args=[self.trajectory_id, self.pk])

    @property
    def is_portfolio(self) -> bool:
        return self.kind == self.Kind.PORTFOLIO

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY and bool(self.file)

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RENDERING)

    @property
    def last_sign_of_life(self):
        return self.heartbeat_at or self.started_at or self.created_at

    @property
    def is_silent(self) -> bool:
        """Being prepared, but its worker stopped beating: it died (or lost its database)."""
        return (
            self.status == self.Status.RENDERING
            and self.last_sign_of_life < timezone.now() - RENDERING_SILENT_AFTER
        )

    @property
    def may_requeue_itself(self) -> bool:
        """A silent report is queued again without asking, a few times."""
        return self.is_silent and self.attempts < AUTOMATIC_ATTEMPTS

    @property
    def is_stuck(self) -> bool:
        """Waiting far longer than any render takes: the requester may have it prepared again."""
        if self.status == self.Status.QUEUED:
            return self.last_sign_of_life < timezone.now() - QUEUED_STUCK_AFTER
        return self.is_silent and not self.may_requeue_itself

    @property
    def can_retry(self) -> bool:
        return self.is_failed or self.is_stuck

    @property
    def is_dossier(self) -> bool:
        return self.kind == self.Kind.DOSSIER

    @property
    def extension(self) -> str:
        return "zip" if self.is_dossier else "pdf"

    @property
    def content_type(self) -> str:
        return "application/zip" if self.is_dossier else "application/pdf"

    def download_name(self) -> str:
        """A file name a person recognises in their downloads folder."""
        if self.is_dossier:
            from .dossier import dossier_file_name

            return dossier_file_name(self.trajectory, self.edition, on=self.created_at)
        with translation.override(self.language):
            kind = slugify(str(self.Kind(self.kind).label))
        subject = slugify(self.subject_name())[:60] or str(self.trajectory_id)
        return f"{kind}-{subject}-{timezone.localdate(self.created_at):%Y-%m-%d}.pdf"

    def subject_name(self) -> str:
        if self.kind == self.Kind.SESSION and self.workshop is not None:
            return self.workshop.title
        if self.is_portfolio:
            return self.organisation.name
        return self.trajectory.name


@receiver(post_delete, sender=Report)
def _delete_report_file(sender, instance, **kwargs):
    """A deleted report (or trajectory) leaves no PDF behind in the storage."""
    if instance.file:
        name, storage = instance.file.name, instance.file.storage
        transaction.on_commit(lambda: storage.delete(name))
