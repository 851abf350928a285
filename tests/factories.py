"""Plain functions that build test data. Every argument has a sensible default."""

import itertools

from django.contrib.auth import get_user_model

from trajectories.models import Membership, Participant, Partner, Trajectory
from trajectories.services import invite_issue, trajectory_creation_allow

_seq = itertools.count(1)

DEMO_TRAJECTORY_NAME = "Van beschermd wonen naar een eigen thuis"
PASSWORD = "correct-horse-battery"  # every test user's, unless a test gives another


def make_user(username=None, password=PASSWORD, *, may_create_trajectories=False, **extra):
    username = username or f"user{next(_seq)}"
    user = get_user_model().objects.create_user(
        username=username, password=password, email=f"{username}@example.org", **extra
    )
    if may_create_trajectories:
        trajectory_creation_allow(user=user)
    return user


def make_trajectory(name=None, *, facilitator=None, manager=None, **fields):
    trajectory = Trajectory.objects.create(
        name=name or f"Traject {next(_seq)}",
        task=fields.pop("task", "Mensen uit beschermd wonen sneller naar een eigen woning."),
        **fields,
    )
    if facilitator is not None:
        Membership.objects.create(
            trajectory=trajectory, user=facilitator, role=Membership.Role.FACILITATOR
        )
    if manager is not None:
        Membership.objects.create(trajectory=trajectory, user=manager, role=Membership.Role.MANAGER)
    return trajectory


def make_other_trajectory(name="Ander traject"):
    """A second trajectory with its own people, for tests that try to cross over.

    The trajectory carries `facilitator`, `manager` and `participant` as attributes.
    """
    facilitator = make_user("other-facilitator")
    manager = make_user("other-manager")
    other = make_trajectory(name, facilitator=facilitator, manager=manager)
    other.participant = make_participant(make_partner(other, "Woonstichting Elders"), "Piet Elders")
    other.facilitator = facilitator
    other.manager = manager
    return other


def make_partner(trajectory, name=None, kind=Partner.Kind.MUNICIPALITY):
    return Partner.objects.create(
        trajectory=trajectory, name=name or f"Partner {next(_seq)}", kind=kind
    )


def make_participant(partner, name=None, level=Participant.Level.PROFESSIONAL, **fields):
    return Participant.objects.create(
        partner=partner, name=name or f"Deelnemer {next(_seq)}", level=level, **fields
    )


def make_invite(participant, **kwargs):
    """Returns (link, clear token)."""
    return invite_issue(participant=participant, **kwargs)


def login_participant(client, participant):
    """Open a fresh invite link in `client`, as a participant would."""
    _link, token = make_invite(participant)
    response = client.get(f"/i/{token}/")
    assert response.status_code == 302, response
    return client
