"""Notes without the organisation's name where the facilitator allows it: the projector, the
phones and a manager's session report show no organisation; the console and the facilitator's
report still do; by default every note stays named."""

import re

import pytest
from django.test import Client

from tests import factories
from tests.workshops.conftest import add_item, make_workshop
from workshops import live_render, report, services
from workshops.models import AgendaItem, Workshop

pytestmark = pytest.mark.django_db

PARTNER = "Zorggroep Het Verborgen Anker"


def _url(workshop, path):
    return f"/t/{workshop.trajectory_id}/bijeenkomsten/{workshop.pk}/{path}"


@pytest.fixture
def room(trajectory, facilitator):
    """A live discussion with one note of PARTNER and one of a second partner."""

    def build(*, anonymous):
        author = factories.make_participant(factories.make_partner(trajectory, PARTNER), "Ilse")
        other = factories.make_participant(factories.make_partner(trajectory, "Gemeente"), "Kees")
        workshop = make_workshop(trajectory)
        item = add_item(
            workshop, AgendaItem.Kind.DISCUSSION, "Wat houdt ons tegen?", anonymous_notes=anonymous
        )
        services.workshop_start(workshop=workshop)
        services.contribution_add(item=item, participant=author, text="Wij durven niet te zeggen")
        services.contribution_add(item=item, participant=other, text="Geld")
        console = Client()
        console.force_login(facilitator)
        return workshop, item, author, console

    return build


def _projector(console, workshop):
    return console.get(_url(workshop, "scherm/"), headers={"HX-Request": "true"}).content.decode()


def _phones(workshop, partner):
    """The shared fragment every phone of that partner fetches."""
    workshop = Workshop.objects.get(pk=workshop.pk)
    viewer = live_render.audience_for(workshop, f"partner-{partner.pk}")
    return live_render.render_shared(workshop, viewer, screen="participant")


def _by_line(html, text):
    """The 'by' line of the note with this text."""
    match = re.search(re.escape(text) + r'</p>\s*<p class="note__by">(.*?)</p>', html, re.S)
    assert match, f"no note {text!r}"
    return match.group(1)


def test_by_default_every_note_is_named_on_every_screen(room):
    workshop, _item, author, console = room(anonymous=False)
    for html in (_projector(console, workshop), _phones(workshop, author.partner)):
        assert PARTNER in _by_line(html, "Wij durven niet te zeggen")


def test_anonymous_notes_name_no_organisation_on_projector_and_phones(room):
    workshop, _item, author, console = room(anonymous=True)
    for html in (_projector(console, workshop), _phones(workshop, author.partner)):
        assert "Wij durven niet te zeggen" in html
        assert PARTNER not in html
        assert f"partner-{author.partner_id}" not in html and "data-partner" not in html
        assert "anoniem" in _by_line(html, "Wij durven niet te zeggen")


def test_the_console_still_names_the_organisation_of_an_anonymous_note(room):
    workshop, _item, _author, console = room(anonymous=True)
    html = console.get(_url(workshop, "regie/")).content.decode()
    assert PARTNER in _by_line(html, "Wij durven niet te zeggen")


def test_a_managers_session_report_follows_the_projector_the_facilitators_names(room):
    workshop, item, _author, _console = room(anonymous=True)

    def names(audience):
        section = report.session_section(workshop, audience=audience)
        (shown,) = [i for i in section["items"] if i.pk == item.pk]
        return {note.partner.name if note.partner else None for note in shown.contributions.all()}

    assert PARTNER not in names("manager")
    assert names("manager") == {None}
    assert PARTNER in names("facilitator")


def test_the_facilitator_sets_it_in_the_item_form_and_a_copied_agenda_keeps_it(
    facilitator_client, trajectory
):
    workshop = make_workshop(trajectory)
    item = add_item(workshop, AgendaItem.Kind.CHECK_IN, "Hoe komt u binnen?")
    assert item.anonymous_notes is False
    form = facilitator_client.get(_url(workshop, f"agenda/{item.pk}/")).content.decode()
    assert 'name="anonymous_notes"' in form
    response = facilitator_client.post(
        _url(workshop, f"agenda/{item.pk}/"),
        {
            "kind": item.kind,
            "title": item.title,
            "timebox_minutes": 10,
            "dots_per_participant": 3,
            "notes": "",
            "anonymous_notes": "on",
            "version": item.version,
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.anonymous_notes is True

    later = make_workshop(trajectory, title="Werkbijeenkomst 2")
    services.agenda_copy(source=workshop, target=later)
    assert later.items.get().anonymous_notes is True
