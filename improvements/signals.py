"""Receivers for other apps' models; connected in ImprovementsConfig.ready()."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from trajectories.models import Trajectory

from .services import kinds_lay_down


@receiver(post_save, sender=Trajectory, dispatch_uid="improvements_default_kinds")
def default_kinds_for_a_new_trajectory(sender, instance, created, raw=False, **kwargs):
    """Every trajectory starts with the default kinds, laid down once, never on a page view."""
    if created and not raw:
        kinds_lay_down(trajectory=instance)
