"""The retention periods in force, for the privacy notice (templates/portal/privacy.html), which portal serves
without knowing privacy: `{% load privacy_notice %}{% retention_periods as retention %}`."""

from django import template

from ..selectors import retention_policies

register = template.Library()


@register.simple_tag
def retention_periods() -> dict[str, dict]:
    """Each kind's period by kind, in the order of the kinds: `retention.external_members.months`."""
    return {policy["kind"]: policy for policy in retention_policies()}
