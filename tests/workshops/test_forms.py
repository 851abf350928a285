"""The workshops forms: plain text, language of the request."""

from django.utils import translation

from workshops.forms import ContributionForm


def test_the_note_help_text_speaks_the_language_of_the_request():
    with translation.override("en"):
        assert ContributionForm().fields["text"].help_text.startswith("A short text")
    with translation.override("nl"):
        assert ContributionForm().fields["text"].help_text.startswith("Een korte tekst")
