"""The part of RFC 7644's filter grammar directories send: `attribute eq "value"` (Entra ID, Okta, Keycloak
and Google ask for a person by userName or externalId, a group by displayName). Anything else is refused
with `invalidFilter`, never guessed at."""

import re
from dataclasses import dataclass

FILTER = re.compile(r'^\s*([A-Za-z][\w.:]*)\s+(eq)\s+"((?:[^"\\]|\\.)*)"\s*$', re.IGNORECASE)


class InvalidFilter(ValueError):
    pass


@dataclass(frozen=True)
class Equals:
    attribute: str  # lower case, e.g. "username"
    value: str


def filter_parse(text: str, *, attributes: set[str]) -> Equals:
    match = FILTER.match(text)
    if match is None:
        raise InvalidFilter('Only filters of the form attribute eq "value" are supported.')
    attribute = match.group(1).lower().rsplit(":", 1)[-1]
    if attribute not in attributes:
        raise InvalidFilter(f"Filtering on {match.group(1)} is not supported.")
    return Equals(attribute, match.group(3).replace('\\"', '"').replace("\\\\", "\\"))
