from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from .forms import AccountForm
from .permissions import roles_of
from .services import user_account_update


@login_required
def account(request):
    form = AccountForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user_account_update(user=request.user, **form.cleaned_data)
        messages.success(request, "Your details are saved.")
        return redirect("workforce:account")
    roles = sorted(role.value for role in roles_of(request.user))
    return render(request, "workforce/account.html", {"form": form, "roles": roles})
