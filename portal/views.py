import sys

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.roles import Role, primary_role

from . import health

RETRY_AFTER_SECONDS = 60

HOME_TEMPLATES = {
    Role.PRACTITIONER: "portal/home/practitioner.html",
    Role.LINE_MANAGER: "portal/home/line_manager.html",
    Role.TRAINING_COORDINATOR: "portal/home/training_coordinator.html",
    Role.STRATEGY_GROUP_MEMBER: "portal/home/strategy_group_member.html",
    Role.BOARD_MEMBER: "portal/home/board_member.html",
    Role.ADMINISTRATOR: "portal/home/administrator.html",
}


@login_required
def home(request):
    """Each role lands on a home page made for it."""
    role = primary_role(request.user)
    return render(request, HOME_TEMPLATES[role], {"role": role})


def accessibility(request):
    return render(request, "portal/accessibility.html", {"contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL})


def privacy(request):
    """The privacy notice; its retention periods come from privacy's template tag (privacy_notice)."""
    return render(request, "portal/privacy.html",
                  {"dpo_email": settings.DPO_EMAIL, "dpo_address": settings.DPO_ADDRESS})


@never_cache
@require_GET
def healthz(request):
    db_ok, db_detail = health.database_ok()
    broker_ok, broker_detail = health.broker_ok()
    cache_ok, cache_detail = health.cache_ok()
    ok = db_ok and broker_ok  # without the cache the portal still serves, only slower
    body = {
        "status": "ok" if ok else "unavailable",
        "database": {"ok": db_ok, "detail": db_detail},
        "broker": {"ok": broker_ok, "detail": broker_detail},
        "cache": {"ok": cache_ok, "detail": cache_detail},
    }
    return JsonResponse(body, status=200 if ok else 503)


def error_400(request, exception=None):
    return render(request, "400.html", status=400)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form sent without its token (expired, or from another site). The reason is for
    the log, not the page."""
    return render(request, "403_csrf.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    """No context processors, no database: the thing that failed may be either. A database that cannot be
    reached is an outage, not a fault: 503 with Retry-After, so people and proxies try again (docs/operations.md)."""
    from django.http import HttpResponse
    from django.template import loader

    if health.database_unreachable(sys.exc_info()[1]):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponse(loader.get_template("500.html").render(), status=500)
