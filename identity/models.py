"""Who and what may call the portal from outside: API tokens, whose secret is shown once and stored only
as a SHA-256 digest (256 random bits need no slow hash). docs/integrations.md."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Scope(models.TextChoices):
    READ = "read", "Read courses, sessions, bookings, completions and the action plan"
    BOOKINGS = "bookings:write", "Book and cancel places"
    BOOKINGS_OTHERS = "bookings:others", "Book and cancel for other people (training coordinators)"
    COMPLETIONS = "completions:write", "Record completions from an e-learning platform"
    PEOPLE = "people:read", "Read the people you may see (an organisation lead: their organisation)"
    STRATEGY = "strategy:write", "Post status updates on actions you may update"
    SCIM = "scim", "Provision the organisation's people from its directory (SCIM; service tokens only)"


class ApiToken(models.Model):
    """A personal access token acts as its person; an organisation's service token acts as the administrator
    who made it, and reaches only the people of its organisation."""

    class Kind(models.TextChoices):
        PERSONAL = "personal", "Personal access token"
        SERVICE = "service", "Organisation service token"

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PERSONAL)
    name = models.CharField(max_length=100, help_text="What it is for, e.g. “Timetable sync”.")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.CASCADE, null=True, blank=True, related_name="api_tokens"
    )
    prefix = models.CharField(max_length=12, help_text="The secret's first characters, to tell tokens apart.")
    digest = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="personal", organisation__isnull=True)
                | Q(kind="service", organisation__isnull=False),
                name="identity_service_token_has_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def scope_labels(self) -> list[str]:
        return [Scope(s).label for s in self.scopes if s in Scope.values]


class DirectoryLink(models.Model):
    """A person provisioned by an organisation's directory over SCIM, with the directory's own id for them."""

    organisation = models.ForeignKey("partners.Organisation", on_delete=models.CASCADE, related_name="+")
    person = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="directory_link")
    external_id = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "external_id"], condition=~Q(external_id=""),
                                    name="identity_directory_external_id_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.organisation})"
