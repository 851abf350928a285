"""Running jobs at the same moment, for the concurrency tests on PostgreSQL.

Each job runs in a thread of its own (so a database connection of its own); a barrier releases
them together, so they really race. The exceptions the jobs raise are collected for the test to
judge, never lost in a thread.
"""

import threading

from django.db import connection


def race(jobs, *, timeout: float = 120) -> tuple[list, list[Exception]]:
    """Run the jobs together; returns (what the jobs returned, what they raised)."""
    barrier = threading.Barrier(len(jobs))
    results, errors = [], []

    def run(job):
        try:
            barrier.wait(timeout=20)
            results.append(job())
        except Exception as exc:  # noqa: BLE001 - collected for the test to judge
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results, errors


def run_together(jobs, *, timeout: float = 120) -> list[Exception]:
    """Run the jobs together; returns the exceptions they raised."""
    _results, errors = race(jobs, timeout=timeout)
    return errors


def post_together(clients, url, data, headers=None) -> list[int]:
    """Every client posts the same form at the same moment; returns the status codes."""

    def post(client):
        return lambda: client.post(url, data, headers=headers or {}).status_code

    statuses, errors = race([post(client) for client in clients])
    assert errors == []
    return statuses
