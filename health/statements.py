"""The pulse: a fixed set of statements, grouped by topic.

The keys are stored with every answer, so they never change; the wording may. Topics are the three
driving forces (intention, action, connection), the phase questions, trust and mandate.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Topic(models.TextChoices):
    INTENTION = "intention", _("Intention")
    ACTION = "action", _("Action")
    CONNECTION = "connection", _("Connection")
    INVITATION = "invitation", _("The invitation")
    ATTRACTIVENESS = "attractiveness", _("Attractiveness and expectations")
    WORK_STRUCTURE = "work_structure", _("Work structure")
    IN_STEP = "in_step", _("Content and support in step")
    AMBITION = "ambition", _("Room for ambition")
    TRUST = "trust", _("Trust")
    MANDATE = "mandate", _("Mandate")


FORCES = (Topic.INTENTION, Topic.ACTION, Topic.CONNECTION)
TOPICS = tuple(Topic)


@dataclass(frozen=True)
class Statement:
    key: str
    topic: str
    text: str


STATEMENTS = (
    Statement(
        "intention_goals",
        Topic.INTENTION,
        _("Our shared goals are clear and laid down in plans or agreements."),
    ),
    Statement(
        "intention_means",
        Topic.INTENTION,
        _("The money and commissions needed for our shared task have been arranged."),
    ),
    Statement(
        "action_plans",
        Topic.ACTION,
        _("We have concrete work plans and joint teams that actually do the work."),
    ),
    Statement(
        "action_practice",
        Topic.ACTION,
        _("In daily practice, people from the partners work together on real cases."),
    ),
    Statement(
        "connection_involved",
        Topic.CONNECTION,
        _("All partners stay involved and help each other when things get difficult."),
    ),
    Statement(
        "connection_linked",
        Topic.CONNECTION,
        _(
            "Our work processes, methods and information systems are linked across the "
            "organisations."
        ),
    ),
    Statement(
        "invitation_clear",
        Topic.INVITATION,
        _("It is clear what this collaboration asks of my organisation."),
    ),
    Statement(
        "attractive_join",
        Topic.ATTRACTIVENESS,
        _(
            "Taking part is worthwhile for my organisation, and what is expected of us is "
            "realistic."
        ),
    ),
    Statement(
        "structure_good_enough",
        Topic.WORK_STRUCTURE,
        _("The way we have organised the work is good enough to make progress."),
    ),
    Statement(
        "in_step",
        Topic.IN_STEP,
        _("What we decide here is also carried by the people in my own organisation."),
    ),
    Statement(
        "ambition_room",
        Topic.AMBITION,
        _("There is still room to look creatively for new solutions."),
    ),
    Statement(
        "trust_partners",
        Topic.TRUST,
        _("I can count on the other partners to do what they promise."),
    ),
    Statement(
        "mandate_known",
        Topic.MANDATE,
        _("I know what I may decide at this table on behalf of my organisation."),
    ),
)
STATEMENT_KEYS = tuple(s.key for s in STATEMENTS)
TOPIC_OF = {s.key: s.topic for s in STATEMENTS}

SCALE = (
    (1, _("Strongly disagree")),
    (2, _("Disagree")),
    (3, _("Neutral")),
    (4, _("Agree")),
    (5, _("Strongly agree")),
)
