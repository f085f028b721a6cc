"""What every page of one case shares: loading the case, the user's rights on it for this
request, refusing, and rendering the page with the case's header and tabs.

Every page of a case, in every app (cases, plans, network, followups, letters), is wrapped in
``case_page(need)``. It loads the case through ``Case.objects.visible_to`` (the rules are in
``access.rules``): the read is logged; a user who may not see the case gets a 404, exactly as
for a case that does not exist, and the refused attempt is logged. It then builds one
``access.rules.CaseAccess`` for the request (``request.case_access``, ``access`` in every
template context) and checks what the page needs (``access.rules.Need``): a user who may see
the case but not do this gets a 403 page that says who may, and the refusal is logged.
Objects addressed in a sub-URL are looked up through the case (``case_object_or_404``), so an
id from another case is a logged 404 too.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from access.log import Action, access_log_record
from access.refusals import access_log_denied, as_uuid, case_access_denied
from access.rules import HIDDEN_WHEN_REFUSED, CaseAccess, Need, UserAccess, case_access
from accounts.models import User
from cases.links import case_url
from cases.models import Case

M = TypeVar("M", bound=Model)

# The tabs of a case, in order: (key, URL name, label, what the tab needs). Every tab is its
# own URL; a user sees the tabs whose need they meet.
TABS = [
    ("overview", "cases:case_detail", _("Overblik"), Need.READ),
    ("family", "cases:case_family", _("Familie"), Need.READ),
    ("notifications", "cases:case_notifications", _("Underretninger"), Need.AUTHORITY_FILE),
    ("assessment", "cases:case_assessment", _("Undersøgelse"), Need.AUTHORITY_FILE),
    ("measures", "cases:case_measures", _("Indsatser"), Need.READ),
    ("decisions", "cases:case_decisions", _("Afgørelser"), Need.AUTHORITY_FILE),
    # file_access (an app above cases) registers its pages under this URL name.
    ("file_access", "file_access:case_file_access", _("Aktindsigt"), Need.AUTHORITY_FILE),
    ("followups", "followups:case_followups", _("Opfølgning"), Need.READ),
    ("sessions", "followups:case_sessions", _("Sessioner"), Need.READ),
    ("network", "network:network_detail", _("Netværk"), Need.READ),
    ("journal", "cases:case_journal", _("Journal"), Need.AUTHORITY_FILE),
    ("access_log", "cases:case_access_log", _("Adgangslog"), Need.AUTHORITY_FILE),
]
TAB_LABELS = {key: label for key, _name, label, _need in TABS}

READ_METHODS = ("GET", "HEAD")
FORM_METHODS = ("GET", "HEAD", "POST")
POST_ONLY = ("POST",)

# What the header loads with every case page.
HEADER_RELATED = ("citizen", "owner", "team")

# Loads the object a page is about through the case (a letter, say), taking its id out of the
# URL's keyword arguments: returns the object for the view and the measure the need is
# checked against (None when the need is not about a measure).
Loader = Callable[[HttpRequest, Case, dict[str, Any]], tuple[Any, Any]]


def case_tabs(case: Case, access: CaseAccess) -> list[tuple[str, str, Any]]:
    """The tabs of the case the user may open, as (key, URL, label)."""
    return [
        (key, case_url(url_name, case.pk), label)
        for key, url_name, label, need in TABS
        if access.allows(need)
    ]


def refuse(request: HttpRequest, case_id: Any = None) -> Http404:
    """Log a refused attempt, tied to the case when it exists, and return the 404 to raise."""
    case_access_denied(request, case_id)
    return Http404()


def load_case(
    request: HttpRequest,
    case_id: Any,
    *,
    action: str = Action.VIEW,
    related: tuple[str, ...] = HEADER_RELATED,
) -> Case:
    """The case ``request.user`` may see, with the read logged; a logged 404 otherwise."""
    case_uuid = as_uuid(case_id)
    case = (
        Case.objects.visible_to(request.user).select_related(*related).filter(id=case_uuid).first()
        if case_uuid is not None
        else None
    )
    if case is None:
        raise refuse(request, case_uuid)
    access_log_record(user=request.user, action=action, case=case, target=request.path)
    return case


def access_of(request: HttpRequest) -> CaseAccess:
    """The user's rights on the case of this request (set by ``case_page``)."""
    return cast(CaseAccess, request.case_access)  # type: ignore[attr-defined]


def case_page(
    need: str = Need.READ,
    *,
    what: Any = "",
    methods: tuple[str, ...] = READ_METHODS,
    post_action: str = Action.CHANGE,
    load: Loader | None = None,
    tab: str = "overview",
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Load the case of the URL, check ``need`` and call ``view(request, case, **kwargs)``
    (``view(request, case, obj, **kwargs)`` with ``load``).

    A GET is logged as a view, a POST as ``post_action`` (a change unless the POST only
    reveals something), an allowed export as an export. ``what`` completes "Kun … kan
    <what>" on the 403 page, shown under ``tab``.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @require_http_methods(list(methods))
        @wraps(view)
        def wrapper(request: HttpRequest, case_id: Any, **kwargs: Any) -> HttpResponse:
            if need == Need.EXPORT and UserAccess(request.user).can_export_access_log:
                action: str = Action.EXPORT
            else:
                action = Action.VIEW if request.method in READ_METHODS else post_action
            case = load_case(request, case_id, action=action)
            access = case_access(request.user, case)
            request.case_access = access  # type: ignore[attr-defined]
            args: tuple[Any, ...] = ()
            measure = None
            if load is not None:
                obj, measure = load(request, case, kwargs)
                args = (obj,)
            if not access.allows(need, measure):
                if need in HIDDEN_WHEN_REFUSED:
                    raise refuse(request, case.pk)
                return forbidden(request, case, what=what, need=need, tab=tab)
            return view(request, case, *args, **kwargs)

        wrapper.case_need = need  # type: ignore[attr-defined]
        return wrapper

    return decorator


def forbidden(
    request: HttpRequest, case: Case, *, what: Any, need: str, tab: str = "overview"
) -> HttpResponse:
    """The user may see the case but not do this: log the refusal and explain who may
    (``need`` is an ``access.rules.Need``, or "author" for another therapist's draft)."""
    access_log_denied(request, case=case)
    context = {**case_context(request, case, tab=tab), "what": what, "need": need}
    return render(request, "cases/case_forbidden.html", context, status=403)


def user_of(request: HttpRequest) -> User:
    """The logged-in user (every case page requires a login)."""
    return cast(User, request.user)


def form_data(request: HttpRequest) -> Any:
    """The posted data for a form, or None on a GET (an unbound form)."""
    return request.POST if request.method == "POST" else None


def case_object_or_404(
    request: HttpRequest, case: Case, queryset: QuerySet[M], pk: Any, *, case_field: str = "case"
) -> M:
    """An object addressed in a sub-URL; it must belong to the case in the URL."""
    obj = queryset.filter(**{case_field: case, "pk": pk}).first()
    if obj is None:
        access_log_denied(request, case=case)
        raise Http404
    return obj


def case_context(request: HttpRequest, case: Case, *, tab: str) -> dict[str, Any]:
    access = case_access(request.user, case)
    return {
        "case": case,
        "tabs": case_tabs(case, access),
        "tab": tab,
        "tab_label": TAB_LABELS.get(tab, ""),
        "is_tab_page": False,
        "access": access,
        "can_work": access.can_work,
    }


def render_tab(
    request: HttpRequest, template: str, case: Case, *, tab: str, context: dict[str, Any]
) -> HttpResponse:
    """A tab page; for an htmx tab switch only the tab partial (nav and panel) is sent."""
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        template = f"{template}#tab"
    ctx = {**case_context(request, case, tab=tab), "is_tab_page": True, **context}
    response = render(request, template, ctx)
    patch_vary_headers(response, ["HX-Request"])
    return response


def render_case_form(
    request: HttpRequest,
    template: str,
    case: Case,
    *,
    tab: str,
    context: dict[str, Any],
) -> HttpResponse:
    """A form or confirmation page under one of the tabs (full page, never a partial)."""
    return render(request, template, {**case_context(request, case, tab=tab), **context})


def service_form_page(
    request: HttpRequest,
    case: Case,
    form: Any,
    save: Callable[[dict[str, Any]], Any],
    *,
    template: str,
    tab: str,
    done: Any,
    success_url: Callable[[Any], str],
    context: dict[str, Any],
) -> HttpResponse:
    """A form page under one of the tabs whose valid POST runs a service: ``save`` gets the
    cleaned data; on success the ``done`` message and a redirect to ``success_url(result)``;
    otherwise the form again, the service's refusal beside what was typed
    (``core.forms.ServiceForm.add_service_error``), nothing saved."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, done)
            return redirect(success_url(saved))
    return render_case_form(request, template, case, tab=tab, context={"form": form, **context})
