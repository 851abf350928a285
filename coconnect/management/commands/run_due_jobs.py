from django.core.management.base import BaseCommand

from coconnect.schedule import run_due_jobs


class Command(BaseCommand):
    help = "Run the scheduled jobs that are due (or never ran here) once; safe to run twice."

    def handle(self, *args, **options):
        ran = run_due_jobs()
        self.stdout.write("ran: " + (", ".join(ran) if ran else "nothing due"))
