"""Two identical report orders at the same moment (a double click): one report, one render, one
mail. The database guarantees it (coconnect/once.py), so this runs on PostgreSQL with threads."""

import uuid

import pytest
from django.core import mail

from reports.models import Report
from reports.services import report_order
from tests.concurrency import run_together

from .conftest import progress_order

pytestmark = pytest.mark.django_db(transaction=True)


def test_simultaneous_double_submit_orders_one_report_with_one_mail(
    postgres, rich_trajectory, manager
):
    key = uuid.uuid4()
    results = []

    def order():
        results.append(
            report_order(
                **progress_order(rich_trajectory, requested_by=manager, submission_key=key)
            )
        )

    assert run_together([order, order]) == []

    assert Report.objects.count() == 1
    assert sorted(created for _report, created in results) == [False, True]
    assert {report.pk for report, _created in results} == {Report.objects.get().pk}
    assert Report.objects.get().status == Report.Status.READY
    assert len(mail.outbox) == 1


def test_two_orders_from_two_forms_make_two_reports(rich_trajectory, manager):
    order = progress_order(rich_trajectory, requested_by=manager)
    report_order(**order, submission_key=uuid.uuid4())
    report_order(**order, submission_key=uuid.uuid4())

    assert Report.objects.count() == 2
