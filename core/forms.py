"""Form conventions every app shares."""

from django import forms
from django.core.exceptions import ValidationError


class ServiceForm(forms.Form):
    """A form whose errors may also come from a service.

    Forms check the shape of the input; the rules live in each app's services, which raise
    ``ValidationError``. ``add_service_error`` puts such an error on the field it names (or
    above the form), so the page shows it beside what the user typed and loses nothing."""

    # Service error keys that have another name on the form (None: shown above the form).
    service_fields: dict[str, str | None] = {}

    def add_service_error(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for key, errors in error.error_dict.items():
            field = self.service_fields.get(key, key)
            self.add_error(field if field in self.fields else None, errors)
