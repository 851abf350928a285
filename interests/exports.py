"""A round's interests as a spreadsheet (CSV or Excel), as the exporting viewer may see them.

Cells hold whatever is stored, including text saved before the forms stripped control
characters, so every cell is made safe here: characters a worksheet cannot hold are removed
(openpyxl refuses them and the whole export would fail), and text a spreadsheet would run as a
formula is kept as text.
"""

from __future__ import annotations

import csv
import io

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from .models import Interest, InterestRound, Theme, in_room_order, with_display_partner
from .selectors import choice_labels, with_labels

# Spreadsheets run cells that start with these as formulas; a leading quote keeps them text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: str) -> str:
    """A cell every spreadsheet opens as the text it is: no control characters, no formula."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


EXPORT_FIELDS = (
    "partner__name",
    "statement",
    "why",
    "success",
    "contribution",
    "weight",
    "tier",
    "status",
    "theme__name",
    "theme__classification",
)


def export_rows(viewer, round: InterestRound) -> tuple[list[str], list[list[str]]]:
    """The header and one row per interest this viewer may see, cells already made safe."""
    interests = in_room_order(
        with_labels(
            with_display_partner(
                Interest.objects.visible_to(viewer)
                .filter(round=round)
                .select_related("partner", "theme")
                # Only what the cells show (and the naming rule reads): a large round's export
                # spent a third of its time turning unused dates into datetimes.
                .only(*EXPORT_FIELDS)
                .order_by("partner__name", "created_at", "pk"),
                viewer,
            )
        )
    )
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
                i.shown_partner.name if i.shown_partner else not_named,
                i.statement,
                i.why,
                i.success,
                i.contribution,
                i.weight_label,
                i.tier_label,
                i.status_label,
                i.theme.name if i.theme else "",
                classifications.get(i.theme.classification, "") if i.theme else "",
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
    # Write-only: rows stream into the file instead of becoming a cell object each first.
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Interests")[:31])
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    heading = []
    for text in header:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        heading.append(cell)
    sheet.append(heading)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
