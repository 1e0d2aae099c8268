"""Data protection pages, for administrators only (everyone else: 404)."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from core.pagination import page_of
from workforce.services import person_leave

from . import exports, selectors, services
from .forms import AnonymiseForm, AuditFilterForm, LeaverForm, PersonSearchForm, RetentionForm
from .models import DataRequest
from .permissions import administrators_only, get_person_for_privacy

PAGE_SIZE = 50


@administrators_only
def index(request):
    form = PersonSearchForm(request.GET or None)
    page = query = None
    if form.is_valid():
        page, query = page_of(request, selectors.people_search(text=form.cleaned_data["q"]), 25)
    return render(request, "privacy/index.html", {
        "form": form, "page": page, "query": query, "runs": selectors.retention_runs()[:3],
        "requests": DataRequest.objects.select_related("subject", "by")[:10],
    })  # fmt: skip


@administrators_only
def person(request, pk):
    return _person_page(request, get_person_for_privacy(pk))


def _person_page(request, subject, leaver_form=None):
    sections = [
        {"title": s["title"], "app_title": s["app_title"], "count": len(s["rows"]) if isinstance(s["rows"], list)
         else s["rows"].count()}
        for s in selectors.personal_data_of(person=subject)
    ]  # fmt: skip
    return render(request, "privacy/person.html", {
        "subject": subject, "sections": sections, "total": sum(s["count"] for s in sections),
        "requests": DataRequest.objects.filter(subject=subject).select_related("by"),
        "leaver_form": leaver_form or LeaverForm(initial={"left_on": timezone.localdate()}, person=subject),
        "retention_months": selectors.retention_months()["leaver_accounts"],
        "anonymised_on": _anonymised_on(subject),
    })  # fmt: skip


def _anonymised_on(subject):
    """When the retention job will anonymise a leaver, or None (active, anonymised, or no leaving date)."""
    if subject.is_active or subject.is_anonymised or not subject.left_on:
        return None
    return max(selectors.leaver_anonymised_on(left_on=subject.left_on), timezone.localdate())


def _anonymised_when(day) -> str:
    if day <= timezone.localdate():
        nightly = settings.CELERY_BEAT_SCHEDULE["privacy-retention"]["schedule"]
        return f"at its next nightly run ({min(nightly.hour):02d}:{min(nightly.minute):02d})"
    return f"on {day:%-d %B %Y}"


@administrators_only
@require_GET  # a download link: a POST neither exports nor records a request
def export_json(request, pk):
    subject = get_person_for_privacy(pk)
    data = exports.person_data(person=subject)
    body = exports.person_data_json(data)
    services.export_record(person=subject, by=request.user, kind=DataRequest.Kind.EXPORT_JSON, data=data)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{exports.export_filename(subject, "json")}"'
    response["Cache-Control"] = "no-store"
    return response


@administrators_only
@require_GET  # a download link: a POST neither exports nor records a request
def export_pdf(request, pk):
    subject = get_person_for_privacy(pk)
    data = exports.person_data(person=subject)
    body = exports.person_data_pdf(data)
    services.export_record(person=subject, by=request.user, kind=DataRequest.Kind.EXPORT_PDF, data=data)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{exports.export_filename(subject, "pdf")}"'
    response["Cache-Control"] = "no-store"
    return response


@administrators_only
@require_POST
def leave(request, pk):
    """Record a leaver: the account closes, and the retention period for leavers' accounts starts."""
    subject = get_person_for_privacy(pk)
    form = LeaverForm(request.POST, person=subject)
    if form.is_valid() and subject.is_active and subject.pk != request.user.pk:
        subject = person_leave(person=subject, left_on=form.cleaned_data["left_on"], by=request.user)
        months = selectors.retention_months()["leaver_accounts"]
        when = _anonymised_when(_anonymised_on(subject))
        messages.success(request, f"{subject} is recorded as having left on {subject.left_on:%-d %B %Y}. "
                         f"They can no longer sign in. The retention job will anonymise them {when}, "
                         f"{months} months after they left, unless the leavers' retention period changes.")  # fmt: skip
        return redirect("privacy:person", pk=subject.pk)
    return _person_page(request, subject, leaver_form=form)


@administrators_only
def anonymise(request, pk):
    subject = get_person_for_privacy(pk)
    form = AnonymiseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        name = str(subject)
        try:
            services.person_anonymise(person=subject, by=request.user)
        except services.PrivacyError as exc:
            form.add_error(None, str(exc))
        else:
            subject.refresh_from_db()
            messages.success(
                request,
                f"{name} is anonymised: they are now “{subject}” and cannot sign in. Their bookings, "
                "completions and attendance still count.",
            )
            return redirect("privacy:person", pk=subject.pk)
    return render(request, "privacy/anonymise.html", {"subject": subject, "form": form})


@administrators_only
def retention(request):
    policies = selectors.retention_policies()
    form = RetentionForm(request.POST if request.method == "POST" else None, policies=policies)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.retention_months_set(months=form.cleaned_data, by=request.user)
        except services.PrivacyError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Retention periods saved ({len(changed)} changed)." if changed
                             else "No retention period changed.")  # fmt: skip
            return redirect("privacy:retention")
    return render(request, "privacy/retention.html", {"form": form, "policies": policies,
                                                      "runs": selectors.retention_runs()[:5]})  # fmt: skip


@administrators_only
@require_POST
def retention_run_now(request):
    run = services.retention_run(by=request.user)
    if run is None:
        messages.error(request, "The retention job is running already. Try again in a minute.")
        return redirect("privacy:retention")
    messages.success(request, f"The retention job ran: {run.total} records anonymised, deleted or emptied.")
    return redirect("privacy:runs")


@administrators_only
def runs(request):
    page, query = page_of(request, selectors.retention_runs(), 20)
    return render(request, "privacy/runs.html", {"page": page, "query": query})


@administrators_only
def audit(request):
    form = AuditFilterForm(request.GET or None)
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        if data["person"]:
            filters["people"] = list(selectors.people_search(text=data["person"]).values_list("pk", flat=True)[:500])
        if data["changed_by"]:
            filters["changed_by"] = list(
                selectors.people_search(text=data["changed_by"]).values_list("pk", flat=True)[:500]
            )
        filters["since"], filters["until"] = data["since"], data["until"]
    entries = selectors.audit_entries(**filters) if form.is_valid() or not request.GET else []
    page, query = page_of(request, entries, PAGE_SIZE)
    rows = selectors.audit_rows_described(list(page.object_list))
    return render(request, "privacy/audit.html", {"form": form, "page": page, "query": query, "rows": rows})
