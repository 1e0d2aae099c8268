"""Sign-in protection hooks used by django-axes (settings: AXES_*)."""


def axes_username(request, credentials) -> str:
    """Count failed sign-ins per account whatever the case the email was typed in."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    return username.strip().lower()


def sign_in_failures_clear(*, user) -> int:
    """Forget the account's failed sign-ins (after its owner proved who they are by resetting the password), so
    a paused account can sign in at once. A pause on an address stays: other accounts' failures count there."""
    from axes.utils import reset

    return reset(username=user.email.strip().lower())
