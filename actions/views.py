"""Pages of the action plan. Thin: look up through permissions, call one service, redirect or render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.roles import Role, role_required

from . import selectors, services, spreadsheets
from .filters import ActionFilter
from .forms import ActionForm, ImportForm, MilestoneForm, StatusUpdateForm, StrategyForm, ThemeForm
from .models import Action, Milestone, PlanImport, Strategy, Theme
from .permissions import (
    can_edit_plan,
    can_read_all_plans,
    get_action_for,
    get_action_for_edit,
    get_action_for_update,
    get_evidence_for,
    get_strategy_for,
    get_strategy_for_change,
    get_strategy_for_edit,
    may_post_updates,
    may_update,
)

editor_required = role_required(Role.STRATEGY_GROUP_MEMBER)


def _form_page(request, form, *, heading: str, submit_label: str, intro: str = "", back: str = "", **extra):
    context = {"form": form, "heading": heading, "submit_label": submit_label, "intro": intro, "back": back}
    context.update(extra)
    return render(request, "actions/form.html", context)


def _add_error(form, exc: "services.ActionPlanError") -> None:
    """A service's refusal, next to the field it is about (e.g. a duplicate code by Code), else at the top."""
    form.add_error(exc.field if exc.field in form.fields else None, str(exc))


def _strategy_from_query(request) -> Strategy | None:
    """?strategy=<id> for those who may read every plan; otherwise the active plan."""
    pk = request.GET.get("strategy")
    if pk and pk.isdecimal():  # isdigit() is also true of "²", which int() refuses
        return get_strategy_for(request.user, int(pk))
    return selectors.plan_active()


# --- Reading the plan ---------------------------------------------------------------------------


@login_required
def overview(request, pk: int | None = None):
    strategy = get_strategy_for(request.user, pk) if pk else selectors.plan_active()
    context = {
        "strategy": strategy,
        "can_edit": can_edit_plan(request.user),
        "can_read_all": can_read_all_plans(request.user),
    }
    if strategy is not None:
        start, end = selectors.due_soon_range()
        context.update(
            summary=selectors.rag_summary(strategy=strategy),
            due_soon=selectors.actions_due_between(start=start, end=end, strategy=strategy)[:10],
            list_url=f"{reverse('actions:action_list')}?strategy={strategy.pk}",
        )
    return render(request, "actions/overview.html", context)


@login_required
def strategy_list(request):
    if not can_read_all_plans(request.user):
        return redirect("actions:overview")
    return render(request, "actions/strategy_list.html", {
        "strategies": selectors.strategies_for(user=request.user), "can_edit": can_edit_plan(request.user),
    })


@login_required
def action_list(request):
    strategy = _strategy_from_query(request)
    actions = selectors.actions_for(user=request.user, strategy=strategy) if strategy else Action.objects.none()
    action_filter = ActionFilter(request.GET or None, queryset=actions, strategy=strategy)
    # A filter value that is not valid lists nothing (its message says what to fix) rather than every action.
    filter_invalid = action_filter.is_bound and not action_filter.is_valid()
    matching = Action.objects.none() if filter_invalid else action_filter.qs
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "actions/action_list.html", {
        "strategy": strategy, "filter": action_filter, "query": query.urlencode(),
        "full_query": request.GET.urlencode(),
        "results": selectors.ActionListPage(matching, page_number=request.GET.get("page")),
        "version": selectors.plan_lists_version(), "can_edit": can_edit_plan(request.user),
        "filter_invalid": filter_invalid,
    })


@login_required
def my_actions(request):
    actions = list(selectors.actions_led_by(user=request.user))
    return render(request, "actions/my_actions.html", {"actions": actions,
                                                       "can_post": may_post_updates(request.user)})


@login_required
def action_detail(request, pk: int, form=None):
    action = get_action_for(request.user, pk)
    can_update = may_update(request.user, action)
    if can_update and form is None:
        form = StatusUpdateForm(action=action)
    context = {
        "action": action, "can_update": can_update, "can_edit": can_edit_plan(request.user), "form": form,
        # A lead reads their action in a draft or archived plan, but not the plan's overview: no link to it.
        "strategy_readable": action.strategy.status == Strategy.Status.ACTIVE or can_read_all_plans(request.user),
        **selectors.action_detail(action=action),
    }
    return render(request, "actions/action_detail.html", context, status=400 if form is not None and form.errors
                  else 200)


@require_POST
@login_required
def action_update(request, pk: int):
    action = get_action_for_update(request.user, pk)
    form = StatusUpdateForm(request.POST, request.FILES, action=action)
    if form.is_valid():
        try:
            services.action_status_update(
                by=request.user, action=action, status=form.cleaned_data["status"],
                percent_complete=form.cleaned_data["percent_complete"], commentary=form.cleaned_data["commentary"],
                files=form.cleaned_data["files"], links=form.cleaned_data["links"],
            )
        except services.NotAllowed:
            raise Http404 from None
        except services.ActionPlanError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Your update on {action.code} is saved.")
            return redirect(reverse("actions:action_detail", args=[action.pk]) + "#timeline")
    return action_detail(request, pk, form=form)


@login_required
def evidence_download(request, pk: int):
    evidence = get_evidence_for(request.user, pk)
    if evidence.is_link or not evidence.file:
        raise Http404
    try:
        handle = default_storage.open(evidence.file.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=evidence.original_name,
                            content_type=evidence.content_type or "application/octet-stream")
    response["Cache-Control"] = "private, no-store"
    return response


# --- Changing the plan (strategy group members and administrators) ------------------------------


@editor_required
def strategy_create(request):
    form = StrategyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            strategy = services.strategy_save(by=request.user, **form.cleaned_data)
        except services.ActionPlanError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"“{strategy}” is saved. Now add its themes.")
            return redirect("actions:strategy_overview", pk=strategy.pk)
    return _form_page(request, form, heading="New strategy", submit_label="Save strategy",
                      back=reverse("actions:strategy_list"))


@editor_required
def strategy_edit(request, pk: int):
    strategy = get_strategy_for_edit(request.user, pk)
    form = StrategyForm(request.POST or None, instance=strategy)
    if request.method == "POST" and form.is_valid():
        try:
            services.strategy_save(by=request.user, strategy=Strategy.objects.get(pk=pk), **form.cleaned_data)
        except services.ActionPlanError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The strategy is saved.")
            return redirect("actions:strategy_overview", pk=pk)
    return _form_page(request, form, heading=f"Edit {strategy}", submit_label="Save strategy",
                      back=reverse("actions:strategy_overview", args=[pk]))


@editor_required
def theme_create(request, pk: int):
    strategy = get_strategy_for_change(request.user, pk)
    form = ThemeForm(request.POST or None, initial={"order": strategy.themes.count() + 1})
    if request.method == "POST" and form.is_valid():
        try:
            services.theme_save(by=request.user, strategy=strategy, **form.cleaned_data)
        except services.ActionPlanError as exc:
            form.add_error("code", str(exc))
        else:
            messages.success(request, "The theme is added.")
            return redirect("actions:strategy_overview", pk=pk)
    return _form_page(request, form, heading=f"New theme in {strategy}", submit_label="Add theme",
                      back=reverse("actions:strategy_overview", args=[pk]))


@editor_required
def theme_edit(request, pk: int):
    try:
        theme = Theme.objects.select_related("strategy").get(pk=pk)
    except Theme.DoesNotExist:
        raise Http404 from None
    if theme.strategy.is_archived:
        raise Http404
    form = ThemeForm(request.POST or None, instance=Theme.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.theme_save(by=request.user, strategy=theme.strategy, theme=theme, **form.cleaned_data)
        except services.ActionPlanError as exc:
            form.add_error("code", str(exc))
        else:
            messages.success(request, "The theme is saved.")
            return redirect("actions:strategy_overview", pk=theme.strategy_id)
    return _form_page(request, form, heading=f"Edit theme {theme.code}", submit_label="Save theme",
                      back=reverse("actions:strategy_overview", args=[theme.strategy_id]))


@editor_required
def action_create(request, pk: int):
    strategy = get_strategy_for_change(request.user, pk)
    initial = {"theme": request.GET.get("theme")} if request.GET.get("theme", "").isdecimal() else {}
    form = ActionForm(request.POST or None, strategy=strategy, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_create(by=request.user, fields=form.to_fields())
        except services.ActionPlanError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, f"Action {action.code} is added.")
            return redirect("actions:action_detail", pk=action.pk)
    return _form_page(request, form, heading=f"New action in {strategy}", submit_label="Add action",
                      back=reverse("actions:strategy_overview", args=[pk]))


@editor_required
def action_edit(request, pk: int):
    action = get_action_for_edit(request.user, pk)
    form = ActionForm(request.POST or None, strategy=action.strategy, action=action,
                      initial=ActionForm.initial_for(action))
    if request.method == "POST" and form.is_valid():
        try:
            services.action_edit(by=request.user, action=action, fields=form.to_fields())
        except services.ActionPlanError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, f"Action {action.code} is saved.")
            return redirect("actions:action_detail", pk=action.pk)
    return _form_page(request, form, heading=f"Edit action {action.code}", submit_label="Save action",
                      back=reverse("actions:action_detail", args=[pk]))


@editor_required
def milestone_create(request, pk: int):
    action = get_action_for_edit(request.user, pk)
    form = MilestoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_save(by=request.user, action=action, **form.cleaned_data)
        except services.ActionPlanError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, "The milestone is added.")
            return redirect("actions:action_detail", pk=action.pk)
    return _form_page(request, form, heading=f"New milestone for {action.code}", submit_label="Add milestone",
                      back=reverse("actions:action_detail", args=[pk]))


def _milestone_for_edit(user, pk: int) -> Milestone:
    try:
        milestone = Milestone.objects.get(pk=pk)
    except Milestone.DoesNotExist:
        raise Http404 from None
    get_action_for_edit(user, milestone.action_id)
    return milestone


@editor_required
def milestone_edit(request, pk: int):
    milestone = _milestone_for_edit(request.user, pk)
    form = MilestoneForm(request.POST or None, instance=Milestone.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_save(by=request.user, action=milestone.action, milestone=milestone,
                                    **form.cleaned_data)
        except services.ActionPlanError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, "The milestone is saved.")
            return redirect("actions:action_detail", pk=milestone.action_id)
    return _form_page(request, form, heading="Edit milestone", submit_label="Save milestone",
                      back=reverse("actions:action_detail", args=[milestone.action_id]),
                      delete_url=reverse("actions:milestone_delete", args=[pk]))


@editor_required
def milestone_delete(request, pk: int):
    """GET asks "remove this milestone?"; the POST from that page removes it (the timeline keeps a record)."""
    milestone = _milestone_for_edit(request.user, pk)
    if request.method == "POST":
        services.milestone_delete(by=request.user, milestone=milestone)
        messages.success(request, f"The milestone “{milestone.title}” is removed; the timeline keeps a record of it.")
        return redirect("actions:action_detail", pk=milestone.action_id)
    return render(request, "actions/milestone_delete.html", {"milestone": milestone, "action": milestone.action})


# --- Export and import --------------------------------------------------------------------------


@login_required
def export(request, pk: int, fmt: str):
    strategy = get_strategy_for(request.user, pk)
    stem = f"action-plan-{strategy.pk}-{selectors.today():%Y-%m-%d}"
    if fmt == "csv":
        response = HttpResponse(spreadsheets.export_csv(strategy=strategy), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            spreadsheets.export_xlsx(strategy=strategy),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


@editor_required
def import_upload(request, pk: int):
    strategy = get_strategy_for_change(request.user, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = spreadsheets.read_rows(filename=upload.name, content=upload.read(spreadsheets.MAX_BYTES + 1))
        except spreadsheets.SpreadsheetError as exc:
            form.add_error("file", str(exc))
        else:
            _, errors = spreadsheets.resolve_rows(strategy=strategy, rows=rows)
            plan_import = services.plan_import_stage(by=request.user, strategy=strategy, filename=upload.name,
                                                     rows=rows, errors=errors)
            return redirect("actions:import_preview", pk=plan_import.pk)
    return render(request, "actions/import_upload.html", {"strategy": strategy, "form": form,
                                                          "columns": spreadsheets.COLUMNS})


@editor_required
def import_preview(request, pk: int):
    try:
        plan_import = PlanImport.objects.select_related("strategy").get(pk=pk, uploaded_by=request.user)
    except PlanImport.DoesNotExist:
        raise Http404 from None
    if request.method == "POST":
        try:
            result = services.plan_import_apply(by=request.user, plan_import=plan_import)
        except services.ActionPlanError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Imported: {result['created']} new, {result['updated']} updated, "
                                      f"{result['unchanged']} unchanged.")
            return redirect("actions:strategy_overview", pk=plan_import.strategy_id)
    rows = spreadsheets.preview(strategy=plan_import.strategy, rows=plan_import.rows)
    sound = [r for r in rows if not r["errors"]]  # what a row with problems would do is not worked out
    return render(request, "actions/import_preview.html", {
        "plan_import": plan_import, "rows": rows, "error_count": len(plan_import.errors),
        "problem_rows": len(rows) - len(sound),
        "creates": sum(1 for r in sound if r["change"] == "create"),
        "updates": sum(1 for r in sound if r["change"] == "update"),
        "unchanged": sum(1 for r in sound if r["change"] == "unchanged"),
    })
