import time
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.pagination import page_of
from core.roles import Role, has_role, roles_of
from partners.models import Organisation, Sector

from . import selectors, services, two_factor
from .forms import (
    AccountForm,
    DesignatedRoleEndForm,
    DesignatedRoleForm,
    DirectoryFilter,
    GapForm,
    PortalSetPasswordForm,
    StaffFilter,
    StaffImportForm,
    StaffProfileForm,
    TwoFactorCodeForm,
)
from .middleware import RENEWED_KEY
from .models import DesignatedRole, ImportBatch
from .permissions import (
    can_edit_person,
    can_manage_people,
    can_see_staff_list,
    can_see_workforce_dashboard,
    get_designated_role_for,
    get_editable_person_for,
    get_import_batch_for,
    get_person_for,
    led_organisation_id,
    profile_of,
)
from .security import sign_in_failures_clear
from .staff_import import ROW, staff_export_lines

PAGE_SIZE = 50


@login_required
@never_cache
def keep_alive(request):
    """The session-timeout warning's "Stay signed in": any request renews the session (middleware); says nothing."""
    request.session[RENEWED_KEY] = int(time.time())  # renewed now, whatever the once-a-minute rule last did
    return HttpResponse(status=204)


@login_required
def account(request):
    form = AccountForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.user_account_update(user=request.user, **form.cleaned_data)
        messages.success(request, "Your details are saved.")
        return redirect("workforce:account")
    roles = sorted(role.value for role in roles_of(request.user))
    has_two_factor = two_factor.two_factor_device(request.user) is not None
    return render(request, "workforce/account.html", {
        "form": form, "roles": roles, "has_two_factor": has_two_factor,
        "can_use_two_factor": has_two_factor or two_factor.can_use_two_factor(request.user),
    })  # fmt: skip


def _require(allowed: bool) -> None:
    if not allowed:
        raise Http404


def _managed_organisations(user):
    """Organisations the user may place people in: all for administrators, their own for a lead."""
    if has_role(user, Role.ADMINISTRATOR):
        return Organisation.objects.filter(is_active=True)
    return Organisation.objects.filter(pk=led_organisation_id(user))


# --- The directory and my profile -------------------------------------------------------------------


@login_required
def directory(request):
    form = DirectoryFilter(request.GET or None)
    search, organisation = "", None
    if form.is_valid():
        search, organisation = form.cleaned_data["q"], form.cleaned_data["organisation"]
    people = selectors.directory_people(search=search, organisation=organisation)
    if form.is_bound and not form.is_valid():
        people = people.none()  # as on the staff list: the form says what is wrong, no one is shown
    page, query = page_of(request, people, PAGE_SIZE)
    return render(request, "workforce/directory.html", {"form": form, "page": page, "query": query})


def _roles_held(profile):
    """The designated roles a move to another organisation would end (for the form's hint)."""
    if profile is None or profile.organisation_id is None:
        return []
    return list(selectors.designated_roles_held_for(person=profile.user, organisation=profile.organisation,
                                                    on=timezone.localdate()))  # fmt: skip


def _saved_message(saved, start: str, *, own: bool) -> str:
    if not saved.ended_roles:
        return start
    roles = ", ".join(role.get_kind_display() for role in saved.ended_roles)
    old = saved.ended_roles[0].organisation
    whose = "Your" if own else "Their"
    last_day = timezone.localdate() - timedelta(days=1)
    return (f"{start} {whose} designated roles for {old} ended with the move to {saved.organisation} (last day "
            f"{last_day:%d %B %Y}): {roles}.")  # fmt: skip


@login_required
def my_profile(request):
    profile = profile_of(request.user)
    form = StaffProfileForm(request.POST or None, instance=profile, person=request.user,
                            roles_ending=_roles_held(profile))  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.staff_profile_update(person=request.user, by=request.user, **form.profile_values())
        except services.PeopleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _saved_message(saved, "Your profile is saved.", own=True))
            return redirect("workforce:my_profile")
    return render(request, "workforce/my_profile.html", {"form": form, "profile": profile})


# --- Staff: list, export, one person ------------------------------------------------------------------


def _staff_filter(request):
    user = request.user
    organisations = (
        Organisation.objects.filter(is_active=True)
        if has_role(user, Role.ADMINISTRATOR)
        else Organisation.objects.filter(pk=led_organisation_id(user))
    )
    people = selectors.people_visible_to(user=user)
    return StaffFilter(request.GET or None, queryset=people, organisations=organisations)


def _filtered(filterset):
    """The filtered people; nobody when a filter's value is not one it takes (the form says which), rather than
    ignoring that filter and showing people the user did not ask for."""
    if filterset.is_bound and not filterset.is_valid():
        return filterset.queryset.none()
    return filterset.qs


@login_required
def staff_list(request):
    _require(can_see_staff_list(request.user))
    filterset = _staff_filter(request)
    page, query = page_of(request, _filtered(filterset), PAGE_SIZE)
    return render(
        request,
        "workforce/staff_list.html",
        {"filter": filterset, "page": page, "query": query, "can_import": can_manage_people(request.user)},
    )


@login_required
def staff_export(request):
    """The staff the user sees (with the list's filters) as CSV, in the shape the import reads."""
    _require(can_see_staff_list(request.user))
    filterset = _staff_filter(request)
    if filterset.is_bound and not filterset.is_valid():  # the list says what is wrong with the filters
        return redirect(f"{reverse('workforce:staff')}?{request.GET.urlencode()}")
    response = StreamingHttpResponse(staff_export_lines(filterset.qs), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="staff-{stamp}.csv"'
    return response


@login_required
def person_detail(request, pk):
    person = get_person_for(request.user, pk)
    return render(
        request,
        "workforce/person_detail.html",
        {
            "person": person,
            "roles": selectors.designated_roles_of(person=person),
            "history": selectors.person_history(person=person),
            "can_edit": can_edit_person(request.user, person),
            "is_administrator": has_role(request.user, Role.ADMINISTRATOR),
            "today": timezone.localdate(),
        },
    )


@login_required
def person_edit(request, pk):
    person = get_editable_person_for(request.user, pk)
    profile = profile_of(person)
    form = StaffProfileForm(
        request.POST or None,
        instance=profile,
        person=person,
        organisations=_managed_organisations(request.user),
        manage=True,
        grant_lead=has_role(request.user, Role.ADMINISTRATOR),
        roles_ending=_roles_held(profile),
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.staff_profile_update(person=person, by=request.user, **form.profile_values())
        except services.PeopleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _saved_message(saved, f"{person}'s profile is saved.", own=False))
            return redirect("workforce:person", pk=person.pk)
    return render(request, "workforce/person_edit.html", {"form": form, "person": person})


@login_required
def designated_role_add(request, pk):
    person = get_editable_person_for(request.user, pk)
    profile = profile_of(person)
    initial = {"organisation": profile.organisation_id if profile else None, "start_date": timezone.localdate()}
    form = DesignatedRoleForm(request.POST or None, initial=initial, organisations=_managed_organisations(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            role = services.designated_role_add(person=person, by=request.user, **form.cleaned_data)
        except services.PeopleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{person} is recorded as {role.get_kind_display()}.")
            return redirect("workforce:person", pk=person.pk)
    return render(request, "workforce/designated_role_form.html", {"form": form, "person": person})


@login_required
def designated_role_end(request, pk):
    role = get_designated_role_for(request.user, pk)
    form = DesignatedRoleEndForm(request.POST or None, initial={"end_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.designated_role_end(role=role, end_date=form.cleaned_data["end_date"], by=request.user)
        except services.PeopleError as exc:
            form.add_error("end_date", str(exc))
        else:
            messages.success(request, f"{role.person} no longer holds {role.get_kind_display()} after that date.")
            return redirect("workforce:person", pk=role.person_id)
    return render(request, "workforce/designated_role_end.html", {"form": form, "role": role})


@login_required
def designated_roles(request):
    """Who holds which designated role now, and where nobody does (the gaps)."""
    _require(can_manage_people(request.user))
    today = timezone.localdate()
    form = GapForm(request.GET or None)
    kind, sector, org_type = DesignatedRole.Kind.SAFEGUARDING_OFFICER, None, ""
    if form.is_valid():
        kind, sector, org_type = form.cleaned_data["kind"], form.cleaned_data["sector"], form.cleaned_data["org_type"]
    gaps = selectors.organisations_without_role(kind=kind, on=today, sector=sector, org_type=org_type)
    org_id = led_organisation_id(request.user)
    if not has_role(request.user, Role.ADMINISTRATOR):
        gaps = gaps.filter(pk=org_id)
    holders = selectors.designated_roles_current(on=today, visible_to=request.user)
    page, query = page_of(request, holders, 100)
    return render(
        request,
        "workforce/designated_roles.html",
        {
            "form": form,
            "gaps": gaps,
            "kind_label": DesignatedRole.Kind(kind).label,
            # The partnership-wide quick reports are for administrators: a lead's gaps are their organisation's.
            "show_partnership_reports": has_role(request.user, Role.ADMINISTRATOR),
            "early_years": Sector.objects.filter(slug="early-years").first(),
            "schools": Sector.objects.filter(slug="schools").first(),
            "page": page,
            "query": query,
            "today": today,
        },
    )


# --- Import -----------------------------------------------------------------------------------------


def _problem_rows(results) -> list[dict]:
    """Rows with problems for the import page: each problem with its column and what the file holds there."""
    return [
        {
            "line": r.line,
            "person": " ".join(filter(None, [r.values.get("first_name"), r.values.get("last_name")]))
            or r.values.get("email", ""),
            "problems": [
                {"column": column, "value": r.values.get(column, ""), "error": r.errors[column]}
                for column in [*services.COLUMN_NAMES, ROW]
                if column in r.errors
            ],
        }
        for r in results
    ]


def _import_organisation(user):
    return None if has_role(user, Role.ADMINISTRATOR) else Organisation.objects.get(pk=led_organisation_id(user))


@login_required
def staff_import(request):
    """Upload a staff file. A file with bad rows is shown with its errors and nothing is kept; a valid
    file is kept as a batch waiting for confirmation on the preview page."""
    _require(can_manage_people(request.user))
    organisation = _import_organisation(request.user)
    form = StaffImportForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            preview = services.staff_import_preview(
                name=upload.name, data=upload.read(), by=request.user, organisation=organisation
            )
        except services.StaffFileError as exc:
            form.add_error("file", str(exc))
        else:
            if preview.is_valid:
                return redirect("workforce:import_preview", pk=preview.batch.pk)
            form = StaffImportForm()  # ready for the corrected file
    bad_rows = _problem_rows([r for r in preview.results if r.errors][:500]) if preview else []
    return render(
        request,
        "workforce/staff_import.html",
        {
            "form": form,
            "organisation": organisation,
            "preview": preview,
            "bad_rows": bad_rows,
            "columns": services.COLUMN_NAMES,
            "recent": ImportBatch.objects.filter(uploaded_by=request.user).select_related("organisation")[:5],
        },
    )


@login_required
def staff_import_preview(request, pk):
    batch = get_import_batch_for(request.user, pk)
    # The outcomes found at the preview; confirming checks every row again against the portal as it is then.
    rows = batch.rows if batch.status == ImportBatch.Status.PREVIEWED else []
    outcome = request.GET.get("outcome", "")
    shown = [r for r in rows if r.get("outcome") == outcome] if outcome else rows
    page, query = page_of(request, shown, 100)
    return render(
        request,
        "workforce/staff_import_preview.html",
        {"batch": batch, "page": page, "query": query, "outcome": outcome, "columns": services.COLUMN_NAMES,
         "roles_ending": sum(1 for r in rows if r.get("ends_roles"))},  # fmt: skip
    )


@login_required
@require_POST
def staff_import_confirm(request, pk):
    batch = get_import_batch_for(request.user, pk)
    try:
        counts = services.staff_import_confirm(batch=batch, by=request.user)
    except services.StaffImportError as exc:
        messages.error(request, str(exc))
        return redirect("workforce:import_preview", pk=batch.pk)
    ended = counts.get("roles_ended", 0)
    messages.success(
        request,
        f"Import done: {counts['new']} new, {counts['updated']} updated, {counts['unchanged']} unchanged."
        + (f" {ended} designated role{'s' if ended != 1 else ''} of people who moved organisation ended with the move "
           "(last day yesterday)." if ended else ""),
    )  # fmt: skip
    return redirect(reverse("workforce:staff"))


# --- Dashboard --------------------------------------------------------------------------------------


@login_required
def dashboard(request):
    """Partnership-wide figures for administrators and Board members; an organisation lead sees theirs."""
    user = request.user
    _require(can_see_workforce_dashboard(user))
    organisation = None
    if not has_role(user, Role.ADMINISTRATOR, Role.BOARD_MEMBER):
        organisation = Organisation.objects.select_related("sector").get(pk=led_organisation_id(user))
    figures = selectors.workforce_figures(organisation=organisation, on=timezone.localdate())
    return render(
        request,
        "workforce/dashboard.html",
        {"figures": figures, "organisation": organisation, "can_manage": can_manage_people(user)},
    )


# --- Two-factor sign-in (administrators and training coordinators) -----------------------------------


def _two_factor_allowed(user) -> None:
    _require(two_factor.can_use_two_factor(user) or two_factor.two_factor_device(user) is not None)


@login_required
def two_factor_status(request):
    _two_factor_allowed(request.user)
    return render(request, "registration/two_factor.html", {
        "device": two_factor.two_factor_device(request.user), "form": TwoFactorCodeForm(),
    })  # fmt: skip


@login_required
def two_factor_setup(request):
    """POST from the status page: a new secret, then its QR code and the code that confirms it."""
    _two_factor_allowed(request.user)
    if request.method == "POST" and "start" in request.POST:
        two_factor.two_factor_start(user=request.user)
        return redirect("two_factor_setup")
    device = two_factor.two_factor_pending(request.user)
    if device is None:
        return redirect("two_factor")
    form = TwoFactorCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            two_factor.two_factor_confirm(request=request, device=device, token=form.cleaned_data["code"])
        except two_factor.TwoFactorError as exc:
            form.add_error("code", str(exc))
        else:
            messages.success(request, "Two-factor sign-in is on. After your password you will be asked for a code.")
            return redirect("two_factor")
    return render(request, "registration/two_factor_setup.html", {
        "form": form, "qr_code": two_factor.qr_code_data_uri(device), "secret": two_factor.secret_for_typing(device),
    })  # fmt: skip


@login_required
def two_factor_verify(request):
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    # Only a path on this site (the middleware sends one); redirect() would look "0" up as a view name.
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=False
    ):
        next_url = ""
    if request.user.is_verified() or two_factor.two_factor_device(request.user) is None:
        return redirect(next_url or "portal:home")
    form = TwoFactorCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            two_factor.two_factor_verify(request=request, token=form.cleaned_data["code"])
        except two_factor.TwoFactorError as exc:
            form.add_error("code", str(exc))
        else:
            return redirect(next_url or "portal:home")
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": next_url})


@login_required
@require_POST
def two_factor_remove(request):
    _two_factor_allowed(request.user)
    form = TwoFactorCodeForm(request.POST)
    if form.is_valid():
        try:
            two_factor.two_factor_remove(user=request.user, token=form.cleaned_data["code"])
        except two_factor.TwoFactorError as exc:
            form.add_error("code", str(exc))
        else:
            messages.success(request, "Two-factor sign-in is off.")
            return redirect("two_factor")
    return render(request, "registration/two_factor.html",
                  {"device": two_factor.two_factor_device(request.user), "form": form})  # fmt: skip


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choosing a new password from the emailed link. The link proves the person holds the mailbox, so the
    account's failed sign-ins are forgotten: the lockout page's "reset your password" really lets them in."""

    form_class = PortalSetPasswordForm

    def form_valid(self, form):
        response = super().form_valid(form)
        sign_in_failures_clear(user=form.user)
        return response


class SignOutView(auth_views.LogoutView):
    """Signing out is a POST (a link or an image could otherwise sign people out). A GET — a bookmarked or typed
    /accounts/sign-out/ — shows a page with the button; signing out ends on the sign-in page, which says so."""

    http_method_names = ["get", "post", "options"]

    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return render(request, "registration/logged_out.html")
        return render(request, "registration/sign_out.html")

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.success(request, "You have signed out.")
        return response
