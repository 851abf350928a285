"""Log records fit to keep: no secrets from addresses, one line per refused request.

Installed on every handler by settings.LOGGING (Django, uvicorn and gunicorn loggers) and on
gunicorn's own handlers by coconnect/gunicorn_conf.py. No Django imports: gunicorn loads this
before Django is set up.
"""

import logging
import re

HIDDEN = "***"

# Addresses that carry a secret: an invite token (/i/<token>/), a live key (/live/<key>/…) and
# the signature of a shared live fragment (/live/<key>/s/<variant>/<invite>/<signature>/<lang>/).
# In a live address the key and every long token-like segment are hidden; short parts (the
# variant, ids, the language) stay, so the log still says what was asked for.
INVITE_PATH = re.compile(r"(/i/)[^/\s?#\"']+")
# A sign-in link from a mail (/aanmelden/<token>/) and an unsubscribe link (/afmelden/<signed>/);
# the participant's own /deelnemer/afmelden/ has no segment after it and stays as it is.
MAIL_LINK_PATH = re.compile(r"(/(?:aanmelden|afmelden)/)[^/\s?#\"']+")
# Only an address that starts with /live/ (not a workshop's own …/<pk>/live/ pages).
LIVE_PATH = re.compile(r"(^|[\s\"'(=,]|://[^/\s\"']+)(/live/[^\s?#\"']*)")
TOKEN_SEGMENT = re.compile(r"^[A-Za-z0-9_-]{16,}$")
# A password-reset link (/accounts/reset/<uid>/<token>/) and the one-time values a sign-in through
# the organisation's identity provider brings back (?code=…&state=…).
RESET_PATH = re.compile(r"(/accounts/reset/[^/\s?#\"']+/)[^/\s?#\"']+")
SECRET_QUERY = re.compile(r"([?&](?:code|state|token)=)[^&\s#\"']+")
# A private calendar feed (/agenda/<token>.ics): the token is the whole key to the feed.
CALENDAR_FEED_PATH = re.compile(r"(/agenda/)[^/\s?#\"']+(\.ics)")


def _masked_live_path(match: re.Match) -> str:
    before, path = match.groups()
    _empty, live, _key, *rest = path.split("/")
    rest = [HIDDEN if TOKEN_SEGMENT.match(part) else part for part in rest]
    return before + "/".join(["", live, HIDDEN, *rest])


def mask_secrets(text: str) -> str:
    text = INVITE_PATH.sub(rf"\g<1>{HIDDEN}", text)
    text = MAIL_LINK_PATH.sub(rf"\g<1>{HIDDEN}", text)
    text = RESET_PATH.sub(rf"\g<1>{HIDDEN}", text)
    text = SECRET_QUERY.sub(rf"\g<1>{HIDDEN}", text)
    text = CALENDAR_FEED_PATH.sub(rf"\g<1>{HIDDEN}\g<2>", text)
    return LIVE_PATH.sub(_masked_live_path, text)


def _masked(value):
    return mask_secrets(value) if isinstance(value, str) else value


class MaskSecrets(logging.Filter):
    """Masks invite tokens and live keys in the message and its arguments.

    The arguments keep their shape, so formatters that read them (uvicorn's) still work.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = mask_secrets(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_masked(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: _masked(value) for key, value in record.args.items()}
        return True


class RefusalsOnOneLine(logging.Filter):
    """A refused request (4xx) is the app working as meant: one line, no traceback.

    Django logs Http404, PermissionDenied and SuspiciousOperation with the exception attached;
    errors (5xx) keep theirs.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and status < 500 and record.exc_info:
            record.exc_info = None
            record.exc_text = None
        return True


FILTERS = {
    "mask_secrets": {"()": MaskSecrets},
    "refusals_on_one_line": {"()": RefusalsOnOneLine},
}
