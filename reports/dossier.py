"""The dossier of a whole trajectory: one ZIP for the Woo officer and the archive (Archiefwet).

`dossier_build(trajectory, edition=...)` returns the ZIP's bytes: `manifest.json` (every record
with its type, id, dates, author role, partner and confidentiality label), one CSV per kind of
record, the audit log, the latest progress report as PDF when one is rendered, and `LEESMIJ.txt`.

Two editions. The shared edition (the default) never links an interest that is not shared with
the organisation's name to its partner, and leaves out every e-mail address and invite secret;
the facilitator's edition keeps the partner of every interest and says so in its name and its
manifest. Nothing else differs, so a Woo officer redacts by the labels alone.

Pulses appear as aggregates only, with the health pages' anonymity floor (MIN_GROUP): a pulse
with fewer respondents shows its count, never its scores. Representatives' e-mail addresses and
invite links are in neither edition: the dossier records what happened, not how to reach people.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Count
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from health.models import Answer, Pulse, Response, Risk
from health.selectors import MIN_GROUP
from improvements.models import ImprovementPackage, Position, Proposal
from interests.models import Interest, Theme
from trajectories.models import Participant, Partner
from workshops.models import ActionItem, AgendaItem, Agreement, Contribution, Knock, Workshop

from .models import Report

SHARED = "shared"
FACILITATOR = "facilitator"
EDITIONS = (SHARED, FACILITATOR)

# Confidentiality labels, explained in LEESMIJ.txt.
FACILITATOR_ONLY = "facilitator-only"
ANONYMOUS = "anonymous"
DRAFT = "draft"
LABEL_SHARED = "shared"
PERSONAL_DATA = "personal-data"
AGGREGATE = "aggregate"
HIDDEN = "hidden"

# Dutch Excel reads `;` as the list separator (the comma is the decimal sign); the BOM makes it
# read the file as UTF-8 instead of the Windows code page.
CSV_DELIMITER = ";"
CSV_ENCODING = "utf-8-sig"

REDACTED = "[verwijderd]"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


@dataclass
class _Table:
    file: str
    type: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)


@dataclass
class _Dossier:
    edition: str
    tables: list[_Table] = field(default_factory=list)
    records: list[dict] = field(default_factory=list)

    def table(self, file: str, type_: str, headers: list[str]) -> _Table:
        table = _Table(file, type_, headers)
        self.tables.append(table)
        return table

    def add(self, table, obj_id, row, *, created, updated=None, role="", partner=None, label):
        table.rows.append([obj_id, *row])
        self.records.append(
            {
                "type": table.type,
                "id": obj_id,
                "file": table.file,
                "created": _iso(created),
                "updated": _iso(updated),
                "author_role": role or None,
                "partner": {"id": partner.pk, "name": partner.name} if partner else None,
                "label": label,
            }
        )


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def dossier_file_name(trajectory, edition: str, *, on=None) -> str:
    name = slugify(trajectory.name)[:60] or str(trajectory.pk)
    suffix = "-editie-procesbegeleider" if edition == FACILITATOR else ""
    return f"dossier-{name}-{timezone.localdate(on):%Y-%m-%d}{suffix}.zip"


def dossier_build(trajectory, *, edition: str = SHARED) -> bytes:
    """The ZIP of the whole trajectory (see the module docstring), in Dutch."""
    if edition not in EDITIONS:
        raise ValueError(f"Unknown edition {edition!r}")
    with translation.override("nl"):
        dossier = _Dossier(edition)
        partners = {p.pk: p for p in Partner.objects.filter(trajectory=trajectory)}
        _partners(dossier, partners)
        _representatives(dossier, trajectory, partners)
        hidden_subjects = _interests(dossier, trajectory, partners)
        _themes(dossier, trajectory)
        _workshops(dossier, trajectory, partners)
        _improvements(dossier, trajectory, partners)
        _pulses(dossier, trajectory)
        _risks(dossier, trajectory, partners)
        _audit(dossier, trajectory, partners, hidden_subjects)
        report = _latest_report(trajectory, edition)
        secrets = _secrets(trajectory) if edition == SHARED else []
        return _zip(dossier, trajectory, report, secrets)


# --- the records, one function per kind ----------------------------------------------------------


def _partners(dossier, partners):
    table = dossier.table("organisaties.csv", "partner", ["id", "naam", "soort"])
    for p in partners.values():
        dossier.add(
            table,
            p.pk,
            [p.name, p.get_kind_display()],
            created=p.created_at,
            partner=p,
            label=LABEL_SHARED,
        )


def _representatives(dossier, trajectory, partners):
    table = dossier.table(
        "vertegenwoordigers.csv",
        "representative",
        ["id", "organisatie", "naam", "niveau", "mandaat"],
    )
    people = Participant.objects.filter(partner__trajectory=trajectory).order_by("partner", "pk")
    for p in people:
        partner = partners[p.partner_id]
        dossier.add(
            table,
            p.pk,
            [partner.name, p.name, p.get_level_display(), p.mandate],
            created=p.created_at,
            role="participant",
            partner=partner,
            label=PERSONAL_DATA,
        )


def _interest_label(interest) -> str:
    if interest.tier == Interest.Tier.FACILITATOR:
        return FACILITATOR_ONLY
    if interest.tier == Interest.Tier.ANONYMOUS:
        return ANONYMOUS
    if interest.status == Interest.Status.DRAFT:
        return DRAFT
    return LABEL_SHARED


def _interests(dossier, trajectory, partners) -> set[tuple[str, int]]:
    """Returns the interests whose partner the shared edition leaves out, as audit subjects."""
    table = dossier.table(
        "belangen.csv",
        "interest",
        [
            "id",
            "ronde",
            "organisatie",
            "belang",
            "waarom",
            "succes",
            "bijdrage",
            "gewicht",
            "zichtbaarheid",
            "status",
            "thema",
            "label",
        ],
    )
    hidden = set()
    interests = (
        Interest.objects.filter(round__trajectory=trajectory)
        .select_related("round", "theme")
        .order_by("round", "pk")
    )
    for i in interests:
        label = _interest_label(i)
        # Only the facilitator's edition names the partner of an interest not shared by name.
        named = i.tier == Interest.Tier.NAMED or dossier.edition == FACILITATOR
        if not named:
            hidden.add(("interests.interest", i.pk))
        partner = partners.get(i.partner_id) if named else None
        dossier.add(
            table,
            i.pk,
            [
                i.round.title,
                partner.name if partner else "",
                i.statement,
                i.why,
                i.success,
                i.contribution,
                i.get_weight_display(),
                i.get_tier_display(),
                i.get_status_display(),
                i.theme.name if i.theme else "",
                label,
            ],
            created=i.created_at,
            updated=i.updated_at,
            role="participant",
            partner=partner,
            label=label,
        )
    return hidden


def _themes(dossier, trajectory):
    table = dossier.table(
        "themas.csv", "theme", ["id", "ronde", "naam", "classificatie", "toelichting"]
    )
    for t in Theme.objects.filter(trajectory=trajectory).select_related("round").order_by("pk"):
        dossier.add(
            table,
            t.pk,
            [t.round.title if t.round else "", t.name, t.get_classification_display(), t.rationale],
            created=t.created_at,
            role="facilitator",
            label=LABEL_SHARED,
        )


def _workshops(dossier, trajectory, partners):
    workshops = dossier.table(
        "bijeenkomsten.csv", "workshop", ["id", "titel", "begint", "plaats", "status"]
    )
    for w in Workshop.objects.filter(trajectory=trajectory).order_by("starts_at", "pk"):
        dossier.add(
            workshops,
            w.pk,
            [w.title, _iso(w.starts_at) or "", w.place, w.get_status_display()],
            created=w.created_at,
            updated=w.updated_at,
            role="facilitator",
            label=LABEL_SHARED,
        )
    items = dossier.table(
        "agendapunten.csv",
        "agenda_item",
        ["id", "bijeenkomst", "volgorde", "soort", "titel", "minuten", "notities", "anoniem"],
    )
    agenda = (
        AgendaItem.objects.filter(workshop__trajectory=trajectory)
        .select_related("workshop")
        .order_by("workshop", "position", "pk")
    )
    for a in agenda:
        dossier.add(
            items,
            a.pk,
            [
                a.workshop.title,
                a.position,
                a.get_kind_display(),
                a.title,
                a.timebox_minutes,
                a.notes,
                _("yes") if a.anonymous_notes else _("no"),
            ],
            created=a.created_at,
            role="facilitator",
            label=LABEL_SHARED,
        )
    contributions = dossier.table(
        "bijdragen.csv",
        "contribution",
        ["id", "bijeenkomst", "agendapunt", "organisatie", "tekst", "status", "label"],
    )
    rows = (
        Contribution.objects.filter(item__workshop__trajectory=trajectory)
        .select_related("item__workshop")
        .order_by("item__workshop", "item__position", "pk")
    )
    for c in rows:
        if c.status != Contribution.Status.VISIBLE:
            label = HIDDEN
        elif c.item.anonymous_notes:
            label = ANONYMOUS
        else:
            label = LABEL_SHARED
        named = not c.item.anonymous_notes or dossier.edition == FACILITATOR
        partner = partners.get(c.partner_id) if named else None
        dossier.add(
            contributions,
            c.pk,
            [
                c.item.workshop.title,
                c.item.title,
                partner.name if partner else "",
                c.text,
                c.get_status_display(),
                label,
            ],
            created=c.created_at,
            role="participant",
            partner=partner,
            label=label,
        )
    agreements = dossier.table("afspraken.csv", "agreement", ["id", "bijeenkomst", "afspraak"])
    for a in (
        Agreement.objects.filter(trajectory=trajectory).select_related("workshop").order_by("pk")
    ):
        dossier.add(
            agreements,
            a.pk,
            [a.workshop.title if a.workshop else "", a.text],
            created=a.created_at,
            updated=a.updated_at,
            role="facilitator",
            label=LABEL_SHARED,
        )
    actions = dossier.table(
        "actiepunten.csv",
        "action_item",
        ["id", "actie", "organisatie", "afspraak", "uiterlijk", "status", "gereed"],
    )
    for a in ActionItem.objects.filter(trajectory=trajectory).order_by("pk"):
        partner = partners.get(a.owner_partner_id)
        dossier.add(
            actions,
            a.pk,
            [
                a.title,
                partner.name if partner else "",
                a.agreement_id or "",
                _iso(a.due_date) or "",
                a.get_status_display(),
                _iso(a.done_at) or "",
            ],
            created=a.created_at,
            updated=a.updated_at,
            role="facilitator",
            partner=partner,
            label=LABEL_SHARED,
        )


def _improvements(dossier, trajectory, partners):
    proposals = dossier.table(
        "voorstellen.csv",
        "proposal",
        ["id", "titel", "omschrijving", "indiener", "inspanning", "kosten", "wie doet wat"],
    )
    for p in Proposal.objects.filter(trajectory=trajectory).order_by("pk"):
        partner = partners.get(p.proposer_partner_id)
        dossier.add(
            proposals,
            p.pk,
            [
                p.title,
                p.description,
                partner.name if partner else "",
                p.get_effort_display(),
                p.get_cost_display(),
                p.who_does_what,
            ],
            created=p.created_at,
            updated=p.updated_at,
            role="participant" if p.created_by_participant_id else "facilitator",
            partner=partner,
            label=LABEL_SHARED,
        )
    positions = dossier.table(
        "standpunten.csv",
        "position",
        ["id", "voorstel", "organisatie", "standpunt", "toelichting", "mandaat"],
    )
    rows = (
        Position.objects.filter(proposal__trajectory=trajectory)
        .select_related("proposal")
        .order_by("proposal", "partner", "pk")
    )
    for p in rows:
        partner = partners.get(p.partner_id)
        dossier.add(
            positions,
            p.pk,
            [p.proposal.title, partner.name, p.get_stance_display(), p.text, p.mandate],
            created=None,
            updated=p.updated_at,
            role="participant",
            partner=partner,
            label=LABEL_SHARED,
        )
    packages = dossier.table(
        "pakketten.csv",
        "package",
        ["id", "titel", "versie", "status", "vastgesteld op", "voorstellen", "toelichting"],
    )
    rows = (
        ImprovementPackage.objects.filter(trajectory=trajectory)
        .prefetch_related("proposals")
        .order_by("pk")
    )
    for p in rows:
        draft = p.status == ImprovementPackage.Status.DRAFT
        dossier.add(
            packages,
            p.pk,
            [
                p.title,
                p.version,
                p.get_status_display(),
                _iso(p.adopted_on) or "",
                ", ".join(str(x.pk) for x in p.proposals.all()),
                p.note,
            ],
            created=p.created_at,
            updated=p.updated_at,
            role="facilitator",
            label=DRAFT if draft else LABEL_SHARED,
        )


def _pulses(dossier, trajectory):
    """Per pulse and statement, the mean score of everyone, only from MIN_GROUP respondents."""
    table = dossier.table(
        "pulsmetingen.csv",
        "pulse",
        ["id", "titel", "status", "respondenten", "stelling", "gemiddelde", "antwoorden"],
    )
    pulses = list(Pulse.objects.filter(trajectory=trajectory).order_by("pk"))
    respondents = dict(
        Response.objects.filter(pulse__trajectory=trajectory)
        .values_list("pulse")
        .annotate(n=Count("pk"))
    )
    means = defaultdict(list)
    answers = (
        Answer.objects.filter(response__pulse__trajectory=trajectory)
        .values("response__pulse", "statement")
        .annotate(mean=Avg("score"), n=Count("pk"))
        .order_by("response__pulse", "statement")
    )
    for a in answers:
        means[a["response__pulse"]].append(a)
    for p in pulses:
        count = respondents.get(p.pk, 0)
        rows = means[p.pk] if count >= MIN_GROUP else []
        # One record per pulse in the manifest; the CSV has a line per statement under it.
        dossier.add(
            table,
            p.pk,
            [p.title, p.get_status_display(), count, "", "", ""],
            created=p.created_at,
            role="facilitator",
            label=AGGREGATE,
        )
        for a in rows:
            table.rows.append(
                [
                    p.pk,
                    p.title,
                    "",
                    "",
                    a["statement"],
                    f"{a['mean']:.2f}".replace(".", ","),
                    a["n"],
                ]
            )
        if count and count < MIN_GROUP:
            table.rows.append([p.pk, p.title, "", "", _("too few answers to show"), "", ""])


def _risks(dossier, trajectory, partners):
    table = dossier.table(
        "risicos.csv",
        "risk",
        [
            "id",
            "categorie",
            "titel",
            "omschrijving",
            "kans",
            "impact",
            "eigenaar",
            "maatregelen",
            "status",
        ],
    )
    for r in Risk.objects.filter(trajectory=trajectory).order_by("pk"):
        partner = partners.get(r.owner_id)
        dossier.add(
            table,
            r.pk,
            [
                r.get_category_display(),
                r.title,
                r.description,
                r.likelihood,
                r.impact,
                partner.name if partner else "",
                r.measures,
                r.get_status_display(),
            ],
            created=r.created_at,
            updated=r.updated_at,
            role="facilitator",
            partner=partner,
            label=LABEL_SHARED,
        )


def _audit(dossier, trajectory, partners, hidden_subjects):
    """The audit log; an entry about an interest the edition does not link to its partner loses
    its partner and its actor's name too (the author would give the organisation away)."""
    table = dossier.table(
        "logboek.csv",
        "audit_entry",
        [
            "id",
            "moment",
            "rol",
            "door",
            "handeling",
            "organisatie",
            "onderwerp",
            "samenvatting",
            "details",
        ],
    )
    for e in AuditEntry.objects.filter(trajectory=trajectory).order_by("at", "pk"):
        hidden = (e.subject_type, e.subject_id) in hidden_subjects
        partner = None if hidden else partners.get(e.partner_id)
        dossier.add(
            table,
            e.pk,
            [
                _iso(e.at),
                e.actor_role,
                "" if hidden else e.actor_label,
                e.get_action_display(),
                partner.name if partner else "",
                f"{e.subject_type}#{e.subject_id}" if e.subject_type else "",
                e.summary,
                "" if hidden else json.dumps(e.details, ensure_ascii=False, sort_keys=True),
            ],
            created=e.at,
            role=e.actor_role,
            partner=partner,
            label=FACILITATOR_ONLY,
        )


def _latest_report(trajectory, edition) -> Report | None:
    audiences = [Report.Audience.MANAGER]
    if edition == FACILITATOR:
        audiences.append(Report.Audience.FACILITATOR)
    return (
        Report.objects.filter(
            trajectory=trajectory, kind=Report.Kind.PROGRESS, audience__in=audiences
        )
        .ready()
        .order_by("-created_at", "-pk")
        .first()
    )


def _secrets(trajectory) -> list[str]:
    """What the shared edition must never contain: the participants' e-mail addresses (also as
    someone may have typed them into a note) and knockers' addresses."""
    emails = set(
        Participant.objects.filter(partner__trajectory=trajectory)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    emails |= set(
        Knock.objects.filter(workshop__trajectory=trajectory)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    return sorted((str(e) for e in emails), key=len, reverse=True)


# --- the ZIP -------------------------------------------------------------------------------------


def _scrub(value, secrets) -> str:
    text = "" if value is None else str(value)
    if secrets:
        for secret in secrets:
            text = re.sub(re.escape(secret), REDACTED, text, flags=re.IGNORECASE)
        text = EMAIL.sub(REDACTED, text)
    return text


def _csv(table: _Table, secrets) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([_scrub(v, secrets) for v in row])
    return out.getvalue().encode(CSV_ENCODING)


def _zip(dossier, trajectory, report, secrets) -> bytes:
    files = []
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in dossier.tables:
            archive.writestr(table.file, _csv(table, secrets))
            files.append({"file": table.file, "type": table.type, "rows": len(table.rows)})
        if report is not None and report.file:
            try:
                with report.file.open("rb") as handle:
                    archive.writestr("voortgangsrapportage.pdf", handle.read())
                files.append(
                    {
                        "file": "voortgangsrapportage.pdf",
                        "type": "progress_report",
                        "report_id": report.pk,
                        "rendered": _iso(report.finished_at),
                        "label": FACILITATOR_ONLY
                        if report.audience == Report.Audience.FACILITATOR
                        else LABEL_SHARED,
                    }
                )
            except FileNotFoundError:
                pass
        archive.writestr("LEESMIJ.txt", _readme(dossier, trajectory).encode("utf-8-sig"))
        manifest = {
            "trajectory": {"id": trajectory.pk, "name": _scrub(trajectory.name, secrets)},
            "edition": dossier.edition,
            "edition_note": (
                "Editie voor de procesbegeleider: belangen zijn altijd aan hun organisatie "
                "gekoppeld. Niet openbaar maken zonder lakken."
                if dossier.edition == FACILITATOR
                else "Gedeelde editie: anonieme belangen zijn niet aan hun organisatie gekoppeld."
            ),
            "generated_at": timezone.now().isoformat(),
            "csv": {"delimiter": CSV_DELIMITER, "encoding": "UTF-8 met BOM"},
            "files": files,
            "records": [
                {**r, "partner": _scrubbed_partner(r["partner"], secrets)} for r in dossier.records
            ],
        }
        archive.writestr(
            "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
        )
    return buffer.getvalue()


def _scrubbed_partner(partner, secrets):
    if partner is None:
        return None
    return {"id": partner["id"], "name": _scrub(partner["name"], secrets)}


README = """Dossier van het samenwerkingstraject "{name}" (nummer {id})
Gemaakt op {date}. Editie: {edition}.

INHOUD
- manifest.json: elk record in dit dossier, met soort (type), nummer (id), datum van aanmaken
  en laatste wijziging, de rol van wie het invoerde (author_role), de organisatie (partner, of
  null) en het vertrouwelijkheidslabel (label). Het veld "file" noemt het CSV-bestand waarin het
  record staat. Het aantal records per soort staat onder "files".
- Eén CSV-bestand per soort record (organisaties, vertegenwoordigers, belangen, thema's,
  bijeenkomsten, agendapunten, bijdragen, afspraken, actiepunten, voorstellen, standpunten,
  pakketten, pulsmetingen, risico's en het logboek). De eerste kolom is steeds het nummer uit
  het manifest.
- voortgangsrapportage.pdf: de laatst gemaakte voortgangsrapportage, als die er is.

CSV-BESTANDEN
De bestanden zijn UTF-8 met BOM en gebruiken de puntkomma (;) als scheidingsteken. Zo opent
Nederlandstalige Excel ze met een dubbelklik goed: daar is de komma het decimaalteken en de
puntkomma het lijstscheidingsteken. Gemiddelden schrijven wij daarom met een decimale komma.

LABELS (voor het lakken bij een Woo-verzoek)
- facilitator-only: alleen de procesbegeleider zag dit (belangen met die zichtbaarheid, het
  logboek). Beoordeel zorgvuldig voor openbaarmaking.
- anonymous: gedeeld zonder naam van de organisatie. In de gedeelde editie is de organisatie
  weggelaten; maak haar ook niet langs een andere weg herleidbaar.
- draft: concept, nog niet ingediend of vastgesteld.
- hidden: bijdrage die de procesbegeleider heeft verborgen of verwijderd.
- personal-data: persoonsgegevens (namen van vertegenwoordigers); let op artikel 5.1 Woo.
- aggregate: alleen totalen. Pulsmetingen tonen geen scores bij minder dan {floor} antwoorden.
- shared: gedeeld met alle partners van het traject.

WAT ER NIET IN STAAT
Geen e-mailadressen van deelnemers en geen uitnodigingslinks of -codes, in geen van beide
edities. In de gedeelde editie zijn e-mailadressen in vrije tekst vervangen door {redacted}.

EDITIES
- Gedeelde editie: belangen en bijdragen die anoniem zijn, hebben geen organisatie.
- Editie voor de procesbegeleider (bestandsnaam eindigt op -editie-procesbegeleider): elk
  belang staat bij zijn organisatie. Deze editie is vertrouwelijk.
"""


def _readme(dossier, trajectory) -> str:
    edition = (
        "editie voor de procesbegeleider" if dossier.edition == FACILITATOR else "gedeelde editie"
    )
    return README.format(
        name=trajectory.name,
        id=trajectory.pk,
        date=timezone.localdate().isoformat(),
        edition=edition,
        floor=MIN_GROUP,
        redacted=REDACTED,
    )
