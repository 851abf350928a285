"""Who may see what: the one place every app asks.

A request reaches a trajectory either as a signed-in member (facilitator or manager) or as a
participant who opened an invite link (no account; the invite id lives in the session). Every view,
fragment, export and download of every app resolves its `Viewer` through `get_viewer` or the
`trajectory_view` decorator, and never re-derives membership on its own.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import InviteLink, Membership, Participant, Partner, Trajectory

# Members' roles are the Membership roles themselves; a participant holds an invite link, not an
# account, so that role exists only here.
FACILITATOR = Membership.Role.FACILITATOR
MANAGER = Membership.Role.MANAGER
PARTICIPANT = "participant"
# A coordinator of a partner organisation (organisations/): an account that reads, in each
# trajectory where its organisation is a partner, what that organisation's participants may read,
# and writes nothing. Not in EVERYONE: a trajectory page admits a coordinator only when it names
# the role itself. Today only the organisation's portfolio does (organisations/views.py); every
# other page of the trajectory answers a coordinator 403, and 404 where the organisation is not a
# partner.
COORDINATOR = "coordinator"
MEMBERS = (FACILITATOR, MANAGER)
EVERYONE = (FACILITATOR, MANAGER, PARTICIPANT)

SESSION_INVITE_KEY = "coconnect_invite_id"

# Starting a trajectory is an account-level permission, not a role in a trajectory: facilitators
# get it when they become one (trajectories.services), managers do not; admins may grant it.
CREATE_TRAJECTORY_PERMISSION = "trajectories.add_trajectory"


def may_create_trajectories(user) -> bool:
    return user.is_authenticated and user.has_perm(CREATE_TRAJECTORY_PERMISSION)


@dataclass(frozen=True)
class Viewer:
    trajectory: Trajectory
    role: str
    user: object | None = None
    participant: Participant | None = None
    # A coordinator's organisation as a partner of this trajectory (role COORDINATOR only).
    coordinated_partner: Partner | None = None

    @property
    def is_facilitator(self) -> bool:
        return self.role == FACILITATOR

    @property
    def is_manager(self) -> bool:
        return self.role == MANAGER

    @property
    def is_participant(self) -> bool:
        return self.role == PARTICIPANT

    @property
    def is_coordinator(self) -> bool:
        return self.role == COORDINATOR

    @property
    def can_edit(self) -> bool:
        return self.role == FACILITATOR

    @property
    def partner(self) -> Partner | None:
        """The viewer's own organisation in this trajectory: a participant's or a coordinator's."""
        if self.participant:
            return self.participant.partner
        return self.coordinated_partner

    @property
    def partner_id(self) -> int | None:
        if self.participant:
            return self.participant.partner_id
        return self.coordinated_partner.pk if self.coordinated_partner else None

    # Object-level rules, one section per app. Views, fragments, exports and reports ask these;
    # they never decide on their own who may see or change an object.

    # --- trajectories ---

    # --- interests ---

    def as_room(self) -> Viewer:
        """The whole room (a projector, a shared screen): only what every partner may see.

        A facilitator's own view would show facilitator-only interests and the names on
        anonymous ones; a participant's would show the own organisation's drafts.
        """
        return replace(self, role=MANAGER, user=None, participant=None, coordinated_partner=None)

    # --- workshops ---

    # --- improvements ---

    def gain_partners(self, partners) -> list:
        """The partners whose expected gain on a proposal this viewer may set.

        The facilitator estimates for everyone; a participant speaks only for their own
        organisation, never for another partner's gain.
        """
        if self.is_facilitator:
            return list(partners)
        if self.is_participant:
            return [p for p in partners if p.pk == self.partner_id]
        return []

    def may_edit_proposal(self, proposal) -> bool:
        """The facilitator, or a participant of the organisation that made the proposal."""
        if self.is_facilitator:
            return True
        return self.is_participant and proposal.proposer_partner_id == self.partner_id

    @property
    def may_link_unrevealed_themes(self) -> bool:
        """Themes of a round not yet revealed are the facilitator's working material; everyone
        else links a proposal only to themes the room has seen."""
        return self.is_facilitator

    def may_update_action(self, action) -> bool:
        """The facilitator, or a participant of the organisation that owns the action item:
        named as its owner, or through the colleague who owns it."""
        if self.is_facilitator:
            return True
        if not self.is_participant:
            return False
        owner_partner_id = action.owner_partner_id or (
            action.owner_participant.partner_id if action.owner_participant_id else None
        )
        return owner_partner_id is not None and owner_partner_id == self.partner_id

    # --- health ---

    # --- reports ---

    @property
    def report_audiences(self) -> tuple[str, ...]:
        """The report editions this viewer may read and order.

        Facilitators read everything, so both editions; a manager only the managers' edition,
        which leaves out what partners shared with the facilitator only. Participants none.
        """
        if self.is_facilitator:
            return (FACILITATOR, MANAGER)
        if self.is_manager:
            return (MANAGER,)
        return ()

    @property
    def may_order_session_reports(self) -> bool:
        """A session report is the facilitator's; a manager orders progress reports only."""
        return self.is_facilitator

    def may_retry_report(self, report) -> bool:
        """Facilitators retry any report they see; a manager only the one they ordered."""
        if report.audience not in self.report_audiences:
            return False
        return self.is_facilitator or (
            self.user is not None and report.requested_by_id == self.user.pk
        )

    # --- organisations ---

    @classmethod
    def of_coordinator(cls, user, partners) -> list[Viewer]:
        """A coordinator's viewer in the trajectory of each of these partners (their organisation's
        partners, trajectory selected): the same role `resolve_viewer` gives them there."""
        return [
            cls(trajectory=p.trajectory, role=COORDINATOR, user=user, coordinated_partner=p)
            for p in partners
        ]

    @classmethod
    def of_member(cls, user) -> list[Viewer]:
        """A viewer for every trajectory this signed-in person is a member of, by name."""
        memberships = (
            Membership.objects.filter(user=user)
            .select_related("trajectory")
            .order_by("trajectory__name", "trajectory__pk")
        )
        return [cls(trajectory=m.trajectory, role=m.role, user=user) for m in memberships]


def participant_invite(request) -> InviteLink | None:
    """The usable invite link behind this session, with participant, partner and trajectory."""
    invite_id = request.session.get(SESSION_INVITE_KEY)
    if not invite_id:
        return None
    invite = (
        InviteLink.objects.usable()
        .select_related("participant__partner__trajectory")
        .filter(pk=invite_id)
        .first()
    )
    if invite is None:
        # Revoked, expired or re-issued: the session ends at once.
        request.session.pop(SESSION_INVITE_KEY, None)
    return invite


def resolve_viewer(request, trajectory_id: int) -> Viewer | None:
    """Who this request is in the trajectory, or None; never refuses.

    For the few pages that must answer everyone without telling whether a trajectory exists
    (the workshop QR join): they ask this instead of re-deriving membership. Every other view
    uses `get_viewer` / `trajectory_view`, which refuse.
    """
    user = request.user
    if user.is_authenticated:
        membership = (
            Membership.objects.select_related("trajectory")
            .filter(trajectory_id=trajectory_id, user=user)
            .first()
        )
        if membership:
            return Viewer(trajectory=membership.trajectory, role=membership.role, user=user)
    participant = request.participant
    if participant is not None and participant.partner.trajectory_id == int(trajectory_id):
        return Viewer(
            trajectory=participant.partner.trajectory,
            role=PARTICIPANT,
            user=user if user.is_authenticated else None,
            participant=participant,
        )
    if user.is_authenticated:
        coordinated = coordinated_partner(user, trajectory_id)
        if coordinated is not None:
            return Viewer(
                trajectory=coordinated.trajectory,
                role=COORDINATOR,
                user=user,
                coordinated_partner=coordinated,
            )
    return None


def coordinated_partner(user, trajectory_id: int) -> Partner | None:
    """The partner in this trajectory of an organisation the user coordinates, or None."""
    return (
        Partner.objects.select_related("trajectory")
        .filter(trajectory_id=trajectory_id, organisation__coordinators__user=user)
        .order_by("pk")
        .first()
    )


@dataclass(frozen=True)
class PortfolioAccess:
    """Who reads an organisation's portfolio, and which of its partners (trajectory selected)."""

    organisation: object
    is_coordinator: bool
    partners: list

    @property
    def may_order_report(self) -> bool:
        # The report covers every trajectory of the organisation: its coordinators' alone.
        return self.is_coordinator

    def viewers(self, user) -> list[Viewer]:
        return Viewer.of_coordinator(user, self.partners)


def get_portfolio_access(user, organisation_id: int) -> PortfolioAccess:
    """An organisation's portfolio for this signed-in user, or 404.

    A coordinator of the organisation sees every trajectory it takes part in. A facilitator sees
    the portfolio limited to the trajectories they facilitate where it is a partner, so that
    nobody learns through it of a trajectory they have no part in; with none, 404. Managers and
    participants have no portfolio. Three queries.
    """
    from organisations.models import Organisation

    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None or not user.is_authenticated:
        raise Http404
    partners = Partner.objects.filter(organisation=organisation).select_related("trajectory")
    is_coordinator = organisation.coordinators.filter(user=user).exists()
    if not is_coordinator:
        partners = partners.filter(
            trajectory__memberships__user=user, trajectory__memberships__role=FACILITATOR
        )
    partners = list(partners.order_by("trajectory__name", "trajectory__pk"))
    if not is_coordinator and not partners:
        raise Http404
    return PortfolioAccess(
        organisation=organisation, is_coordinator=is_coordinator, partners=partners
    )


def get_viewer(request, trajectory_id: int, roles=EVERYONE) -> Viewer:
    """The viewer, or: a login redirect for strangers, 404 for outsiders, 403 for a wrong role."""
    viewer = resolve_viewer(request, trajectory_id)
    if viewer is None:
        if not request.user.is_authenticated and request.participant is None:
            raise LoginRequired(request)
        # Never reveal whether another trajectory exists.
        raise Http404
    if viewer.role not in roles:
        raise PermissionDenied
    return viewer


class LoginRequired(Exception):
    """Raised for a stranger; ParticipantMiddleware answers it with a redirect to the login page."""

    def __init__(self, request):
        self.request = request


def trajectory_view(*roles):
    """Decorate a view taking `trajectory_pk`; it receives the resolved `viewer` instead."""
    allowed = roles or EVERYONE

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, trajectory_pk, *args, **kwargs):
            viewer = get_viewer(request, trajectory_pk, allowed)
            return view(request, viewer, *args, **kwargs)

        return wrapper

    return decorator


def get_object_in_trajectory(queryset, viewer: Viewer, trajectory_field="trajectory", **lookup):
    """Fetch one object that belongs to the viewer's trajectory, or 404.

    Guards against another trajectory's ids in a URL: the id alone is never enough.
    """
    try:
        return queryset.get(**{trajectory_field: viewer.trajectory}, **lookup)
    except queryset.model.DoesNotExist:
        raise Http404 from None
