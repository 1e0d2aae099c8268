"""What drf-spectacular needs to describe our authentication and our problem bodies in the schema."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "identity.authentication.BearerTokenAuthentication"
    name = "bearerToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "description": "A personal or service token from the "
                "portal's API tokens page (wfp_…)."}


class ProblemSerializer(serializers.Serializer):
    """An RFC 9457 problem: what went wrong, for a person reading a log."""

    type = serializers.URLField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField(required=False)
    errors = serializers.DictField(required=False, help_text="For 400: the fields and what is wrong with each.")


class ProblemAutoSchema(AutoSchema):
    """Every operation documents the refusals it can give, as problem bodies."""

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        bodies: dict[str, Any] = super()._get_response_bodies(direction)
        codes = ["401", "403", "429"]
        if self.method != "GET" or "{id}" in self.path:
            codes.append("404")
        if self.method != "GET":
            codes.append("400")
        for code in codes:
            bodies.setdefault(code, self._get_response_for_code(
                ProblemSerializer, code, media_types=["application/problem+json"]))
        return bodies
