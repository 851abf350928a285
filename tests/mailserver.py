"""A real SMTP server on loopback for end-to-end mail tests: `smtp_server`.

Starts aiosmtpd on 127.0.0.1 (a free port), points Django's SMTP backend at it and collects what
arrives, parsed as a mail client would (`email.policy.default`). Delivery is synchronous: when
Django's send returns, the server has accepted the message and it is in `smtp_server.messages`.

    def test_it_arrives(smtp_server):
        ...send...
        [message] = smtp_server.messages
        assert message.get_content_type() == "multipart/alternative"
"""

from __future__ import annotations

import email
import email.policy
import socket
from dataclasses import dataclass, field
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller


@dataclass
class Received:
    """What the server accepted: parsed messages and, for each, the envelope recipients."""

    messages: list[EmailMessage] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)
    host: str = "127.0.0.1"
    port: int = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        raw = envelope.original_content or envelope.content
        self.messages.append(email.message_from_bytes(raw, policy=email.policy.default))
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


def _free_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    received = Received()
    received.port = _free_port(received.host)
    controller = Controller(received, hostname=received.host, port=received.port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = received.host
    settings.EMAIL_PORT = received.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    try:
        yield received
    finally:
        controller.stop()
