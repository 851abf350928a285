"""`{% load oidc %}{% oidc_provider as provider %}`: the provider's name while sign-in through
OpenID Connect is on (coconnect/oidc.py), else an empty string."""

from django import template

from coconnect import oidc

register = template.Library()


@register.simple_tag
def oidc_provider() -> str:
    return oidc.provider_name() if oidc.enabled() else ""
