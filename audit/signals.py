from django.db.models.signals import pre_delete
from django.dispatch import receiver

from trajectories.models import Trajectory

from .services import allow_purge


@receiver(pre_delete, sender=Trajectory, dispatch_uid="audit_trajectory_purge")
def _trajectory_deleted(sender, instance, **kwargs):
    # The collector sends pre_delete inside its transaction, before it deletes the entries.
    allow_purge(instance.pk)
