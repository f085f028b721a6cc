"""django-guardian's object permission backend, with the end date of a case share.

Shares of a case (``access.models.CaseShare``) are guardian object permissions with an end
date. guardian itself knows nothing of the date, so its backend would keep answering
``user.has_perm("cases.view_case", case)`` with True after the share ended. This backend
answers a case's permissions from the shares that count today only, so no code path grants
access after the end date; every other object permission is guardian's own answer.
"""

from typing import Any

from django.db.models import Model
from django.utils import timezone
from guardian.backends import ObjectPermissionBackend

from access.models import CaseShare

CASE_LABEL = "cases.Case"


def _is_case(obj: Any) -> bool:
    return isinstance(obj, Model) and obj._meta.label == CASE_LABEL


class ShareAwareObjectPermissionBackend(ObjectPermissionBackend):
    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> Any:
        if not _is_case(obj):
            return super().get_all_permissions(user_obj, obj)
        if not getattr(user_obj, "is_authenticated", False) or not user_obj.is_active:
            return set()
        return set(
            CaseShare.objects.filter(
                user_id=user_obj.pk,
                content_object_id=obj.pk,
                valid_until__gte=timezone.localdate(),
            ).values_list("permission__codename", flat=True)
        )

    def has_perm(self, user_obj: Any, perm: str, obj: Model | None = None) -> bool:
        if not _is_case(obj):
            return super().has_perm(user_obj, perm, obj)
        app_label, _dot, codename = perm.rpartition(".")
        if app_label and app_label != "cases":
            return False
        return codename in self.get_all_permissions(user_obj, obj)
