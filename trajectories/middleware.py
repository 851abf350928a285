from django.contrib.auth.views import redirect_to_login
from django_htmx.http import HttpResponseClientRedirect

from .access import LoginRequired, participant_invite


class ParticipantMiddleware:
    """Adds `request.participant`: the participant behind this session's invite link, or None.

    Costs a query only for sessions that hold an invite; facilitators and strangers pay nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        invite = participant_invite(request)
        request.participant = invite.participant if invite else None
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, LoginRequired):
            response = redirect_to_login(request.get_full_path())
            if getattr(request, "htmx", False):
                # An htmx request would swap the login page into a fragment: reload instead.
                return HttpResponseClientRedirect(response["Location"])
            return response
        return None
