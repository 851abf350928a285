"""A round's interests as a spreadsheet (CSV or Excel), as the exporting viewer may see them.

Cells hold whatever is stored, including text saved before the forms stripped control
characters, so every cell is made safe here: characters a worksheet cannot hold are removed,
and text a spreadsheet would run as a formula, or the Excel writer would copy in as its own
markup, is kept as text.

The Excel file is written by XlsxWriter rather than openpyxl: for a large round (300 interests,
3,000 cells) openpyxl's writer, even write-only, took about three times as long, most of the
export's time.
"""

from __future__ import annotations

import csv
import io
import re
from typing import NamedTuple

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from xlsxwriter import Workbook

from .models import Interest, InterestRound, Theme, in_room_order
from .selectors import choice_labels

# Control characters a worksheet cannot hold (tab, line feed and carriage return it can).
ILLEGAL_CHARACTERS_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Spreadsheets run cells that start with these as formulas; a leading quote keeps them text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: str) -> str:
    """A cell every spreadsheet opens as the text it is: no control characters, no formula,
    no markup."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith(FORMULA_STARTS) or _is_rich_string_markup(value):
        return "'" + value
    return value


def _is_rich_string_markup(value: str) -> bool:
    # XlsxWriter copies a string that starts with <r> and ends with </r> into the file unescaped,
    # as its own rich-text markup: stored text like that would break the file or change a cell.
    return value.startswith("<r>") and value.endswith("</r>")


class _Exported(NamedTuple):
    """One interest as the export reads it: plain values, no model instance. A large round's
    export spent most of its database time building three model instances per row (interest,
    partner, theme) and turning dates it never shows into datetimes."""

    pk: int
    statement: str
    shown_partner: str | None  # the partner's name, None when this viewer may not know it
    why: str
    success: str
    contribution: str
    weight: str
    tier: str
    status: str
    theme: str | None
    classification: str | None


def _exported(viewer, round: InterestRound) -> list[_Exported]:
    values = (
        Interest.objects.visible_to(viewer)
        .filter(round=round)
        .order_by("partner__name", "created_at", "pk")
        .values_list(
            "pk",
            "statement",
            "partner_id",
            "partner__name",
            "why",
            "success",
            "contribution",
            "weight",
            "tier",
            "status",
            "theme__name",
            "theme__classification",
        )
    )
    exported = []
    for (pk, statement, partner_id, partner_name, why, success, contribution, weight, tier,
         status, theme, classification) in values:  # fmt: skip
        named = Interest.names_partner_for(viewer, partner_id=partner_id, tier=tier)
        exported.append(
            _Exported(
                pk,
                statement,
                partner_name if named else None,
                why,
                success,
                contribution,
                weight,
                tier,
                status,
                theme,
                classification,
            )
        )
    return exported


def export_rows(viewer, round: InterestRound) -> tuple[list[str], list[list[str]]]:
    """The header and one row per interest this viewer may see, cells already made safe."""
    # in_room_order reads only shown_partner, statement and pk, which _Exported has by name.
    interests = in_room_order(_exported(viewer, round))
    weights, tiers = choice_labels(Interest.Weight), choice_labels(Interest.Tier)
    statuses = choice_labels(Interest.Status)
    classifications = choice_labels(Theme.Classification)
    not_named = _("Partner not named")
    header = [
        _("Partner"),
        _("Interest"),
        _("Why it matters"),
        _("What success looks like"),
        _("What the organisation can contribute"),
        _("Weight"),
        _("Tier"),
        _("Status"),
        _("Theme"),
        _("Classification"),
    ]
    rows = [
        [
            spreadsheet_cell(cell)
            for cell in (
                i.shown_partner if i.shown_partner is not None else not_named,
                i.statement,
                i.why,
                i.success,
                i.contribution,
                weights.get(i.weight, i.weight),
                tiers.get(i.tier, i.tier),
                statuses.get(i.status, i.status),
                i.theme or "",
                classifications.get(i.classification, "") if i.theme is not None else "",
            )
        ]
        for i in interests
    ]
    return header, rows


def export_filename(round: InterestRound, ext: str) -> str:
    return f"belangen-{slugify(round.title) or round.pk}-{timezone.localdate():%Y%m%d}.{ext}"


def round_csv(viewer, round: InterestRound) -> str:
    header, rows = export_rows(viewer, round)
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel opens UTF-8 correctly with a BOM
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def round_xlsx(viewer, round: InterestRound) -> bytes:
    header, rows = export_rows(viewer, round)
    buffer = io.BytesIO()
    # In memory: no temporary files. Every cell goes through write_string, so nothing is ever
    # taken for a formula, a number or a link, whatever the text looks like.
    workbook = Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet(_("Interests")[:31])
    sheet.freeze_panes(1, 0)
    bold = workbook.add_format({"bold": True})
    for column, text in enumerate(header):
        sheet.write_string(0, column, text, bold)
    for number, row in enumerate(rows, start=1):
        for column, text in enumerate(row):
            sheet.write_string(number, column, text)
    workbook.close()
    return buffer.getvalue()
