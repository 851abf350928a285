"""What the three live screens show, and the fragment cache keyed by workshop version.

Every builder runs a fixed number of queries, whatever the number of contributions, dots and
participants. Fragments that do not depend on the person looking (the projector, the shared part
of a participant's screen per partner) are cached per version, so a change fetched by hundreds of
phones is rendered once.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Count, FilteredRelation, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from trajectories.access import MANAGER, PARTICIPANT, Viewer
from trajectories.models import Participant, Partner

from . import doorbell
from .agenda_plugins import PLUGINS, plugin_for
from .forms import ContributionForm
from .models import (
    ActionItem,
    AgendaItem,
    Agreement,
    Contribution,
    DotVote,
    VoteOption,
    Workshop,
)

PRESENCE_SECONDS = 75


def cached_fragment(workshop: Workshop, variant: str, build, *, others=None) -> str:
    """Render once per (workshop version, variant, language); kept where the doorbell can serve it.

    `others(html)`, asked only when rendering, gives further variants' HTML to store at once.
    """
    language = translation.get_language()

    def key(name: str) -> str:
        return doorbell.fragment_key(workshop.live_key, name, language)

    html = doorbell.fragment_get(key(variant), workshop.version)
    if html is None:
        doorbell.language_seen(workshop.live_key, language)
        html = build()
        fragments = {**(others(html) if others else {}), variant: html}
        doorbell.fragments_set(
            {key(name): value for name, value in fragments.items()}, workshop.version
        )
    return html


def shared_variant(viewer: Viewer) -> str:
    """Which shared rendering a screen gets: one per partner for phones, one for the room."""
    return f"partner-{viewer.partner_id}" if viewer.is_participant else "projector"


def shared_token(live_key: str, variant: str, invite_id: int) -> str:
    """Proof that a page behind trajectories.access handed out this variant's address, to the
    holder of this invite link (the address stops with the link: doorbell.passes_close)."""
    message = f"{live_key}:{variant}:{invite_id}"
    return salted_hmac("workshops.live.shared", message).hexdigest()[:32]


def audience_for(workshop: Workshop, variant: str) -> Viewer | None:
    """The viewer a shared variant is rendered for, or None for an unknown variant (1 query)."""
    if variant == "projector":
        return Viewer(trajectory=workshop.trajectory, role=MANAGER)
    if variant.startswith("partner-") and variant[8:].isdigit():
        partner = Partner.objects.filter(
            pk=int(variant[8:]), trajectory_id=workshop.trajectory_id
        ).first()
        if partner is None:
            return None
        return _partner_viewer(workshop, partner)
    return None


def _partner_viewer(workshop: Workshop, partner: Partner) -> Viewer:
    # Stands for "any representative of this partner": the tier rule looks at the partner only.
    return Viewer(
        trajectory=workshop.trajectory, role=PARTICIPANT, participant=Participant(partner=partner)
    )


# --- presence -------------------------------------------------------------------------------------


def _presence_key(workshop_pk: int, participant_pk: int) -> str:
    return f"workshops:presence:{workshop_pk}:{participant_pk}"


def presence_touch(workshop: Workshop, participant: Participant) -> None:
    cache.set(
        _presence_key(workshop.pk, participant.pk), timezone.now().timestamp(), PRESENCE_SECONDS
    )


def presence(workshop: Workshop) -> list[Partner]:
    """Partners with their participants, each marked `.connected` and `.attended` (2 queries)."""
    partners = list(
        Partner.objects.filter(trajectory_id=workshop.trajectory_id).prefetch_related(
            "participants"
        )
    )
    attended = set(workshop.attendances.values_list("participant_id", flat=True))
    people = [person for partner in partners for person in partner.participants.all()]
    seen = cache.get_many([_presence_key(workshop.pk, person.pk) for person in people])
    for person in people:
        person.connected = _presence_key(workshop.pk, person.pk) in seen
        person.attended = person.pk in attended
    for partner in partners:
        partner.connected_count = sum(1 for p in partner.participants.all() if p.connected)
    return partners


# --- the current item -----------------------------------------------------------------------------


def agenda(workshop: Workshop) -> list[AgendaItem]:
    return list(workshop.items.order_by("position", "pk"))


def item_content(item: AgendaItem | None, viewer: Viewer, *, screen: str, request=None) -> dict:
    """The data of the current item for one screen: 'console', 'projector' or 'participant'."""
    if item is None:
        return {}
    kind = item.kind
    content: dict = {}
    if kind == AgendaItem.Kind.AGREEMENTS:
        content.update(outcomes(item.workshop_id))
    if item.takes_contributions:
        contributions = Contribution.objects.filter(item=item).select_related(
            "partner", "participant"
        )
        if screen != "console":
            contributions = contributions.filter(status=Contribution.Status.VISIBLE)
        else:
            contributions = contributions.exclude(status=Contribution.Status.REMOVED)
        content["contributions"] = list(contributions.order_by("-created_at", "-pk"))
    elif kind == AgendaItem.Kind.DOT_VOTING:
        options = list(item.options.annotate(dot_count=Count("dots")).order_by("position", "pk"))
        show = screen == "console" or item.is_revealed
        content["options"] = (
            sorted(options, key=lambda o: (-o.dot_count, o.position))
            if item.is_revealed
            else options
        )
        # Places in the ranking: equal counts share a place; every option with the most dots wins.
        for option in options:
            option.rank = 1 + sum(other.dot_count > option.dot_count for other in options)
            option.wins = item.is_revealed and option.rank == 1 and option.dot_count > 0
        content["winners"] = sum(option.wins for option in options)
        content["show_results"] = show
        content["max_dots"] = max((o.dot_count for o in options), default=0) or 1
        content["voters"] = (
            DotVote.objects.filter(item=item).values("participant").distinct().count()
        )
    elif kind in (AgendaItem.Kind.INTERESTS_ROUND, AgendaItem.Kind.THEMES):
        content.update(_interests_content(item, viewer))
    elif kind in PLUGINS:
        content.update(_plugin_content(item, viewer, screen, request))
    return content


def outcomes(workshop_id: int) -> dict:
    """What the room agreed in this workshop, and who does what by when (2 queries)."""
    actions = ActionItem.objects.filter(workshop_id=workshop_id).select_related(
        "owner_partner", "owner_participant"
    )
    return {
        "agreements": list(Agreement.objects.filter(workshop_id=workshop_id)),
        "actions": list(actions.order_by("created_at", "pk")),
    }


def end_content(workshop: Workshop) -> dict:
    """The end screen of a closed workshop: outcomes and what comes next (3 queries)."""
    upcoming = Workshop.objects.filter(
        trajectory_id=workshop.trajectory_id,
        status=Workshop.Status.PLANNED,
        starts_at__gt=timezone.now(),
    ).order_by("starts_at", "pk")
    return {**outcomes(workshop.pk), "next_workshop": upcoming.first()}


def _interests_content(item: AgendaItem, viewer: Viewer) -> dict:
    from interests.models import Interest, Theme, named_and_anonymous, with_display_partner

    round_ = item.interest_round
    if round_ is None:
        return {"no_round": True}
    if item.kind == AgendaItem.Kind.INTERESTS_ROUND:
        interests = (
            Interest.objects.visible_to(viewer)
            .filter(round=round_)
            .select_related("partner", "theme")
            .order_by("partner__name", "pk")
        )
        # Anonymous interests apart, in an order that does not follow their partner.
        named, anonymous = named_and_anonymous(with_display_partner(interests, viewer))
        return {"round": round_, "interests": named, "anonymous_interests": anonymous}
    visible = Interest.objects.visible_to(viewer).filter(round=round_)
    themes = list(
        Theme.objects.filter(round=round_)
        .annotate(interest_count=Count("interests", filter=Q(interests__in=visible.values("pk"))))
        .order_by("name", "pk")
    )
    return {"round": round_, "themes": themes, "classifications": Theme.Classification.choices}


def _plugin_content(item: AgendaItem, viewer: Viewer, screen: str, request=None) -> dict:
    """Render another app's part (see agenda_plugins.py) to HTML."""
    try:
        module = plugin_for(item.kind)
    except ModuleNotFoundError:
        return {"plugin_missing": True}
    app = module.__name__.split(".")[0]
    context = {
        "item": item,
        "workshop": item.workshop,
        "viewer": viewer,
        **module.live_context(item, viewer),
    }
    html = render_to_string(f"{app}/live/_{screen}.html", context, request=request)
    return {"plugin_html": mark_safe(html)}


def mine(workshop: Workshop, participant: Participant, *, notes: bool = True) -> dict:
    """What a phone marks as its own, for every item of the workshop: its dots per voting item and
    option (1 query) and, for a page, its contributions (1 query). The phone keeps them, so a move
    to a vote draws its dots and its notes are marked "you" without a request per phone; the
    shared fragment itself never says who wrote what."""
    dots: dict[int, dict[int, int]] = {}
    rows = workshop.items.filter(kind=AgendaItem.Kind.DOT_VOTING).annotate(
        own=FilteredRelation("dots", condition=Q(dots__participant=participant))
    )
    for item_pk, option_pk in rows.values_list("pk", "own__option_id"):
        placed = dots.setdefault(item_pk, {})
        if option_pk is not None:
            placed[option_pk] = placed.get(option_pk, 0) + 1
    if not notes:
        return {"dots": dots, "notes": []}
    own = Contribution.objects.filter(item__workshop=workshop, participant=participant)
    return {"dots": dots, "notes": list(own.values_list("pk", flat=True))}


def options_for(item: AgendaItem) -> list[VoteOption]:
    return list(item.options.order_by("position", "pk"))


def blank_dots(item: AgendaItem, options: list[VoteOption]) -> dict:
    """A phone's dots part with none placed, for the shared fragment: workshops.js fills in the
    phone's own dots, so a move to a vote costs no request per phone. Its words in both plural
    forms ({n} stands for the number)."""
    blank = [VoteOption(pk=o.pk, label=o.label, item_id=item.pk) for o in options]
    for option in blank:
        option.my_dots = 0

    def forms(singular, plural):
        return [ngettext(singular, plural, n) % {"counter": "{n}"} for n in (1, 2)]

    left_one, left_other = forms("You have %(counter)s dot left", "You have %(counter)s dots left")
    mine_one, mine_other = forms("%(counter)s dot", "%(counter)s dots")
    return {
        "options": blank,
        "dots": {"left": item.dots_per_participant},
        "words": {
            "left-one": left_one,
            "left-other": left_other,
            "left-none": gettext("You have no dots left"),
            "done": gettext("Your votes are in."),
            "mine-one": mine_one,
            "mine-other": mine_other,
        },
    }


# What a phone sees of these kinds depends on its partner (the interests tier rule); of all other
# kinds every partner sees the same, so one rendering serves every partner's address.
PARTNER_DEPENDENT_KINDS = (AgendaItem.Kind.INTERESTS_ROUND, AgendaItem.Kind.THEMES)


def render_shared(workshop: Workshop, viewer: Viewer, *, screen: str) -> str:
    """The part of a live screen that is the same for everyone in its variant, cached per version.

    Plugin items (agenda_plugins.py) may differ per person, so phones render them in their own part.
    """
    if screen != "participant":
        return cached_fragment(
            workshop, "projector", lambda: _build_shared(workshop, viewer.as_room(), screen)
        )
    item = workshop.current_item
    partners = Partner.objects.filter(trajectory_id=workshop.trajectory_id)  # read when rendering
    if item is not None and item.kind in PARTNER_DEPENDENT_KINDS:
        # Phones of every partner share one render claim (workshops/asgi.py): render each
        # partner's own copy in the same go, so no phone waits for a copy nobody renders.
        def others(_html):
            return {
                f"partner-{partner.pk}": _build_shared(
                    workshop, _partner_viewer(workshop, partner), screen
                )
                for partner in partners.exclude(pk=viewer.partner_id)
            }
    else:

        def others(html):
            return dict.fromkeys(
                (f"partner-{pk}" for pk in partners.values_list("pk", flat=True)), html
            )

    return cached_fragment(
        workshop,
        shared_variant(viewer),
        lambda: _build_shared(workshop, viewer, screen),
        others=others,
    )


def prerender(workshop_pk: int) -> None:
    """Render what the room shows of the workshop's newest version before the room is rung for
    it (services.workshop_bump): the projector's part and the phones' shared part (every
    partner's copy), in each language seen lately. The hundreds of phones rung then find their
    fragment in the store, none waits for Django to render it."""
    workshop = (
        Workshop.objects.select_related(
            "trajectory", "current_item", "current_item__interest_round"
        )
        .filter(pk=workshop_pk)
        .first()
    )
    if workshop is None:
        return
    partner = Partner.objects.filter(trajectory_id=workshop.trajectory_id).first()
    room = Viewer(trajectory=workshop.trajectory, role=MANAGER)
    for language in doorbell.languages_seen(workshop.live_key):
        with translation.override(language):
            render_shared(workshop, room, screen="projector")
            if partner is not None:
                render_shared(workshop, _partner_viewer(workshop, partner), screen="participant")


def _build_shared(workshop: Workshop, audience: Viewer, screen: str) -> str:
    item = workshop.current_item
    personal = screen == "participant" and item is not None and item.kind in PLUGINS
    if workshop.is_closed:
        content = end_content(workshop)
    else:
        content = {} if personal else item_content(item, audience, screen=screen)
    if (
        screen == "participant"
        and workshop.is_live
        and item is not None
        and item.takes_contributions
    ):
        # The note form is the same for everyone; the page puts in the CSRF token (see views).
        content["note_form"] = ContributionForm(initial={"item": item.pk}, auto_id="id_note_%s")
    if screen == "participant" and workshop.is_live and item is not None and item.is_voting:
        content["blank"] = blank_dots(item, options_for(item))
    return render_to_string(
        f"workshops/live/_{screen}_shared.html",
        {
            "workshop": workshop,
            "item": item,
            "viewer": audience,
            "items": agenda(workshop),
            "personal": personal,
            **content,
        },
    )
