from django.core.management.base import BaseCommand

from trajectories import retention


class Command(BaseCommand):
    help = (
        "Anonymise the personal data of completed trajectories past their retention period and "
        "warn facilitators 30 days ahead. Safe to run twice: a second run changes nothing."
    )

    def handle(self, *args, **options):
        result = retention.apply_retention()
        self.stdout.write(
            f"Anonymised: {len(result.anonymised)} {result.anonymised}; "
            f"warned: {len(result.warned)} {result.warned}; "
            f"failed: {len(result.failed)} {result.failed}"
        )
        if result.failed:
            raise SystemExit(1)
