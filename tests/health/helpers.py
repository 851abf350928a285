"""Test data for collaboration health."""

from django.utils import timezone

from health import services
from health.models import Pulse, Risk
from health.statements import STATEMENTS
from tests import factories
from trajectories.models import Participant


def answers(scores: dict | None = None, default: int = 3, remark: str = "") -> dict:
    """statement key -> (score, remark); `scores` maps a topic to the score for its statements."""
    scores = scores or {}
    return {s.key: (scores.get(s.topic, default), remark) for s in STATEMENTS}


def form_data(scores: dict | None = None, default: int = 3, remark: str = "") -> dict:
    data = {}
    for key, (score, text) in answers(scores, default, remark).items():
        data[f"score_{key}"] = str(score)
        data[f"remark_{key}"] = text
    return data


def people(partner, n, level=Participant.Level.PROFESSIONAL):
    return [factories.make_participant(partner, level=level) for _ in range(n)]


def answered_pulse(trajectory, respondents, scores=None, title=None, status=Pulse.Status.CLOSED):
    """A pulse answered by `respondents` ([(participant, scores)] or [participant])."""
    pulse = services.pulse_create(
        trajectory=trajectory, title=title or f"Pulse {Pulse.objects.count() + 1}", open_now=True
    )
    for item in respondents:
        person, own = item if isinstance(item, tuple) else (item, scores)
        services.response_submit(pulse=pulse, participant=person, answers=answers(own))
    if status == Pulse.Status.CLOSED:
        services.pulse_close(pulse=pulse)
    return pulse


def make_risk(trajectory, title="Oud", **fields) -> Risk:
    """A policy risk, due for review today; `fields` override any of it."""
    values = {"category": "policy", "likelihood": 2, "impact": 2}
    values.update(fields)
    values.setdefault("review_on", timezone.localdate())
    return Risk.objects.create(trajectory=trajectory, title=title, **values)
