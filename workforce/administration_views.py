"""Administration of accounts in the portal, for administrators: parse the form, call one service, say what
happened. The Django admin stays for emergencies (docs/workforce.md#administration)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.pagination import page_of
from core.roles import Role, role_required, roles_of

from . import administration as services
from .administration_forms import AccountFilter, InviteForm, RoleForm
from .administration_selectors import STATES, account_history, account_state, accounts_for_administration
from .models import User

admin_only = role_required(Role.ADMINISTRATOR)


@admin_only
def accounts(request: HttpRequest) -> HttpResponse:
    form = AccountFilter(request.GET or None)
    search, state = "", ""
    if form.is_valid():
        search, state = form.cleaned_data["q"].strip(), form.cleaned_data["state"]
    page, query = page_of(request, accounts_for_administration(search=search, state=state), 25)
    for person in page:
        person.state = account_state(person)
        person.role_names = sorted(group.name for group in person.groups.all())
    return render(request, "workforce/admin/accounts.html",
                  {"form": form, "page": page, "query": query, "states": STATES})  # fmt: skip


@admin_only
def invite(request: HttpRequest) -> HttpResponse:
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_invite(
                email=form.cleaned_data["email"], first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"], organisation=form.cleaned_data["organisation"],
                roles=form.cleaned_roles(), by=request.user,
            )  # fmt: skip
        except services.AccountError as error:
            form.add_error("email", str(error))
        else:
            messages.success(request, f"{person} is invited: an email with a link to choose a password is on its way.")
            return redirect("workforce:account_admin", pk=person.pk)
    return render(request, "workforce/admin/invite.html", {"form": form})


def _person(pk: int) -> User:
    return get_object_or_404(User.objects.select_related("profile__organisation"), pk=pk, anonymised_at=None)


@admin_only
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(pk)
    held = roles_of(person)
    form = RoleForm()
    form.fields["role"].choices = [(r.value, r.value) for r in Role if r not in held]
    return render(request, "workforce/admin/account.html", {
        "person": person, "state": account_state(person), "roles": sorted(r.value for r in held),
        "role_form": form, "history": account_history(person=person), "is_self": person.pk == request.user.pk,
    })  # fmt: skip


def _act(request: HttpRequest, pk: int, action, done: str) -> HttpResponse:
    person = _person(pk)
    try:
        action(person)
    except services.AccountError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done.format(person=person))
    return redirect("workforce:account_admin", pk=person.pk)


@admin_only
@require_POST
def role_add(request: HttpRequest, pk: int) -> HttpResponse:
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a role to give.")
        return redirect("workforce:account_admin", pk=pk)
    role = Role(form.cleaned_data["role"])
    return _act(request, pk, lambda p: services.person_role_add(person=p, role=role, by=request.user),
                f"{{person}} now has the role {role.value}.")  # fmt: skip


@admin_only
@require_POST
def role_remove(request: HttpRequest, pk: int, role: str) -> HttpResponse:
    chosen = next((r for r in Role if r.slug == role), None)
    if chosen is None:
        raise Http404
    return _act(request, pk, lambda p: services.person_role_remove(person=p, role=chosen, by=request.user),
                f"{{person}} no longer has the role {chosen.value}.")  # fmt: skip


@admin_only
@require_POST
def deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, lambda p: services.person_deactivate(person=p, by=request.user),
                "{person}'s account is deactivated: they can no longer sign in.")  # fmt: skip


@admin_only
@require_POST
def reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, lambda p: services.person_reactivate(person=p, by=request.user),
                "{person}'s account is active again.")  # fmt: skip


@admin_only
@require_POST
def invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, lambda p: services.invitation_resend(person=p, by=request.user),
                "The invitation is sent again to {person}, with a new link.")  # fmt: skip
