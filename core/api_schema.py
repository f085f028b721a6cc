"""Schema additions: the one error shape on every operation."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension

ERROR_COMPONENT = {
    "type": "object",
    "description": "Alle fejl har denne form / every error has this shape.",
    "properties": {
        "fejl": {
            "type": "object",
            "properties": {
                "kode": {"type": "string", "example": "ugyldige_data"},
                "besked": {"type": "string", "example": "Oplysningerne er ikke gyldige."},
                "felter": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                    "example": {"concern": ["Beskriv bekymringen."]},
                },
            },
            "required": ["kode", "besked", "felter"],
        }
    },
    "required": ["fejl"],
}

ERRORS = {
    "400": "Ugyldige data; fejl pr. felt i `fejl.felter`.",
    "401": "Ikke logget ind, eller API-nøglen er ugyldig, udløbet eller tilbagekaldt.",
    "403": "Ingen adgang (fx familiebruger, nøgle med kun læseadgang, eller ikke din sag at "
    "ændre).",
    "404": "Findes ikke, eller du må ikke se det (samme svar i begge tilfælde).",
    "405": "Metoden er ikke tilladt.",
    "406": "Formatet kan ikke leveres.",
    "415": "Medietypen understøttes ikke.",
    "429": "For mange forespørgsler; prøv igen senere.",
}


def add_error_responses(result: dict[str, Any], generator: Any, **kwargs: Any) -> dict[str, Any]:
    result.setdefault("components", {}).setdefault("schemas", {})["Fejl"] = ERROR_COMPONENT
    ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Fejl"}}}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for code, description in ERRORS.items():
                if code == "400" and method == "get" and not operation.get("parameters"):
                    continue
                operation["responses"].setdefault(
                    code, {"description": description, "content": ref}
                )
    return result


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.api_authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Personlig API-nøgle fra din profilside: `Token <nøgle>`.",
        }


class CsrfSessionScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.api_authentication.CsrfSessionAuthentication"
    name = "session"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": "sessionid",
            "description": "Browserens session; skrivninger kræver CSRF-token (X-CSRFToken).",
        }
