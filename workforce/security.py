"""Sign-in protection hooks used by django-axes (settings: AXES_*)."""


def axes_username(request, credentials) -> str:
    """Count failed sign-ins per account whatever the case the email was typed in."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    return username.strip().lower()
