"""Small formatting filters for portal pages: `{% load portal_format %}`."""

from django import template

from workforce.security import duration_in_words

register = template.Library()


@register.filter
def duration(value) -> str:
    return duration_in_words(value)
