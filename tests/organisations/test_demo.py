"""The demo: a municipality in two trajectories and its coordinator, so `make run` shows a real
portfolio at /organisaties/."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from trajectories.management.commands.load_demo import PASSWORD as DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_the_demo_coordinator_reads_a_portfolio_of_two_trajectories(client):
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)  # a second run adds nothing
    user = get_user_model().objects.get(username="coordinator")
    assert user.check_password(DEMO_PASSWORD)
    client.force_login(user)
    index = client.get("/organisaties/")
    assert index.status_code == 302
    html = client.get(index["Location"]).content.decode()
    assert "Gemeente Rivierstad" in html
    assert "Van beschermd wonen naar een eigen thuis" in html
    assert "Samen sterk in de wijk" in html
    assert html.count('class="panel portfolio-trajectory"') == 2
    for signal in ("Mandaatbesluit nodig", "Verlopen actiepunten", "Vertegenwoordiger zonder"):
        assert signal in html
