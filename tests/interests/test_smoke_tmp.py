import pytest

pytestmark = pytest.mark.django_db


def test_pages_render(facilitator_client, secrets_round, trajectory):
    r = secrets_round
    t = trajectory.pk
    for url in [f"/t/{t}/belangen/", f"/t/{t}/belangen/rondes/{r.pk}/", f"/t/{t}/belangen/rondes/{r.pk}/themas/",
                f"/t/{t}/belangen/kaart/", f"/t/{t}/belangen/kaart/?groot=1", f"/t/{t}/belangen/feiten/", f"/t/{t}/belangen/feiten/nieuw/",
                f"/t/{t}/belangen/rondes/{r.pk}/export.csv", f"/t/{t}/belangen/rondes/{r.pk}/export.xlsx",
                f"/t/{t}/belangen/belang/{r.secret.pk}/zichtbaarheid/", f"/t/{t}/"]:
        resp = facilitator_client.get(url)
        assert resp.status_code == 200, (url, resp.content[:3000])


def test_participant_pages(participant_client, secrets_round, trajectory):
    r = secrets_round
    t = trajectory.pk
    for url in [f"/t/{t}/belangen/", f"/t/{t}/belangen/kaart/", f"/t/{t}/belangen/feiten/", f"/t/{t}/welkom/",
                f"/t/{t}/belangen/belang/{r.own.pk}/"]:
        resp = participant_client.get(url)
        assert resp.status_code == 200, (url, resp.content[:3000])
