"""CSV and Excel exports hold whatever is stored, also text saved before forms cleaned it."""

import io

import pytest
from openpyxl import load_workbook

from interests.models import Interest

from .conftest import make_interest

pytestmark = pytest.mark.django_db

# NUL is left out: PostgreSQL cannot store it at all.
CONTROLS = "\x0b\x1b\x07\x0c\x1f\x01"


def _store_raw(interest, **fields):
    """Write straight to the database, as rows saved before the forms stripped control
    characters."""
    Interest.objects.filter(pk=interest.pk).update(**fields)


def _url(trajectory, round, ext):
    return f"/t/{trajectory.pk}/belangen/rondes/{round.pk}/export.{ext}"


@pytest.fixture
def stored_controls(open_round, participant):
    interest = make_interest(open_round, participant, "Schoon")
    _store_raw(
        interest,
        statement=f"Regel{CONTROLS}een",
        why="Waarom\x0bmet\x1b[31m kleur\x07",
        success='\x07=HYPERLINK("http://evil")',
        contribution="tab\tblijft\nregel",
    )
    return interest


def test_xlsx_export_survives_control_characters_stored_earlier(
    facilitator_client, trajectory, open_round, stored_controls
):
    response = facilitator_client.get(_url(trajectory, open_round, "xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    row = [cell or "" for cell in next(sheet.iter_rows(min_row=2, values_only=True))]
    assert row[1] == "Regeleen"
    assert row[2] == "Waarommet[31m kleur"
    assert row[3] == '\'=HYPERLINK("http://evil")'  # stripped first, then still neutralised
    assert row[4] == "tab\tblijft\nregel"


def test_csv_export_strips_control_characters_and_keeps_formulas_neutral(
    facilitator_client, trajectory, open_round, stored_controls
):
    response = facilitator_client.get(_url(trajectory, open_round, "csv"))
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert not any(char in text for char in CONTROLS)
    assert "Regeleen" in text and "'=HYPERLINK" in text


def test_interest_form_strips_control_characters(
    participant_client, trajectory, open_round, participant
):
    response = participant_client.post(
        f"/t/{trajectory.pk}/belangen/rondes/{open_round.pk}/belangen/nieuw/",
        {
            "statement": "Belang\x0bmet\x1bbreuk",
            "why": "Waarom\x07\x0bnu",
            "weight": "must",
            "tier": "named",
            "action": "submit",
        },
    )
    assert response.status_code == 302
    interest = Interest.objects.get()
    assert (interest.statement, interest.why) == ("Belang metbreuk", "Waarom\nnu")


def test_xlsx_export_keeps_text_that_looks_like_spreadsheet_markup_as_text(
    facilitator_client, trajectory, open_round, participant
):
    """The Excel writer copies a string that starts with <r> and ends with </r> into the file as
    its own markup, and reads _xHHHH_ as an escaped character: stored text like that must come
    out as the text it is, in a file that opens."""
    interest = make_interest(open_round, participant, "Schoon")
    _store_raw(
        interest,
        statement='<r><t>Belang & "meer"</t></r>',
        why="<r>&</r>",
        success="code _x0041_ blijft",
        contribution="http://example.org/ en 0123",
    )
    response = facilitator_client.get(_url(trajectory, open_round, "xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    row = [cell or "" for cell in next(sheet.iter_rows(min_row=2, values_only=True))]
    assert row[1] == '\'<r><t>Belang & "meer"</t></r>'
    assert row[2] == "'<r>&</r>"
    assert row[3] == "code _x0041_ blijft"
    assert row[4] == "http://example.org/ en 0123"  # text, not a link or a number
    assert sheet["E2"].hyperlink is None and sheet["E2"].data_type == "s"


def test_xlsx_export_has_a_bold_frozen_heading(facilitator_client, trajectory, open_round):
    response = facilitator_client.get(_url(trajectory, open_round, "xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].value == "Partner" and sheet["A1"].font.b
