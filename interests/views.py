from collections.abc import Callable
from http import HTTPStatus
from types import SimpleNamespace

from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

import audit
from audit.models import AuditEntry
from coconnect.htmx import HtmxHttpRequest, form_status
from coconnect.stale import StaleEdit
from trajectories.access import (
    EVERYONE,
    FACILITATOR,
    PARTICIPANT,
    Viewer,
    get_object_in_trajectory,
    trajectory_view,
)
from trajectories.models import Partner

from . import exports, services
from .forms import (
    ClassifyForm,
    FactForm,
    InterestForm,
    LinkForm,
    MoveForm,
    RoundForm,
    TierForm,
    UndoForm,
)
from .models import (
    Fact,
    Interest,
    InterestLink,
    InterestMove,
    InterestRound,
    Theme,
    round_audit_entries,
    with_display_partner,
)
from .selectors import (
    current_round,
    incoming_interests,
    incoming_rows,
    interest_map,
    round_progress,
    rounds_for,
    with_board_markup,
    with_labels,
)


def _round_in(viewer: Viewer, pk: int) -> InterestRound:
    return get_object_in_trajectory(InterestRound.objects.all(), viewer, pk=pk)


def _page(
    request: HtmxHttpRequest,
    viewer: Viewer,
    template: str,
    context: dict,
    status: int = HTTPStatus.OK,
) -> HttpResponse:
    context = {"viewer": viewer, **context}
    return render(request, template, context, status=status)


# --- the tab: intake for participants, the round page for members --------------------------------


@require_GET
@trajectory_view(*EVERYONE)
def index(request: HtmxHttpRequest, viewer: Viewer) -> HttpResponse:
    rounds = rounds_for(viewer.trajectory)
    return _round_page(request, viewer, current_round(rounds), rounds)


@require_GET
@trajectory_view(*EVERYONE)
def round_detail(request: HtmxHttpRequest, viewer: Viewer, round_pk: int) -> HttpResponse:
    rounds = rounds_for(viewer.trajectory)
    round = next((r for r in rounds if r.pk == round_pk), None)
    if round is None:
        round = _round_in(viewer, round_pk)  # raises 404
    return _round_page(request, viewer, round, rounds)


def _round_page(
    request: HtmxHttpRequest,
    viewer: Viewer,
    round: InterestRound | None,
    rounds: list[InterestRound],
) -> HttpResponse:
    if viewer.is_participant:
        return _intake(request, viewer, round, rounds)
    return _members_round(request, viewer, round, rounds)


def _intake(
    request: HtmxHttpRequest,
    viewer: Viewer,
    round: InterestRound | None,
    rounds: list[InterestRound],
    *,
    form: InterestForm | None = None,
    status: int = HTTPStatus.OK,
) -> HttpResponse:
    own = []
    if round is not None:
        own = with_display_partner(
            Interest.objects.visible_to(viewer)
            .filter(round=round, partner_id=viewer.partner_id)
            .select_related("author", "last_edited_by", "partner", "round")
            .order_by("created_at", "pk"),
            viewer,
        )
    if form is None and round is not None and round.accepts_input:
        form = InterestForm()
    return _page(
        request,
        viewer,
        "interests/intake.html",
        {"round": round, "rounds": rounds, "own": own, "form": form},
        status=status,
    )


def _members_round(
    request: HtmxHttpRequest,
    viewer: Viewer,
    round: InterestRound | None,
    rounds: list[InterestRound],
    *,
    round_form: RoundForm | None = None,
    status: int = HTTPStatus.OK,
) -> HttpResponse:
    round_form = round_form or RoundForm(initial={"phase": viewer.trajectory.phase})
    context = {"round": round, "rounds": rounds, "round_form": round_form}
    if round is not None:
        partners = list(Partner.objects.filter(trajectory=viewer.trajectory))
        context["progress"] = round_progress(viewer, round, partners)
        context["behind"] = [row for row in context["progress"].rows if row.missing]
        # One reverse() for the page, not one per row: a round has hundreds of interests.
        tier_url = reverse("interests:interest_tier", args=[viewer.trajectory.pk, 0])
        context["incoming"] = incoming_rows(
            incoming_interests(viewer, round), facilitator=viewer.is_facilitator, tier_url=tier_url
        )
        if viewer.is_facilitator:
            context["audit"] = round_audit_entries(round)
    if request.htmx and round is not None and request.method == "GET":
        return _page(request, viewer, "interests/round.html#incoming", context)
    return _page(request, viewer, "interests/round.html", context, status=status)


# --- rounds -------------------------------------------------------------------------------------


@require_POST
@trajectory_view(FACILITATOR)
def round_create(request: HtmxHttpRequest, viewer: Viewer) -> HttpResponse:
    form = RoundForm(request.POST)
    if not form.is_valid():
        rounds = rounds_for(viewer.trajectory)
        return _members_round(
            request,
            viewer,
            current_round(rounds),
            rounds,
            round_form=form,
            status=form_status(form),
        )
    round = services.round_create(
        trajectory=viewer.trajectory,
        title=form.cleaned_data["title"],
        phase=form.cleaned_data["phase"],
        min_per_partner=form.cleaned_data["min_per_partner"],
        closes_on=form.cleaned_data["closes_on"],
        by=request.user,
        submission_key=form.submission_key,
    )
    messages.success(
        request,
        _("Round “%(title)s” is being prepared. Open it when the partners may start.")
        % {"title": round.title},
    )
    return redirect(round)


TRANSITIONS = {
    "open": (
        services.round_open,
        gettext_lazy("The round is open: participants can enter their interests."),
    ),
    "close": (
        services.round_close,
        gettext_lazy("The round is closed: entries can no longer be changed."),
    ),
    "reveal": (
        services.round_reveal,
        gettext_lazy(
            "The round is revealed: partners now see each other's interests as their tiers allow."
        ),
    ),
}


@require_POST
@trajectory_view(FACILITATOR)
def round_transition(
    request: HtmxHttpRequest, viewer: Viewer, round_pk: int, action: str
) -> HttpResponse:
    round = _round_in(viewer, round_pk)
    service, done = TRANSITIONS[action]
    try:
        service(round=round, by=request.user)
    except services.InterestsError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, str(done))
    return redirect(round)


# --- participants' interests -------------------------------------------------------------------


def _own_interest(viewer: Viewer, pk: int) -> Interest:
    return get_object_in_trajectory(
        Interest.objects.filter(partner_id=viewer.partner_id).select_related("round"),
        viewer,
        trajectory_field="round__trajectory",
        pk=pk,
    )


@require_POST
@trajectory_view(PARTICIPANT)
def interest_new(request: HtmxHttpRequest, viewer: Viewer, round_pk: int) -> HttpResponse:
    round = _round_in(viewer, round_pk)
    form = InterestForm(request.POST)
    rounds = rounds_for(viewer.trajectory)
    if not form.is_valid():
        return _intake(request, viewer, round, rounds, form=form, status=form_status(form))
    try:
        interest, created = services.interest_save(
            round=round,
            partner=viewer.partner,
            by=viewer.participant,
            data=form.cleaned_data,
            submit=request.POST.get("action") == "submit",
            submission_key=form.submission_key,
        )
    except services.RoundNotOpen as error:
        form.add_error(None, str(error))
        # Not the user's input but the round's state changed under them: a conflict.
        return _intake(request, viewer, round, rounds, form=form, status=HTTPStatus.CONFLICT)
    except services.InterestsError as error:
        form.add_error(None, str(error))
        return _intake(request, viewer, round, rounds, form=form, status=form_status(form))
    if created:
        messages.success(request, _("Saved: “%(statement)s”.") % {"statement": interest.statement})
    else:
        messages.info(request, _("This interest was already saved; it is not added twice."))
    return redirect(f"{round.get_absolute_url()}#interest-{interest.pk}")


@require_http_methods(["GET", "POST"])
@trajectory_view(PARTICIPANT)
def interest_edit(request: HtmxHttpRequest, viewer: Viewer, interest_pk: int) -> HttpResponse:
    interest = _own_interest(viewer, interest_pk)
    saved = None
    status = HTTPStatus.OK
    round_closed = False
    if request.method == "POST":
        form = InterestForm(request.POST)
        if form.is_valid():
            try:
                interest, _created = services.interest_save(
                    round=interest.round,
                    partner=viewer.partner,
                    by=viewer.participant,
                    data=form.cleaned_data,
                    interest=interest,
                    version=form.seen_version,
                    submit=request.POST.get("action") == "submit",
                )
            except StaleEdit as stale:
                form.show_stale(stale)  # keeps the typed text; the next save overwrites knowingly
                saved = stale.current
            except services.RoundNotOpen as error:
                form.add_error(None, str(error))
                round_closed = True
            except services.InterestsError as error:
                form.add_error(None, str(error))
            else:
                saved_text = _("Saved: “%(statement)s”.") % {"statement": interest.statement}
                messages.success(request, saved_text)
                return redirect(f"{interest.round.get_absolute_url()}#interest-{interest.pk}")
        # The round closing under the user is the round's state, not their input: a conflict.
        status = HTTPStatus.CONFLICT if round_closed else form_status(form)
    elif not interest.round.accepts_input:
        messages.info(request, _("This round is closed: the entries can no longer be changed."))
        return redirect(f"{interest.round.get_absolute_url()}#interest-{interest.pk}")
    else:
        form = InterestForm(
            initial={name: getattr(interest, name) for name in services.INTEREST_FIELDS}
            | {"version": interest.version}
        )
    return _page(
        request,
        viewer,
        "interests/interest_edit.html",
        {"interest": interest, "round": interest.round, "form": form, "saved": saved},
        status=status,
    )


@require_POST
@trajectory_view(PARTICIPANT)
def interest_delete(request: HtmxHttpRequest, viewer: Viewer, interest_pk: int) -> HttpResponse:
    interest = _own_interest(viewer, interest_pk)
    try:
        services.interest_delete(interest=interest, by=viewer.participant)
    except services.InterestsError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The interest was removed."))
    return redirect(interest.round)


# --- facilitator: tiers -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@trajectory_view(FACILITATOR)
def interest_tier(request: HtmxHttpRequest, viewer: Viewer, interest_pk: int) -> HttpResponse:
    interest = get_object_in_trajectory(
        Interest.objects.select_related("round", "partner"),
        viewer,
        trajectory_field="round__trajectory",
        pk=interest_pk,
    )
    choices = interest.tiers_above()
    form = TierForm(request.POST or None)
    form.fields["tier"].choices = choices
    if request.method == "POST":
        if form.is_valid():
            try:
                services.tier_raise(
                    interest=interest,
                    tier=form.cleaned_data["tier"],
                    by=request.user,
                    confirmed=form.cleaned_data["confirmed"],
                )
            except services.InterestsError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, _("The tier was changed; the change is recorded in the audit trail.")
                )
                return redirect(interest.round)
    context = {"interest": interest, "form": form, "round": interest.round}
    return _page(request, viewer, "interests/interest_tier.html", context, status=form_status(form))


# --- facilitator: themes, classification, links ------------------------------------------------


BOARD_FIELDS = (
    "pk",
    "round_id",
    "partner_id",
    "partner__name",
    "statement",
    "weight",
    "tier",
    "status",
    "theme_id",
)


def _board_interests(viewer: Viewer, round: InterestRound, *filters: Q) -> list[Interest]:
    interests = with_display_partner(
        Interest.objects.visible_to(viewer)
        .filter(*filters, round=round, status=Interest.Status.SUBMITTED)
        .select_related("partner")
        # What the board shows and decides with; the long texts are not on it.
        .only(*BOARD_FIELDS)
        .order_by("partner__name", "pk"),
        viewer,
    )
    return with_board_markup(with_labels(interests))


def _ungrouped_column(members: list[Interest]) -> SimpleNamespace:
    """The "not grouped" column, shaped like a theme for the column template."""
    return SimpleNamespace(
        pk=None, name=_("Not grouped yet"), members=members, items_html=_items_html(members)
    )


def _items_html(members: list[Interest]) -> str:
    """A column's list items in one string (each interest's markup is built once, see
    with_board_markup): a template loop over 300 interests was a good part of the board."""
    return mark_safe("".join(f"<li>{interest.board_html}</li>" for interest in members))


def _board_context(viewer: Viewer, round: InterestRound, **extra) -> dict:
    interests = _board_interests(viewer, round)
    themes = list(Theme.objects.filter(round=round))
    by_theme = {t.pk: [] for t in themes}
    ungrouped = []
    for interest in interests:
        by_theme.get(interest.theme_id, ungrouped).append(interest)
    for theme in themes:
        theme.members = by_theme[theme.pk]
        theme.items_html = _items_html(theme.members)
    _theme_tools(viewer, themes)
    links = list(
        InterestLink.objects.filter(round=round).select_related("first__partner", "second__partner")
    )
    return {
        "round": round,
        "themes": themes,
        "ungrouped": _ungrouped_column(ungrouped),
        "interests": interests,
        "links": links,
        "classifications": Theme.Classification.choices,
        "link_kinds": InterestLink.Kind.choices,
        "move_form": MoveForm(),
        **extra,
    }


def _theme_tools(viewer: Viewer, themes: list[Theme]) -> None:
    """Set each theme's form addresses and its "merge into" options. A large board has 15
    themes: a `{% url %}` per theme and form, and a loop over every other theme per theme, were
    a good part of the page's time."""
    urls = {
        name: reverse(f"interests:theme_{name}", args=[viewer.trajectory.pk, 0]).rpartition("/0/")
        for name in ("classify", "rename", "merge")
    }
    options = [
        (theme.pk, format_html('<option value="{}">{}</option>', theme.pk, theme.name))
        for theme in themes
    ]
    for theme in themes:
        for name, (head, _zero, tail) in urls.items():
            setattr(theme, f"{name}_url", f"{head}/{theme.pk}/{tail}")
        theme.merge_options = mark_safe("".join(html for pk, html in options if pk != theme.pk))


def _board(
    request: HtmxHttpRequest,
    viewer: Viewer,
    round: InterestRound,
    *,
    error: str | None = None,
    new_theme_name: str | None = None,
    note: dict | None = None,
    status: int = HTTPStatus.OK,
) -> HttpResponse:
    """The theme board. `new_theme_name` is given when the refusal is about that name: the field
    comes back with it, marked invalid; other refusals leave the field alone. `note` is what the
    last move did (`_move_note`), with its undo button."""
    context = _board_context(viewer, round, error=error, new_theme_name=new_theme_name, note=note)
    if request.htmx:
        response = _page(request, viewer, "interests/themes.html#board", context, status=status)
        if error:
            # A refusal of a move sent by board.js (which swaps columns) shows the whole board.
            response["HX-Retarget"], response["HX-Reswap"] = "#board", "outerHTML"
        return response
    if request.method == "POST" and not error:
        return redirect("interests:themes", viewer.trajectory.pk, round.pk)
    return _page(request, viewer, "interests/themes.html", context, status=status)


@require_GET
@trajectory_view(FACILITATOR)
def themes(request: HtmxHttpRequest, viewer: Viewer, round_pk: int) -> HttpResponse:
    round = _round_in(viewer, round_pk)
    note = None
    if moved := _int(request.GET.get("verplaatsing")):
        # Back from a move or undo sent without JavaScript: say what it did, offer the undo.
        move = InterestMove.objects.filter(round=round, pk=moved).select_related("theme").first()
        note = _move_note(move) if move else None
    return _board(request, viewer, round, note=note)


def _theme_in(viewer: Viewer, pk: int) -> Theme:
    return get_object_in_trajectory(Theme.objects.select_related("round"), viewer, pk=pk)


def _run(
    request: HtmxHttpRequest,
    viewer: Viewer,
    round: InterestRound,
    action: Callable[[], object],
    *,
    new_theme_name: str | None = None,
) -> HttpResponse:
    try:
        action()
    except services.InterestsError as error:
        return _board(
            request,
            viewer,
            round,
            error=str(error),
            new_theme_name=new_theme_name,
            status=HTTPStatus.UNPROCESSABLE_ENTITY,
        )
    return _board(request, viewer, round)


@require_POST
@trajectory_view(FACILITATOR)
def theme_create(request: HtmxHttpRequest, viewer: Viewer, round_pk: int) -> HttpResponse:
    round = _round_in(viewer, round_pk)
    name = request.POST.get("name", "")
    create = lambda: services.theme_create(round=round, name=name, by=request.user)  # noqa: E731
    return _run(request, viewer, round, create, new_theme_name=name)


@require_POST
@trajectory_view(FACILITATOR)
def theme_rename(request: HtmxHttpRequest, viewer: Viewer, theme_pk: int) -> HttpResponse:
    theme = _theme_in(viewer, theme_pk)
    name = request.POST.get("name", "")
    return _run(request, viewer, theme.round, lambda: services.theme_rename(theme=theme, name=name))


@require_POST
@trajectory_view(FACILITATOR)
def theme_merge(request: HtmxHttpRequest, viewer: Viewer, theme_pk: int) -> HttpResponse:
    theme = _theme_in(viewer, theme_pk)
    into = get_object_in_trajectory(Theme.objects.all(), viewer, pk=_int(request.POST.get("into")))
    return _run(request, viewer, theme.round, lambda: services.theme_merge(source=theme, into=into))


@require_POST
@trajectory_view(FACILITATOR)
def theme_classify(request: HtmxHttpRequest, viewer: Viewer, theme_pk: int) -> HttpResponse:
    theme = _theme_in(viewer, theme_pk)
    form = ClassifyForm(request.POST)
    if not form.is_valid():
        error = _("Choose a classification; keep the rationale under 2000 characters.")
        return _board(
            request, viewer, theme.round, error=error, status=HTTPStatus.UNPROCESSABLE_ENTITY
        )
    return _run(
        request,
        viewer,
        theme.round,
        lambda: services.theme_classify(
            theme=theme,
            classification=form.cleaned_data["classification"],
            rationale=form.cleaned_data["rationale"],
            by=request.user,
        ),
    )


@require_POST
@trajectory_view(FACILITATOR)
def interest_move(request: HtmxHttpRequest, viewer: Viewer, interest_pk: int) -> HttpResponse:
    interest = get_object_in_trajectory(
        Interest.objects.select_related("round"),
        viewer,
        trajectory_field="round__trajectory",
        pk=interest_pk,
    )
    theme_pk = request.POST.get("theme")
    theme = None
    if theme_pk:
        theme = get_object_in_trajectory(Theme.objects.all(), viewer, pk=_int(theme_pk))
    move = lambda: services.interests_move(  # noqa: E731
        round=interest.round, interest_ids=[interest.pk], theme=theme, by=request.user, key=None
    )
    return _run(request, viewer, interest.round, move)


def _selected(request: HtmxHttpRequest) -> list[int]:
    return [pk for pk in map(_int, request.POST.getlist("interests")) if pk]


@require_POST
@trajectory_view(FACILITATOR)
def interests_move(request: HtmxHttpRequest, viewer: Viewer, round_pk: int) -> HttpResponse:
    """The board's one way to move: the selection bar, a drag and drop and the keyboard's move
    list all post here, the ticked (or dragged) interests of this round go to one theme."""
    round = _round_in(viewer, round_pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        error = _("Tick at least one interest to move.")
        return _board(request, viewer, round, error=error, status=HTTPStatus.UNPROCESSABLE_ENTITY)
    theme = None
    if form.cleaned_data["theme"]:
        theme = get_object_in_trajectory(
            Theme.objects.filter(round=round), viewer, pk=form.cleaned_data["theme"]
        )
    try:
        # Ids of another round or trajectory simply match nothing there.
        move = services.interests_move(
            round=round,
            interest_ids=form.cleaned_data["interests"],
            theme=theme,
            by=request.user,
            key=form.submission_key,
        )
    except services.InterestsError as error:
        return _board(
            request, viewer, round, error=str(error), status=HTTPStatus.UNPROCESSABLE_ENTITY
        )
    move.theme = theme
    return _moved(request, viewer, round, move, shown=form.shown_theme_ids())


@require_POST
@trajectory_view(FACILITATOR)
def interests_move_undo(request: HtmxHttpRequest, viewer: Viewer, move_pk: int) -> HttpResponse:
    """Send the interests of one move back where each came from (the board's undo button)."""
    move = get_object_in_trajectory(
        InterestMove.objects.select_related("round"),
        viewer,
        trajectory_field="round__trajectory",
        pk=move_pk,
    )
    form = UndoForm(request.POST)
    form.is_valid()  # only the submit key, which may be missing
    try:
        undo = services.interests_move_undo(move=move, by=request.user, key=form.submission_key)
    except services.InterestsError as error:
        return _board(request, viewer, move.round, error=str(error), status=HTTPStatus.CONFLICT)
    return _moved(request, viewer, move.round, undo)


def _move_note(move: InterestMove) -> dict:
    """What a move did, in words for the live region, and whether it may still be undone."""
    count = move.count
    if move.undo_of_id:
        text = ngettext(
            "Move undone: %(count)d interest is back where it was.",
            "Move undone: %(count)d interests are back where they were.",
            count,
        )
    elif not count and move.theme is not None:
        text = _("The chosen interests were already in theme %(theme)s.")
    elif not count:
        text = _("The chosen interests were already not grouped.")
    elif move.theme is not None:
        text = ngettext(
            "%(count)d interest moved to theme %(theme)s.",
            "%(count)d interests moved to theme %(theme)s.",
            count,
        )
    else:
        text = ngettext(
            "%(count)d interest moved to “Not grouped yet”.",
            "%(count)d interests moved to “Not grouped yet”.",
            count,
        )
    theme = move.theme.name if move.theme is not None else ""
    undoable = bool(count and not move.undo_of_id)
    if undoable:
        undoable = not InterestMove.objects.filter(undo_of=move).exists()
    return {
        "text": text % {"count": count, "theme": theme},
        "move": move,
        "undo_form": UndoForm() if undoable else None,
    }


def _moved(
    request: HtmxHttpRequest,
    viewer: Viewer,
    round: InterestRound,
    move: InterestMove,
    *,
    shown: set[int | None] = frozenset(),
) -> HttpResponse:
    """The answer to a move or an undo. Without JavaScript: back to the board, which says what
    moved and offers the undo. From board.js (`swap=columns`): only the columns the move touched
    and those the browser showed the interests in, plus the note. From the selection bar (htmx):
    the whole board with the note."""
    note = _move_note(move)
    if not request.htmx:
        url = reverse("interests:themes", args=[viewer.trajectory.pk, round.pk])
        return redirect(f"{url}?verplaatsing={move.pk}#board-undo")
    if request.POST.get("swap") != "columns":
        return _board(request, viewer, round, note=note)
    touched = set(move.items.values_list("from_theme_id", "to_theme_id").distinct())
    wanted = {pk for pair in touched for pk in pair} | set(shown)
    themes = list(Theme.objects.filter(round=round, pk__in=[pk for pk in wanted if pk]))
    in_columns = Q(theme__in=themes)
    if None in wanted:
        in_columns |= Q(theme__isnull=True)
    members = _board_interests(viewer, round, in_columns)
    columns = []
    for theme in themes:
        theme.members = [i for i in members if i.theme_id == theme.pk]
        theme.items_html = _items_html(theme.members)
        columns.append(theme)
    if None in wanted:
        columns.append(_ungrouped_column([i for i in members if i.theme_id is None]))
    context = {"round": round, "columns": columns, "note": note}
    return _page(request, viewer, "interests/themes.html#moved", context)


@require_POST
@trajectory_view(FACILITATOR)
def link_create(request: HtmxHttpRequest, viewer: Viewer, round_pk: int) -> HttpResponse:
    round = _round_in(viewer, round_pk)
    data = request.POST.copy()
    selected = _selected(request)
    if "first" not in data and len(selected) == 2:
        # From the board's selection bar: the two ticked interests.
        data["first"], data["second"] = selected
    form = LinkForm(data)
    if not form.is_valid():
        error = _("Tick exactly two interests and choose a relation.")
        return _board(request, viewer, round, error=error, status=HTTPStatus.UNPROCESSABLE_ENTITY)
    in_round = Interest.objects.filter(round=round)
    first, second = (
        get_object_in_trajectory(
            in_round, viewer, trajectory_field="round__trajectory", pk=form.cleaned_data[name]
        )
        for name in ("first", "second")
    )
    return _run(
        request,
        viewer,
        round,
        lambda: services.link_create(
            first=first,
            second=second,
            kind=form.cleaned_data["kind"],
            note=form.cleaned_data["note"],
            by=request.user,
        ),
    )


@require_POST
@trajectory_view(FACILITATOR)
def link_delete(request: HtmxHttpRequest, viewer: Viewer, link_pk: int) -> HttpResponse:
    link = get_object_in_trajectory(
        InterestLink.objects.select_related("round", "first"),
        viewer,
        trajectory_field="round__trajectory",
        pk=link_pk,
    )
    services.link_delete(link=link, by=request.user)
    return _board(request, viewer, link.round)


def _int(value: object) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


# --- the interest map --------------------------------------------------------------------------


@require_GET
@trajectory_view(*EVERYONE)
def interest_map_view(request: HtmxHttpRequest, viewer: Viewer) -> HttpResponse:
    rounds = rounds_for(viewer.trajectory)
    wanted = _int(request.GET.get("ronde"))
    round = next((r for r in rounds if r.pk == wanted), None) or current_round(rounds)
    weight = request.GET.get("gewicht", "")
    weight = weight if weight in Interest.Weight.values else ""
    classification = request.GET.get("klasse", "")
    classification = classification if classification in Theme.Classification.values else ""
    large = request.GET.get("groot") == "1"
    # The projector shows the room what every partner may see, never the facilitator's own view.
    shown_as = viewer.as_room() if large and viewer.is_facilitator else viewer
    the_map = interest_map(shown_as, round, weight=weight, classification=classification)
    context = {
        "rounds": rounds,
        "round": round,
        "map": the_map,
        "weight": weight,
        "classification": classification,
        "large": large,
        "room_view": shown_as is not viewer,
        "weights": Interest.Weight.choices,
        "classifications": Theme.Classification.choices,
    }
    if request.htmx:
        return _page(request, viewer, "interests/map.html#map", context)
    return _page(request, viewer, "interests/map.html", context)


# --- exports ------------------------------------------------------------------------------------


@require_GET
@trajectory_view(*EVERYONE)
def export_csv(request: HtmxHttpRequest, viewer: Viewer, round_pk: int) -> HttpResponse:
    round = _round_in(viewer, round_pk)
    response = HttpResponse(
        exports.round_csv(viewer, round), content_type="text/csv; charset=utf-8"
    )
    filename = exports.export_filename(round, "csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    _export_logged(viewer, round, "csv")
    return response


def _export_logged(viewer: Viewer, round: InterestRound, format: str) -> None:
    audit.record(
        trajectory=viewer.trajectory,
        action=AuditEntry.Action.EXPORT_DOWNLOADED,
        by=viewer,
        subject=round,
        summary=f"{round.title} ({format.upper()})",
        round=round.pk,
        format=format,
    )


@require_GET
@trajectory_view(*EVERYONE)
def export_xlsx(request: HtmxHttpRequest, viewer: Viewer, round_pk: int) -> HttpResponse:
    round = _round_in(viewer, round_pk)
    response = HttpResponse(
        exports.round_xlsx(viewer, round),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = exports.export_filename(round, "xlsx")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    _export_logged(viewer, round, "xlsx")
    return response


# --- joint fact-finding -------------------------------------------------------------------------


@require_GET
@trajectory_view(*EVERYONE)
def facts(request: HtmxHttpRequest, viewer: Viewer) -> HttpResponse:
    items = list(Fact.objects.filter(trajectory=viewer.trajectory).select_related("theme"))
    return _page(request, viewer, "interests/facts.html", {"facts": items})


@require_http_methods(["GET", "POST"])
@trajectory_view(FACILITATOR)
def fact_edit(request: HtmxHttpRequest, viewer: Viewer, fact_pk: int | None = None) -> HttpResponse:
    fact = get_object_in_trajectory(Fact.objects.all(), viewer, pk=fact_pk) if fact_pk else None
    themes = list(Theme.objects.filter(trajectory=viewer.trajectory).select_related("round"))
    saved = None
    if request.method == "POST":
        form = FactForm(request.POST, themes=themes)
        if form.is_valid():
            theme = next((t for t in themes if t.pk == form.cleaned_data["theme"]), None)
            try:
                services.fact_save(
                    trajectory=viewer.trajectory,
                    data=form.cleaned_data,
                    theme=theme,
                    fact=fact,
                    version=form.seen_version,
                    submission_key=form.submission_key,
                )
            except StaleEdit as stale:
                form.show_stale(stale)
                saved = stale.current
            except services.InterestValidation as error:
                for name, message in error.errors.items():
                    form.add_error(name if name in form.fields else None, message)
            else:
                messages.success(request, _("The fact-finding register was updated."))
                return redirect("interests:facts", viewer.trajectory.pk)
    else:
        initial = {}
        if fact:
            initial = {n: getattr(fact, n) for n in services.FACT_FIELDS}
            initial |= {"theme": fact.theme_id, "version": fact.version}
        form = FactForm(initial=initial, themes=themes)
    context = {"fact": fact, "form": form, "saved": saved}
    return _page(request, viewer, "interests/fact_form.html", context, status=form_status(form))
