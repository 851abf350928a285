import threading
import uuid

import pytest
from django.db import connection

from interests import services
from interests.models import Interest

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_simultaneous_submits_of_one_form_save_one_interest(
    postgres, trajectory, participant, facilitator
):
    round = services.round_create(trajectory=trajectory, title="Ronde", by=facilitator)
    services.round_open(round=round, by=facilitator)
    key = uuid.uuid4()
    start = threading.Barrier(2)
    results = []

    def submit():
        try:
            start.wait()
            interest, created = services.interest_save(
                round=round,
                partner=participant.partner,
                by=participant,
                form_key=key,
                submit=True,
                data={"statement": "Tegelijk verstuurd", "weight": "must", "tier": "named"},
            )
            results.append((interest.pk, created))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Interest.objects.count() == 1
    assert sorted(created for _pk, created in results) == [False, True]
    assert len({pk for pk, _created in results}) == 1
