from django import template

register = template.Library()


@register.filter
def partner_for(interest, viewer):
    """`{{ interest|partner_for:viewer }}`: the partner to show, or None — see Interest.display_partner_for."""
    return interest.display_partner_for(viewer)
