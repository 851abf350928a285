"""Every mail Coconnect sends goes through `send`: one place for language, format and opt-outs.

- Written in the recipient's language (`Recipient.language`), whatever language the request or
  job that sends it runs in.
- Multipart: `<template>.txt` and `<template>.html` (accessible HTML on `mail/base.html`, readable
  without CSS or images), subject from `<template>_subject.txt`.
- Per kind (`Kind`): a mail a person did not ask for carries a one-click unsubscribe
  (`List-Unsubscribe` + `List-Unsubscribe-Post`, RFC 8058) and a visible link; the unsubscribe
  stops that kind and nothing else. Transactional kinds (an invite, a sign-in answer) have none.
- A participant's mail can carry a sign-in button (`sign_in=True`, or a `sign_in_url` issued in
  bulk with `sign_in_urls_issue`): a short-lived single-use link, so the personal invite link
  stays as it is.

`send` sends at once, inside the caller's transaction, as `mail_send` always did: a mail server
that refuses raises `MailFailed` (a ValidationError the user can read), so a caller whose change
and mail are one unit rolls back. Jobs that should go on catch it per recipient.

The models (MailOptOut, SignInToken, AccountPreferences) live in trajectories, whose models import
`Kind` from here; so this module imports them inside its functions.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import models
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from coconnect.forms import clean_text

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "coconnect.mail.unsubscribe"


class Kind(models.TextChoices):
    """What a mail is about; a person opts out per kind."""

    # Also a new account's set-password mail and the notices a facilitator cannot do without
    # (a removal request, the retention warning, a report they ordered): transactional all.
    INVITE = "invite", _("Personal invite link")
    SIGN_IN = "sign_in", _("Sign-in links you asked for")
    REMINDER = "reminder", _("Reminders about what is due")
    DIGEST = "digest", _("Digest of what is due")
    WEEKLY = "weekly", _("Weekly digest of a trajectory")
    WORKSHOP = "workshop", _("Workshop invitations and changes")

    @property
    def is_transactional(self) -> bool:
        """Sent because the person asked for it or needs it to get in: no unsubscribe."""
        return self in TRANSACTIONAL


# Switching these off would lock people out, or hide what the law or their own request asks for.
TRANSACTIONAL = frozenset({Kind.INVITE, Kind.SIGN_IN})
# The kinds a person may switch off (the settings pages list these).
OPTIONAL = tuple(kind for kind in Kind if kind not in TRANSACTIONAL)
PARTICIPANT_KINDS = (Kind.REMINDER, Kind.DIGEST, Kind.WORKSHOP)
ACCOUNT_KINDS = (Kind.WEEKLY,)


class MailFailed(ValidationError):
    """The mail server refused or could not be reached; the message is for the user."""


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    language: str = settings.LANGUAGE_CODE
    participant: object | None = None
    user: object | None = None
    # The kinds this person switched off, when known (prefetched); None: ask the database.
    opted_out: frozenset[str] | None = field(default=None, compare=False)


def _language(value: str | None) -> str:
    known = {code for code, _name in settings.LANGUAGES}
    return value if value in known else settings.LANGUAGE_CODE


def recipient_for_participant(participant) -> Recipient:
    """The participant as a recipient. With `opt_outs_prefetch()` on the queryset it costs no
    query; erased participants have no address, so nothing is sent to them."""
    prefetched = getattr(participant, "prefetched_mail_opt_outs", None)
    return Recipient(
        email=participant.email or "",
        name=participant.name,
        language=_language(participant.language),
        participant=participant,
        opted_out=None if prefetched is None else frozenset(o.kind for o in prefetched),
    )


def recipient_for_user(user, *, fallback_language: str | None = None) -> Recipient:
    """An account as a recipient, in the language of its preferences; without any, in
    `fallback_language` (e.g. the language a report was ordered in) or Dutch.
    Select `account_preferences` and prefetch `opt_outs_prefetch()` for bulk sends."""
    from trajectories.models import AccountPreferences

    try:
        language = user.account_preferences.language
    except AccountPreferences.DoesNotExist:
        language = fallback_language or settings.LANGUAGE_CODE
    prefetched = getattr(user, "prefetched_mail_opt_outs", None)
    return Recipient(
        email=user.email or "",
        name=user.get_full_name() or user.get_username(),
        language=_language(language),
        user=user,
        opted_out=None if prefetched is None else frozenset(o.kind for o in prefetched),
    )


def opt_outs_prefetch() -> models.Prefetch:
    """For a Participant or User queryset: the opt-outs, read once for all recipients."""
    return models.Prefetch("mail_opt_outs", to_attr="prefetched_mail_opt_outs")


def _owner(recipient: Recipient) -> dict:
    if recipient.participant is not None:
        return {"participant": recipient.participant}
    if recipient.user is not None:
        return {"user": recipient.user}
    return {}


def wants(recipient: Recipient, kind: str) -> bool:
    """Whether this person still wants this kind of mail (and has an address to get it)."""
    if not recipient.email:
        return False
    if Kind(kind) in TRANSACTIONAL:
        return True
    if recipient.opted_out is not None:
        return kind not in recipient.opted_out
    owner = _owner(recipient)
    if not owner:
        return True
    from trajectories.models import MailOptOut

    return not MailOptOut.objects.filter(kind=kind, **owner).exists()


def opt_out_set(*, participant=None, user=None, kind: str, wanted: bool) -> bool:
    """Switch one kind off (`wanted=False`) or back on; True when something changed."""
    from trajectories.models import MailOptOut

    if Kind(kind) in TRANSACTIONAL:
        raise ValueError(f"{kind} mails cannot be switched off")
    owner = {"participant": participant} if participant is not None else {"user": user}
    if wanted:
        deleted, _rows = MailOptOut.objects.filter(kind=kind, **owner).delete()
        return bool(deleted)
    _row, created = MailOptOut.objects.get_or_create(kind=kind, **owner)
    return created


# --- unsubscribe links -------------------------------------------------------------------------


def unsubscribe_value(recipient: Recipient, kind: str) -> str:
    """Signed (who + kind): the link cannot be turned into someone else's or another kind's."""
    if recipient.participant is not None:
        who = {"p": recipient.participant.pk}
    else:
        who = {"u": recipient.user.pk}
    return signing.dumps({**who, "k": str(kind)}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(recipient: Recipient, kind: str) -> str:
    path = reverse("trajectories:unsubscribe", args=[unsubscribe_value(recipient, kind)])
    return f"{settings.SITE_URL}{path}"


@dataclass(frozen=True)
class Unsubscribe:
    """What a valid unsubscribe link names."""

    kind: Kind
    participant: object | None = None
    user: object | None = None


def unsubscribe_read(value: str) -> Unsubscribe | None:
    """The person and kind behind a signed value, or None for a forged, damaged or stale one."""
    from django.contrib.auth import get_user_model

    from trajectories.models import Participant

    if not value or len(value) > 500:
        return None
    try:
        data = signing.loads(value, salt=UNSUBSCRIBE_SALT)
        kind = Kind(data["k"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    if kind in TRANSACTIONAL:
        return None
    if "p" in data:
        participant = (
            Participant.objects.select_related("partner__trajectory")
            .filter(pk=data["p"], erased_at__isnull=True)
            .first()
        )
        return Unsubscribe(kind=kind, participant=participant) if participant else None
    if "u" in data:
        user = get_user_model().objects.filter(pk=data["u"], is_active=True).first()
        return Unsubscribe(kind=kind, user=user) if user else None
    return None


# --- sign-in links -----------------------------------------------------------------------------


def sign_in_url(token: str) -> str:
    return f"{settings.SITE_URL}{reverse('trajectories:sign_in', args=[token])}"


def sign_in_urls_issue(participants: Iterable) -> dict[int, str]:
    """A fresh single-use sign-in link per participant: {participant pk: url}, one insert."""
    from trajectories.models import SignInToken, hash_token

    rows, urls = [], {}
    expires_at = SignInToken.default_expiry()
    for participant in participants:
        token = SignInToken.new_token()
        rows.append(
            SignInToken(
                participant_id=participant.pk, token_hash=hash_token(token), expires_at=expires_at
            )
        )
        urls[participant.pk] = sign_in_url(token)
    SignInToken.objects.bulk_create(rows)
    return urls


# --- sending -----------------------------------------------------------------------------------


def mail_subject(text: str) -> str:
    """A subject on one line: a name stored with a line break can neither inject a header nor
    make Django refuse the message."""
    return " ".join(clean_text(str(text), multiline=False).split())


def mail_send(message: EmailMessage) -> None:
    """Send, or raise MailFailed (a message the user can read; the caller's transaction rolls
    back)."""
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("Mail not sent: %s", type(error).__name__)
        raise MailFailed(
            _("The email could not be sent. Please try again later."), code="mail_failed"
        ) from error


def send(
    recipient: Recipient,
    *,
    kind: str,
    template: str,
    context: dict,
    attachments: Iterable = (),
    alternatives: Iterable = (),
    sign_in: bool = False,
    sign_in_url: str | None = None,
    headers: dict | None = None,
    reply_to: list[str] | None = None,
) -> bool:
    """Render `template` (`_subject.txt`, `.txt`, `.html`) in the recipient's language and send.

    False, and nothing sent, when the recipient has no address or switched this kind off.
    `attachments`: (filename, content, mimetype) tuples; `alternatives`: (content, mimetype).
    `sign_in=True` issues a sign-in link for a participant recipient (one insert); a bulk sender
    passes the links from `sign_in_urls_issue` as `sign_in_url` instead. Both reach the
    templates as `sign_in_url`.
    """
    kind = Kind(kind)
    if not wants(recipient, kind):
        return False
    if sign_in and sign_in_url is None and recipient.participant is not None:
        sign_in_url = sign_in_urls_issue([recipient.participant])[recipient.participant.pk]
    extra_headers = dict(headers or {})
    context = {
        **context,
        "recipient": recipient,
        "kind": kind,
        "site_url": settings.SITE_URL,
        "sign_in_url": sign_in_url or "",
        "unsubscribe_url": "",
    }
    if kind not in TRANSACTIONAL and _owner(recipient):
        url = unsubscribe_url(recipient, kind)
        context["unsubscribe_url"] = url
        extra_headers["List-Unsubscribe"] = f"<{url}>"
        extra_headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    with translation.override(recipient.language):
        context["language"] = recipient.language
        context["kind_label"] = str(kind.label)
        subject = mail_subject(render_to_string(f"{template}_subject.txt", context))
        context["subject"] = subject
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    extra_headers.setdefault("Content-Language", recipient.language)
    message = EmailMultiAlternatives(
        subject, text, to=[recipient.email], reply_to=reply_to, headers=extra_headers
    )
    message.attach_alternative(html, "text/html")
    for content, mimetype in alternatives:
        message.attach_alternative(content, mimetype)
    for attachment in attachments:
        if isinstance(attachment, tuple):
            message.attach(*attachment)
        else:
            message.attach(attachment)
    mail_send(message)
    return True
