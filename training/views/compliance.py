"""The compliance matrix for a team, an organisation or the partnership, on screen or as CSV."""


from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from core.pagination import page_of

from .. import compliance, exports, forms, permissions, selectors
from ._common import _download

COMPLIANCE_SCOPES = {
    "team": ("My team's training compliance", permissions.can_see_team_compliance),
    "organisation": ("My organisation's training compliance", permissions.can_see_organisation_compliance),
    "all": ("Training compliance across the partnership", permissions.can_see_all_compliance),
}
COMPLIANCE_PAGE_SIZE = 50


@login_required
def compliance_matrix(request, scope: str, export: bool = False):
    """A matrix of people × the current standard's requirements (state in colour and words), for a line
    manager's team, an organisation lead's organisation, or (coordinators, administrators) everyone; CSV too."""
    heading, allowed = COMPLIANCE_SCOPES.get(scope, (None, None))
    if allowed is None or not allowed(request.user):
        raise Http404
    whole_partnership = scope == "all"
    form = forms.ComplianceFilterForm(request.GET or None, whole_partnership=whole_partnership)
    filters = dict(form.cleaned_data) if form.is_valid() else {}
    people = selectors.people_for_compliance(
        scope=scope, user=request.user, organisation=filters.get("organisation"), sector=filters.get("sector"),
        band=filters.get("band"), q=filters.get("q") or "",
    )
    today = timezone.localdate()
    everyone = compliance.compliance_matrix(people=people, today=today)
    matrix = compliance.matrix_narrowed(everyone, requirement=filters.get("requirement") or "",
                                        state=filters.get("state") or "")
    if export:
        return _download(exports.compliance_csv(matrix=matrix), content_type="text/csv",
                         filename=f"training-compliance-{scope}-{today:%Y-%m-%d}.csv")
    page, query = page_of(request, matrix.rows, COMPLIANCE_PAGE_SIZE)
    return render(request, "training/compliance_matrix.html", {
        "heading": heading, "scope": scope, "form": form, "matrix": matrix, "everyone": everyone, "page": page,
        "query": query, "standard": selectors.standard_version_current(),
        "due_soon_days": compliance.DUE_SOON_DAYS, "states": compliance.SUMMARY_STATES,
        "export_url": reverse(f"training:compliance_{scope}_export") + (f"?{query}" if query else ""),
        "scopes": [(name, label, reverse(f"training:compliance_{name}"))
                   for name, (label, can) in COMPLIANCE_SCOPES.items() if can(request.user)],
    })
