"""The partner form suggests organisations by name: only those of the trajectories its own
facilitators run, never every organisation in Coconnect."""

from tests import factories
from trajectories.models import Partner


def test_the_partner_form_suggests_only_organisations_from_the_facilitators_own_trajectories(
    facilitator_client, facilitator, trajectory
):
    mine = factories.make_trajectory("Mijn andere traject", facilitator=facilitator)
    factories.make_partner(mine, "Gemeente Rivierstad")
    someone_else = factories.make_user("ander")
    theirs = factories.make_trajectory("Traject van een ander", facilitator=someone_else)
    factories.make_partner(theirs, "Stichting Geheim Overleg", kind=Partner.Kind.SHELTER)
    # Managing a trajectory elsewhere does not widen what the partner form offers.
    read_only = factories.make_trajectory("Alleen meelezen", manager=facilitator)
    factories.make_partner(read_only, "Zorggroep Meelees", kind=Partner.Kind.CARE)

    html = facilitator_client.get(f"/t/{trajectory.pk}/partners/").content.decode()

    assert '<datalist id="organisation-names">' in html
    assert "<option>Gemeente Rivierstad</option>" in html
    assert "Stichting Geheim Overleg" not in html
    assert "Zorggroep Meelees" not in html
