"""Running jobs at the same moment, for the concurrency tests on PostgreSQL.

Each job runs in a thread of its own (so a database connection of its own); a barrier releases
them together, so they really race. Returns the exceptions the jobs raised, for the test to judge.
"""

import threading

from django.db import connection


def run_together(jobs, *, timeout: float = 120) -> list[Exception]:
    barrier = threading.Barrier(len(jobs))
    errors = []

    def run(job):
        try:
            barrier.wait(timeout=20)
            job()
        except Exception as exc:  # noqa: BLE001 - collected for the test to judge
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return errors
