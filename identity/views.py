from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.roles import Role, has_role

from . import selectors, services
from .forms import TokenForm
from .permissions import get_token_for


@login_required
def tokens(request):
    """Make, list (with when each was last used) and revoke API tokens. A new secret is shown once."""
    admin = has_role(request.user, Role.ADMINISTRATOR)
    form = TokenForm(request.POST or None, admin=admin)
    new_secret = None
    if request.method == "POST" and form.is_valid():
        try:
            made = services.token_create(by=request.user, name=form.cleaned_data["name"],
                                         scopes=form.cleaned_data["scopes"],
                                         organisation=form.cleaned_data.get("organisation"))
        except services.IdentityError as exc:
            form.add_error(exc.field, exc.message)
        else:
            new_secret, form = made.secret, TokenForm(admin=admin)
    listed = selectors.tokens_visible_to(user=request.user)
    return render(request, "identity/tokens.html", {"form": form, "tokens": listed, "new_secret": new_secret})


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_token_for(request.user, pk)
    services.token_revoke(token=token, by=request.user)
    messages.success(request, f"“{token.name}” is revoked: calls with it are refused from now on.")
    return redirect("identity:tokens")
