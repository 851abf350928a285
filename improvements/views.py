from http import HTTPStatus

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coconnect.htmx import HtmxHttpRequest, form_status
from coconnect.stale import StaleEdit
from interests.models import Interest, in_room_order, with_display_partner
from trajectories.access import (
    EVERYONE,
    FACILITATOR,
    PARTICIPANT,
    Viewer,
    get_object_in_trajectory,
    trajectory_view,
)
from trajectories.models import Partner
from workshops.models import ActionItem, AgendaItem
from workshops.services import workshop_bump

from . import services
from .charts import gain_effort_svg
from .forms import (
    AdoptForm,
    KindForm,
    PackageActionForm,
    PackageForm,
    PositionForm,
    ProposalForm,
    QuickProposalForm,
)
from .models import ImprovementKind, ImprovementPackage, Position, PositionChange, Proposal
from .selectors import (
    agreements,
    follow_up_groups,
    follow_up_totals,
    frozen_for_display,
    kinds_for,
    linkable_interests,
    linkable_themes,
    package_verdict,
    proposal_cards,
    support_matrix,
)

EDITORS = (FACILITATOR, PARTICIPANT)


def _context(viewer: Viewer, section: str, **extra) -> dict:
    return {"viewer": viewer, "section": section, **extra}


def _partners(viewer: Viewer) -> list[Partner]:
    return list(Partner.objects.filter(trajectory=viewer.trajectory))


def _proposal_form(viewer: Viewer, data=None, *, initial: dict | None = None) -> ProposalForm:
    partners = _partners(viewer)
    return ProposalForm(
        data,
        initial=initial,
        trajectory=viewer.trajectory,
        partners=partners,
        gain_partners=viewer.gain_partners(partners),
        kinds=kinds_for(viewer.trajectory),
        participant=viewer.participant if viewer.is_participant else None,
        themes=linkable_themes(viewer),
        interests=linkable_interests(viewer),
    )


# --- proposals ------------------------------------------------------------------------------


@require_GET
@trajectory_view(*EVERYONE)
def index(request: HtmxHttpRequest, viewer: Viewer) -> HttpResponse:
    cards = proposal_cards(viewer)
    packages = ImprovementPackage.objects.filter(trajectory=viewer.trajectory)
    return render(
        request,
        "improvements/index.html",
        _context(viewer, "proposals", cards=cards, packages=packages),
    )


@require_http_methods(["GET", "POST"])
@trajectory_view(*EDITORS)
def proposal_new(request: HtmxHttpRequest, viewer: Viewer) -> HttpResponse:
    form = _proposal_form(viewer, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        proposal, created = services.proposal_create(
            trajectory=viewer.trajectory,
            data=form.to_data(),
            origin=(
                Proposal.Origin.PARTICIPANT
                if viewer.is_participant
                else Proposal.Origin.FACILITATOR
            ),
            user=viewer.user,
            participant=viewer.participant,
            submission_key=form.submission_key,
        )
        if created:
            messages.success(request, _("Your proposal has been added."))
        else:
            messages.info(request, _("This proposal had already been added."))
        return redirect(proposal)
    return render(
        request,
        "improvements/proposal_form.html",
        _context(viewer, "proposals", form=form, proposal=None),
        status=form_status(form),
    )


def _proposal_queryset(viewer):
    return Proposal.objects.select_related("proposer_partner", "workshop").prefetch_related(
        "kinds",
        "themes",
        "gains__partner",
        Prefetch(
            "interests", queryset=Interest.objects.visible_to(viewer).select_related("partner")
        ),
    )


def _positions_context(
    viewer: Viewer,
    proposal: Proposal,
    form: PositionForm | None = None,
    stale: Position | None = None,
) -> dict:
    partners = _partners(viewer)
    positions = {p.partner_id: p for p in proposal.positions.select_related("partner")}
    history = (
        PositionChange.objects.filter(position__proposal=proposal)
        .select_related("position__partner")
        .order_by("-changed_at", "-pk")
    )
    own = positions.get(viewer.partner_id) if viewer.is_participant else None
    if form is None and viewer.role in EDITORS:
        # A participant's form remembers what they saw, so a colleague's newer save is not lost.
        initial = {"version": 0} if viewer.is_participant else {}
        if own is not None:
            initial = {
                "stance": own.stance,
                "text": own.text,
                "mandate": own.mandate,
                "version": own.version,
            }
        form = PositionForm(
            initial=initial,
            partners=partners,
            fixed_partner=viewer.partner if viewer.is_participant else None,
        )
    rows = [
        (partner, positions.get(partner.pk), proposal.gain_for(partner.pk)) for partner in partners
    ]
    return {
        "position_rows": rows,
        "history": history,
        "position_form": form,
        "own_position": own,
        "stale": stale,
    }


def _served_interests(proposal: Proposal, viewer: Viewer) -> list[Interest]:
    """Named interests by partner, anonymous ones apart by their text: never traceable."""
    return in_room_order(with_display_partner(proposal.interests.all(), viewer))


@require_GET
@trajectory_view(*EVERYONE)
def proposal_detail(request: HtmxHttpRequest, viewer: Viewer, proposal_pk: int) -> HttpResponse:
    proposal = get_object_in_trajectory(_proposal_queryset(viewer), viewer, pk=proposal_pk)
    interests = _served_interests(proposal, viewer)
    return render(
        request,
        "improvements/proposal_detail.html",
        _context(
            viewer,
            "proposals",
            proposal=proposal,
            served_interests=interests,
            may_edit=viewer.may_edit_proposal(proposal),
            **_positions_context(viewer, proposal),
        ),
    )


def _editable_proposal_queryset(viewer):
    """What the edit form starts from (ProposalForm.initial_for) and the update reads: the ids of
    the linked kinds, themes and visible interests and the gains, no names. Half the edit form's
    own reading time went to partners and interests it never shows."""
    return Proposal.objects.prefetch_related(
        "kinds",
        "themes",
        "gains",
        Prefetch("interests", queryset=Interest.objects.visible_to(viewer).only("pk")),
    )


@require_http_methods(["GET", "POST"])
@trajectory_view(*EDITORS)
def proposal_edit(request: HtmxHttpRequest, viewer: Viewer, proposal_pk: int) -> HttpResponse:
    proposal = get_object_in_trajectory(_editable_proposal_queryset(viewer), viewer, pk=proposal_pk)
    if not viewer.may_edit_proposal(proposal):
        raise PermissionDenied
    if request.method == "POST":
        form = _proposal_form(viewer, request.POST)
        if form.is_valid():
            data = form.to_data()
            data.visible_interest_ids = {i.pk for i in linkable_interests(viewer)}
            if viewer.is_participant:
                # The proposer stays who it was; the participant only edits the content.
                data.proposer_partner = proposal.proposer_partner
                data.proposer_level = proposal.proposer_level
            services.proposal_update(proposal=proposal, data=data)
            messages.success(request, _("The proposal has been saved."))
            return redirect(proposal)
    else:
        form = _proposal_form(viewer, initial=ProposalForm.initial_for(proposal))
    return render(
        request,
        "improvements/proposal_form.html",
        _context(viewer, "proposals", form=form, proposal=proposal),
        status=form_status(form),
    )


@require_POST
@trajectory_view(*EDITORS)
def position_take(request: HtmxHttpRequest, viewer: Viewer, proposal_pk: int) -> HttpResponse:
    proposal = get_object_in_trajectory(
        Proposal.objects.prefetch_related("gains"), viewer, pk=proposal_pk
    )
    partners = _partners(viewer)
    if viewer.is_participant:
        claimed = request.POST.get("partner")
        if claimed and claimed != str(viewer.partner_id):
            # One organisation, one voice: a participant speaks only for their own.
            raise PermissionDenied
    form = PositionForm(
        request.POST,
        partners=partners,
        fixed_partner=viewer.partner if viewer.is_participant else None,
    )
    stale, saved = None, False
    if form.is_valid():
        partner = (
            viewer.partner
            if viewer.is_participant
            else next(p for p in partners if p.pk == form.cleaned_data["partner"])
        )
        try:
            services.position_take(
                proposal=proposal,
                partner=partner,
                stance=form.cleaned_data["stance"],
                text=form.cleaned_data["text"].strip(),
                mandate=form.cleaned_data["mandate"],
                user=viewer.user if not viewer.is_participant else None,
                participant=viewer.participant,
                seen_version=form.seen_version,
            )
        except StaleEdit as exc:
            # The typed text stays; the next save is based on what is there now.
            stale = exc.current
            form.show_stale(exc)
        else:
            if not request.htmx:
                messages.success(request, _("The position has been saved."))
                return redirect(proposal)
            form = None
            saved = True
    context = _context(
        viewer,
        "proposals",
        proposal=proposal,
        saved=saved,
        **_positions_context(viewer, proposal, form=form, stale=stale),
    )
    status = form_status(form) if form is not None else HTTPStatus.OK
    if request.htmx:
        return render(
            request, "improvements/proposal_detail.html#positions", context, status=status
        )
    full = get_object_in_trajectory(_proposal_queryset(viewer), viewer, pk=proposal_pk)
    context.update(
        proposal=full,
        served_interests=_served_interests(full, viewer),
        may_edit=viewer.may_edit_proposal(full),
    )
    return render(request, "improvements/proposal_detail.html", context, status=status)


# --- support matrix ---------------------------------------------------------------------------


@require_GET
@trajectory_view(*EVERYONE)
def matrix(request: HtmxHttpRequest, viewer: Viewer) -> HttpResponse:
    data = support_matrix(viewer.trajectory)
    return render(
        request,
        "improvements/matrix.html",
        _context(viewer, "matrix", matrix=data, chart=gain_effort_svg(data.chart_points())),
    )


# --- kinds of improvement ---------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@trajectory_view(FACILITATOR)
def kinds(request: HtmxHttpRequest, viewer: Viewer) -> HttpResponse:
    form = KindForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.kind_add(trajectory=viewer.trajectory, name=form.cleaned_data["name"])
        except services.KindNameTaken as taken:
            form.add_error("name", taken.message)
        else:
            messages.success(request, _("The kind of improvement has been added."))
            return redirect("improvements:kinds", viewer.trajectory.pk)
    return render(
        request,
        "improvements/kinds.html",
        _context(viewer, "kinds", kinds=kinds_for(viewer.trajectory), form=form),
        status=form_status(form),
    )


@require_POST
@trajectory_view(FACILITATOR)
def kind_rename(request: HtmxHttpRequest, viewer: Viewer, kind_pk: int) -> HttpResponse:
    kind = get_object_in_trajectory(ImprovementKind.objects.all(), viewer, pk=kind_pk)
    form = KindForm(request.POST)
    if form.is_valid():
        try:
            services.kind_rename(kind=kind, name=form.cleaned_data["name"])
        except services.KindNameTaken as taken:
            messages.error(request, taken.message)
        else:
            messages.success(request, _("The kind of improvement has been renamed."))
    else:
        messages.error(
            request, _("A name is needed, of at most 100 characters. Nothing was changed.")
        )
    return redirect("improvements:kinds", viewer.trajectory.pk)


@require_POST
@trajectory_view(FACILITATOR)
def kind_toggle(request: HtmxHttpRequest, viewer: Viewer, kind_pk: int) -> HttpResponse:
    kind = get_object_in_trajectory(ImprovementKind.objects.all(), viewer, pk=kind_pk)
    kind.archived = not kind.archived
    kind.save(update_fields=["archived"])
    return redirect("improvements:kinds", viewer.trajectory.pk)


# --- packages ---------------------------------------------------------------------------------


def _package(viewer: Viewer, package_pk: int) -> ImprovementPackage:
    return get_object_in_trajectory(ImprovementPackage.objects.all(), viewer, pk=package_pk)


def _package_actions(package: ImprovementPackage) -> list[ActionItem]:
    return list(
        ActionItem.objects.filter(improvement_package_link__package=package).select_related(
            "owner_partner"
        )
    )


def _proposal_choices(viewer: Viewer):
    return Proposal.objects.filter(trajectory=viewer.trajectory).only("pk", "title")


@require_http_methods(["GET", "POST"])
@trajectory_view(FACILITATOR)
def package_new(request: HtmxHttpRequest, viewer: Viewer) -> HttpResponse:
    form = PackageForm(
        request.POST if request.method == "POST" else None,
        proposals=_proposal_choices(viewer),
        initial={"title": _("Improvement package")},
    )
    if request.method == "POST" and form.is_valid():
        package = services.package_create(
            trajectory=viewer.trajectory,
            title=form.cleaned_data["title"].strip(),
            note=form.cleaned_data["note"],
            proposals=form.cleaned_data["proposals"],
        )
        messages.success(request, _("The package has been created."))
        return redirect(package)
    return render(
        request,
        "improvements/package_form.html",
        _context(viewer, "packages", form=form, package=None),
        status=form_status(form),
    )


@require_http_methods(["GET", "POST"])
@trajectory_view(FACILITATOR)
def package_edit(request: HtmxHttpRequest, viewer: Viewer, package_pk: int) -> HttpResponse:
    package = _package(viewer, package_pk)
    if package.is_adopted:
        messages.warning(
            request,
            _("This package was adopted and can no longer change. Start a new version instead."),
        )
        return redirect(package)
    if request.method == "POST":
        form = PackageForm(request.POST, proposals=_proposal_choices(viewer))
        if form.is_valid():
            try:
                services.package_compose(
                    package=package,
                    title=form.cleaned_data["title"].strip(),
                    note=form.cleaned_data["note"],
                    proposals=form.cleaned_data["proposals"],
                )
            except services.PackageFrozen:
                messages.warning(
                    request,
                    _("This package was adopted meanwhile; your changes were not saved."),
                )
                return redirect(package)
            messages.success(request, _("The package has been saved."))
            return redirect(package)
    else:
        form = PackageForm(
            initial={
                "title": package.title,
                "note": package.note,
                "proposals": [p.pk for p in package.proposals.all()],
            },
            proposals=_proposal_choices(viewer),
        )
    return render(
        request,
        "improvements/package_form.html",
        _context(viewer, "packages", form=form, package=package),
        status=form_status(form),
    )


@require_GET
@trajectory_view(*EVERYONE)
def package_detail(request: HtmxHttpRequest, viewer: Viewer, package_pk: int) -> HttpResponse:
    package = _package(viewer, package_pk)
    context = _context(viewer, "packages", package=package)
    if package.is_adopted:
        context["frozen"] = frozen_for_display(package.frozen_content)
        context["actions"] = _package_actions(package)
        if viewer.is_facilitator:
            context["action_form"] = PackageActionForm(partners=_partners(viewer))
        context["next_version"] = ImprovementPackage.objects.filter(previous=package).first()
    else:
        context["verdict"] = package_verdict(package)
        if viewer.is_facilitator:
            context["adopt_form"] = AdoptForm()
    return render(request, "improvements/package_detail.html", context)


@require_POST
@trajectory_view(FACILITATOR)
def package_adopt(request: HtmxHttpRequest, viewer: Viewer, package_pk: int) -> HttpResponse:
    package = _package(viewer, package_pk)
    form = AdoptForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give the date of adoption."))
        return redirect(package)
    try:
        services.package_adopt(
            package=package, on=form.cleaned_data["adopted_on"], user=viewer.user
        )
    except services.PackageFrozen:
        messages.info(request, _("This package had already been adopted."))
    except services.PackageNotCarried:
        messages.error(
            request,
            _("Not every partner supports every proposal yet, so the package cannot be adopted."),
        )
    else:
        messages.success(request, _("The package has been adopted. Its content is now fixed."))
    return redirect(package)


@require_POST
@trajectory_view(FACILITATOR)
def package_new_version(request: HtmxHttpRequest, viewer: Viewer, package_pk: int) -> HttpResponse:
    package = _package(viewer, package_pk)
    if not package.is_adopted:
        messages.info(request, _("This package is still being composed; edit it directly."))
        return redirect(package)
    successor = services.package_new_version(package=package)
    messages.success(request, _("A new version has been started from the adopted package."))
    return redirect(successor)


@require_POST
@trajectory_view(FACILITATOR)
def package_action_add(request: HtmxHttpRequest, viewer: Viewer, package_pk: int) -> HttpResponse:
    package = _package(viewer, package_pk)
    partners = _partners(viewer)
    form = PackageActionForm(request.POST, partners=partners)
    if not package.is_adopted:
        messages.error(request, _("Actions follow from an adopted package."))
        return redirect(package)
    if form.is_valid():
        owner = next((p for p in partners if p.pk == form.cleaned_data["owner_partner"]), None)
        services.package_action_add(
            package=package,
            title=form.cleaned_data["title"].strip(),
            owner_partner=owner,
            due_date=form.cleaned_data["due_date"],
        )
        messages.success(request, _("The action has been added."))
        return redirect(package)
    context = _context(
        viewer,
        "packages",
        package=package,
        frozen=frozen_for_display(package.frozen_content),
        actions=_package_actions(package),
        action_form=form,
    )
    return render(request, "improvements/package_detail.html", context, status=form_status(form))


# --- follow-up --------------------------------------------------------------------------------


def _follow_up_context(viewer: Viewer, **extra) -> dict:
    groups = follow_up_groups(viewer.trajectory, partners=_partners(viewer))
    for group in groups:
        for item in group.items:
            item.may_update = viewer.may_update_action(item)
    if viewer.is_participant:
        # The own organisation first: that is where a participant has something to do.
        groups.sort(key=lambda g: 0 if g.partner and g.partner.pk == viewer.partner_id else 1)
    return _context(viewer, "followup", groups=groups, totals=follow_up_totals(groups), **extra)


@require_GET
@trajectory_view(*EVERYONE)
def follow_up(request: HtmxHttpRequest, viewer: Viewer) -> HttpResponse:
    context = _follow_up_context(viewer, agreements=agreements(viewer.trajectory))
    return render(request, "improvements/followup.html", context)


@require_POST
@trajectory_view(*EDITORS)
def action_status(request: HtmxHttpRequest, viewer: Viewer, action_pk: int) -> HttpResponse:
    action = get_object_in_trajectory(
        ActionItem.objects.select_related("owner_partner", "owner_participant", "workshop"),
        viewer,
        pk=action_pk,
    )
    if not viewer.may_update_action(action):
        raise PermissionDenied
    status = request.POST.get("status")
    if status not in {
        ActionItem.Status.OPEN,
        ActionItem.Status.IN_PROGRESS,
        ActionItem.Status.DONE,
    }:
        messages.error(request, _("That status is not known; nothing was changed."))
        return redirect("improvements:followup", viewer.trajectory.pk)
    action = services.action_status_set(action=action, status=status)
    if request.htmx:
        # The whole board comes back, so the counts per partner stay true.
        return render(
            request,
            "improvements/followup.html#board",
            _follow_up_context(viewer, updated=action),
        )
    messages.success(
        request,
        _("“%(title)s” is now: %(status)s.")
        % {"title": action.title, "status": action.get_status_display()},
    )
    return redirect("improvements:followup", viewer.trajectory.pk)


# --- live workshop item -------------------------------------------------------------------------


@require_POST
@trajectory_view(*EDITORS)
def live_proposal_add(request: HtmxHttpRequest, viewer: Viewer, item_pk: int) -> HttpResponse:
    item = get_object_or_404(
        AgendaItem.objects.select_related("workshop"),
        pk=item_pk,
        workshop__trajectory=viewer.trajectory,
        kind=AgendaItem.Kind.PROPOSALS,
    )
    form = QuickProposalForm(request.POST, auto_id=f"live-{item.pk}-%s")
    added = False
    if not item.workshop.is_live:
        form.add_error(None, _("This workshop is not live; the proposal was not added."))
    elif form.is_valid():
        data = services.ProposalData(
            title=form.cleaned_data["title"].strip(),
            description=form.cleaned_data["description"],
            proposer_partner=viewer.partner,
            proposer_level=viewer.participant.level if viewer.participant else "",
            workshop=item.workshop,
            agenda_item=item,
        )
        _proposal, created = services.proposal_create(
            trajectory=viewer.trajectory,
            data=data,
            origin=Proposal.Origin.WORKSHOP,
            user=viewer.user,
            participant=viewer.participant,
            submission_key=form.submission_key,
        )
        if created:
            workshop_bump(workshop=item.workshop)
        added = True
    if request.htmx:
        # The live screen swaps just the form: empty again after success, or with the reasons.
        return render(
            request,
            "improvements/live/_form.html",
            {
                "workshop": item.workshop,
                "item": item,
                "proposal_form": QuickProposalForm(auto_id=f"live-{item.pk}-%s") if added else form,
                "added": added,
                "fresh": True,
            },
            status=form_status(form),
        )
    if added:
        messages.success(request, _("Your proposal is on every screen now."))
        return redirect(_safe_next(request, viewer, item))
    # Nothing typed is lost: the form comes back with its text and the reason.
    return render(
        request,
        "improvements/live/retry.html",
        _context(viewer, "proposals", form=form, item=item, next=_safe_next(request, viewer, item)),
        status=form_status(form),
    )


def _safe_next(request: HtmxHttpRequest, viewer: Viewer, item: AgendaItem) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return _live_fallback(viewer, item)


def _live_fallback(viewer: Viewer, item: AgendaItem) -> str:
    name = "workshops:participant" if viewer.is_participant else "workshops:console"
    return reverse(name, args=[viewer.trajectory.pk, item.workshop_id])
