"""Data the benches build alike, inside their child processes (after `django.setup()`: this module
imports the models, so the parent process, which never sets Django up, must not import it)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from interests.models import Interest, InterestRound, Theme
from trajectories.models import Partner, Trajectory


def revealed_round(
    trajectory: Trajectory,
    partners: list[Partner],
    *,
    now: datetime,
    themes: int,
    interests: int,
    classifications: list[str],
    interest_fields: Callable[[int], dict] = lambda i: {},
) -> tuple[InterestRound, list[Theme], list[Interest]]:
    """A round revealed 20 days ago: `themes` themes (classified in turn by `classifications`)
    and `interests` submitted interests spread over the partners, the three tiers and the themes.
    `interest_fields(i)`: more fields of the i-th interest."""
    round_ = InterestRound.objects.create(
        trajectory=trajectory,
        title="Belangen in de opbouwfase",
        phase="build_up",
        status="revealed",
        revealed_at=now - timedelta(days=20),
    )
    round_themes = [
        Theme.objects.create(
            trajectory=trajectory,
            round=round_,
            name=f"Thema {t + 1:02d}: wonen en zorg",
            classification=classifications[t % len(classifications)],
            rationale="Partners zien hier raakvlakken én spanning.",
        )
        for t in range(themes)
    ]
    tiers = ["named", "anonymous", "facilitator"]
    round_interests = Interest.objects.bulk_create(
        Interest(
            round=round_,
            partner=partners[i % len(partners)],
            statement=f"Belang {i + 1}: snelle doorstroom naar een passende woning",
            why="Cliënten wachten nu te lang; dat kost zorg én geld.",
            success="Binnen zes maanden na indicatie een eigen woning.",
            contribution="Woningen, begeleiding en een vast aanspreekpunt.",
            tier=tiers[i % 3],
            status="submitted",
            theme=round_themes[i % themes],
            submitted_at=now - timedelta(days=25),
            **interest_fields(i),
        )
        for i in range(interests)
    )
    return round_, round_themes, round_interests
