"""Inviting a member of the child's family to the family portal, from the case's Familie tab.

The case's owner or team lead, or a therapist assigned to one of its measures, may invite
(``cases.invitations.may_invite``); anyone else who sees the case gets a logged 403, an
outsider a logged 404 (``cases.pages.case_page``). The link goes to the family member by
e-mail only; the staff member sees that it was sent, to which address, and when it expires.
"""

from typing import Any, cast

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from access.log import Action
from access.refusals import access_log_denied
from access.rules import Need
from accounts.models import User
from cases import invitations as invitations
from cases.forms.invitations import InvitationForm
from cases.models import Case
from cases.pages import FORM_METHODS, case_page, forbidden, render_tab
from cases.selectors.case import households

WHAT = _(
    "invitere familien til familieportalen – det gør sagens sagsbehandler, teamlederen eller "
    "en behandler på sagen"
)


def _family_tab(
    request: HttpRequest, case: Case, *, status: int = 200, **context: Any
) -> HttpResponse:
    user = cast(User, request.user)
    response = render_tab(
        request,
        "cases/case_family.html",
        case,
        tab="family",
        context={"households": households(case, user), "can_invite": True, **context},
    )
    response.status_code = status
    response["Cache-Control"] = "private, no-store"
    return response


@case_page(Need.READ, methods=FORM_METHODS, post_action=Action.CHANGE)
def family_invite(request: HttpRequest, case: Case) -> HttpResponse:
    """GET: the Familie tab with the invitation forms; POST: invite one member."""
    user = cast(User, request.user)
    if not invitations.may_invite(user, case):
        return forbidden(request, case, what=WHAT, need=Need.READ)
    if request.method != "POST":
        return _family_tab(request, case)
    raw_member = request.POST.get("member", "")
    member_id = int(raw_member) if raw_member.isascii() and raw_member.isdigit() else None
    members = {m.pk: m for m in invitations.invitable_members(case)}
    member = members.get(member_id) if member_id is not None else None
    if member is None:
        # A member of another family is addressed like an object of another case: 404.
        access_log_denied(request, case=case)
        raise Http404
    form = InvitationForm(request.POST, member_id=member.pk)
    if form.is_valid():
        try:
            invitation = invitations.invitation_create(
                case=case, member=member, user=user, email=form.cleaned_data["email"]
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            return _family_tab(request, case, invited_member=member, invitation=invitation)
    return _family_tab(request, case, status=400, invite_form=form, invite_member_id=member.pk)
