from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.dossier import EDITIONS, SHARED, dossier_build
from trajectories.models import Trajectory


class Command(BaseCommand):
    help = "Write the dossier (ZIP) of one trajectory, for the Woo officer and the archive."

    def add_arguments(self, parser):
        parser.add_argument("trajectory_id", type=int)
        parser.add_argument("file", type=Path)
        parser.add_argument("--edition", choices=EDITIONS, default=SHARED)

    def handle(self, *args, trajectory_id, file, edition, **options):
        trajectory = Trajectory.objects.filter(pk=trajectory_id).first()
        if trajectory is None:
            raise CommandError(f"No trajectory {trajectory_id}.")
        data = dossier_build(trajectory, edition=edition)
        file.write_bytes(data)
        self.stdout.write(f"{file}: {len(data)} bytes, {edition} edition")
