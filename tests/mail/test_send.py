"""coconnect/mail.py: format, language, unsubscribe headers and opt-outs (locmem backend)."""

import pytest
from django.core import mail as outbox_mail

from coconnect import mail
from tests import factories
from trajectories.models import MailOptOut, SignInToken

pytestmark = pytest.mark.django_db

TEMPLATE = "trajectories/mail/sign_in"


def _context(participant, url="https://example.test/x/"):
    return {
        "entries": [
            {
                "participant": participant,
                "trajectory": participant.partner.trajectory,
                "partner": participant.partner,
                "url": url,
            }
        ],
        "days": 3,
    }


@pytest.fixture
def anouk(participant):
    participant.email = "anouk@example.test"
    participant.save(update_fields=["email"])
    return participant


def test_a_mail_is_multipart_text_and_html(anouk):
    sent = mail.send(
        mail.recipient_for_participant(anouk),
        kind=mail.Kind.REMINDER,
        template=TEMPLATE,
        context=_context(anouk),
    )
    assert sent is True
    [message] = outbox_mail.outbox
    assert message.to == ["anouk@example.test"]
    assert "Anouk de Vries" in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert '<html lang="nl"' in html
    assert 'href="https://example.test/x/"' in html
    assert "<img" not in html and "style=" not in html
    message_bytes = message.message().as_bytes()
    assert b"multipart/alternative" in message_bytes


def test_each_recipient_gets_their_own_language(anouk, partner):
    english = factories.make_participant(partner, "Emma Jones", email="emma@example.test")
    english.language = "en"
    english.save(update_fields=["language"])
    for person in (anouk, english):
        mail.send(
            mail.recipient_for_participant(person),
            kind=mail.Kind.REMINDER,
            template=TEMPLATE,
            context=_context(person),
        )
    dutch, other = outbox_mail.outbox
    assert dutch.subject == "Uw aanmeldlink voor Coconnect"
    assert "Beste Anouk de Vries" in dutch.body
    assert dutch.extra_headers["Content-Language"] == "nl"
    assert other.subject == "Your sign-in link for Coconnect"
    assert "Dear Emma Jones" in other.body
    assert '<html lang="en"' in other.alternatives[0][0]
    assert other.extra_headers["Content-Language"] == "en"


@pytest.mark.parametrize("kind", mail.OPTIONAL)
def test_mail_a_person_did_not_ask_for_carries_a_one_click_unsubscribe(anouk, kind):
    mail.send(
        mail.recipient_for_participant(anouk), kind=kind, template=TEMPLATE, context=_context(anouk)
    )
    [message] = outbox_mail.outbox
    url = message.extra_headers["List-Unsubscribe"]
    assert url.startswith("<http") and "/afmelden/" in url
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url.strip("<>") in message.body
    assert url.strip("<>") in message.alternatives[0][0]


@pytest.mark.parametrize("kind", [mail.Kind.INVITE, mail.Kind.SIGN_IN])
def test_transactional_mail_has_no_unsubscribe(anouk, kind):
    mail.send(
        mail.recipient_for_participant(anouk), kind=kind, template=TEMPLATE, context=_context(anouk)
    )
    [message] = outbox_mail.outbox
    assert "List-Unsubscribe" not in message.extra_headers
    assert "/afmelden/" not in message.body


def test_an_opt_out_stops_that_kind_and_nothing_else(anouk):
    recipient = mail.recipient_for_participant(anouk)
    mail.opt_out_set(participant=anouk, kind=mail.Kind.REMINDER, wanted=False)
    assert not mail.wants(recipient, mail.Kind.REMINDER)
    for kind in mail.Kind:
        mail.send(recipient, kind=kind, template=TEMPLATE, context=_context(anouk))
    assert len(outbox_mail.outbox) == len(mail.Kind) - 1
    mail.opt_out_set(participant=anouk, kind=mail.Kind.REMINDER, wanted=True)
    assert mail.wants(recipient, mail.Kind.REMINDER)
    assert not MailOptOut.objects.exists()


def test_nothing_is_sent_without_an_address(participant):
    recipient = mail.recipient_for_participant(participant)
    assert not mail.send(
        recipient, kind=mail.Kind.SIGN_IN, template=TEMPLATE, context=_context(participant)
    )
    assert outbox_mail.outbox == []


def test_sign_in_true_puts_a_fresh_single_use_link_in_the_context(anouk):
    mail.send(
        mail.recipient_for_participant(anouk),
        kind=mail.Kind.REMINDER,
        template=TEMPLATE,
        context=_context(anouk),
        sign_in=True,
    )
    assert SignInToken.objects.filter(participant=anouk, used_at__isnull=True).count() == 1


def test_sign_in_links_for_many_cost_one_insert(partner, django_assert_num_queries):
    people = [factories.make_participant(partner) for _ in range(20)]
    with django_assert_num_queries(1):
        urls = mail.sign_in_urls_issue(people)
    assert len(set(urls.values())) == 20
    assert SignInToken.objects.count() == 20


def test_prefetched_opt_outs_cost_no_query_per_recipient(partner, django_assert_num_queries):
    from trajectories.models import Participant

    for n in range(5):
        person = factories.make_participant(partner, email=f"p{n}@example.test")
        mail.opt_out_set(participant=person, kind=mail.Kind.DIGEST, wanted=False)
    with django_assert_num_queries(2):
        people = list(Participant.objects.prefetch_related(mail.opt_outs_prefetch()))
        answers = [mail.wants(mail.recipient_for_participant(p), mail.Kind.DIGEST) for p in people]
    assert answers == [False] * 5
