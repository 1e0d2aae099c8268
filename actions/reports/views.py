"""Board report pages: the archive by quarter, generate, the status page (polled), download, regenerate."""

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.roles import Role, role_required

from ..models import BoardReport
from ..selectors import plan_active
from . import selectors, services
from .forms import BoardReportForm
from .permissions import can_generate_reports, can_see_failure_detail, get_board_report_for

READERS = (Role.BOARD_MEMBER, Role.STRATEGY_GROUP_MEMBER)


@role_required(*READERS)
def report_archive(request):
    return render(request, "actions/report/archive.html", {
        "quarters": selectors.board_reports_archive(),
        "can_generate": can_generate_reports(request.user),
        "failure_detail": can_see_failure_detail(request.user),
    })


@role_required(Role.STRATEGY_GROUP_MEMBER)
def report_create(request):
    if request.method == "POST":
        form = BoardReportForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = services.board_report_request(
                    by=request.user, strategy=data["strategy"], quarter=data["quarter"],
                    recommendations=data["recommendations"], author=data["author"], contact=data["contact"],
                    sponsor=data["sponsor"],
                )
            except services.BoardReportError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"The {report.quarter_label} report is queued.")
                return redirect("actions:report_detail", pk=report.pk)
    else:
        active = plan_active()
        user = request.user
        form = BoardReportForm(initial={
            "strategy": active.pk if active else None,
            "author": f"{user.get_full_name()}".strip() or user.email,
            "contact": user.email,
        })
    return render(request, "actions/report/create.html", {"form": form})


def _status_payload(request, report: BoardReport) -> dict:
    """The status and the page's live part rendered from the same templates as the page itself, so that what
    the script shows is what a reload would show."""
    detail = can_see_failure_detail(request.user)
    context = {"report": report, "can_generate": can_generate_reports(request.user), "failure_detail": detail}
    return {
        "status": report.status,
        "status_label": report.get_status_display(),
        "detail": render_to_string("actions/report/_status_detail.html", context).strip(),
        "panel_html": render_to_string("actions/report/_detail_live.html", context, request=request),
        "finished": report.is_finished,
        "error": report.error if detail else "",
        "download_url": reverse("actions:report_download", args=[report.pk])
        if report.status == BoardReport.Status.READY else "",
        "size": report.size,
    }


@role_required(*READERS)
def report_detail(request, pk: int):
    report = get_board_report_for(request.user, pk)
    return render(request, "actions/report/detail.html", {
        "report": report,
        "status_url": reverse("actions:report_status", args=[report.pk]),
        "can_generate": can_generate_reports(request.user),
        "failure_detail": can_see_failure_detail(request.user),
    })


@role_required(*READERS)
def report_status(request, pk: int):
    """The status page polls this (static/actions/reports.js)."""
    response = JsonResponse(_status_payload(request, get_board_report_for(request.user, pk)))
    response["Cache-Control"] = "no-store"
    return response


@role_required(*READERS)
def report_download(request, pk: int):
    report = get_board_report_for(request.user, pk)
    if report.status != BoardReport.Status.READY:
        raise Http404
    try:
        content = services.board_report_content(report=report)
    except services.BoardReportError as error:
        messages.error(request, str(error))
        return redirect("actions:report_detail", pk=report.pk)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report.filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@role_required(Role.STRATEGY_GROUP_MEMBER)
def report_regenerate(request, pk: int):
    report = get_board_report_for(request.user, pk)
    try:
        new = services.board_report_regenerate(by=request.user, report=report)
    except services.BoardReportError as error:
        messages.error(request, str(error))
        return redirect("actions:report_detail", pk=report.pk)
    messages.success(request, f"Version {new.version} of the {new.quarter_label} report is queued. "
                              f"Version {report.version} stays in the archive.")
    return redirect("actions:report_detail", pk=new.pk)
