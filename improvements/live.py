"""The live PROPOSALS agenda item of a workshop (contract: workshops/agenda_plugins.py)."""

from trajectories.models import Partner

from .forms import QuickProposalForm
from .models import Proposal
from .selectors import build_matrix


def live_context(item, viewer) -> dict:
    """Proposals made in this item, with their support so far: five queries, whatever the data."""
    partners = Partner.objects.filter(trajectory_id=item.workshop.trajectory_id)
    proposals = Proposal.objects.filter(agenda_item=item).for_matrix()
    matrix = build_matrix(partners, proposals)
    context = {"matrix": matrix, "proposal_count": len(matrix.rows)}
    if viewer.is_participant or viewer.is_facilitator:
        context["proposal_form"] = QuickProposalForm(auto_id=f"live-{item.pk}-%s")
    return context
