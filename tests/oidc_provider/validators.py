"""The test provider's claims: each user's claims from the config file (read again at every
token, so a test can change a user's groups between two logins), and two users the provider
misbehaves for on purpose: ``"misbehave": "expired"`` gets an ID token that expired before it
was issued, ``"tampered"`` one whose signed content was changed afterwards."""

import base64
import json
import time
from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator

from tests.oidc_provider import settings as provider_settings


def _user_config(username: str) -> dict[str, Any]:
    config = json.loads(provider_settings.CONFIG_PATH.read_text())
    return config["users"].get(username, {})


class ClaimsValidator(OAuth2Validator):
    oidc_claim_scope = None  # every configured claim, whatever the scopes

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        return dict(_user_config(request.user.username).get("claims", {}))

    def get_id_token_dictionary(self, token: Any, token_handler: Any, request: Any) -> Any:
        claims, expiration = super().get_id_token_dictionary(token, token_handler, request)
        if _user_config(request.user.username).get("misbehave") == "expired":
            claims["exp"] = int(time.time()) - 600
        return claims, expiration

    def finalize_id_token(self, id_token: Any, token: Any, token_handler: Any, request: Any) -> Any:
        if _user_config(request.user.username).get("misbehave") == "expired":
            id_token["iat"] = int(time.time()) - 1200
        serialized = super().finalize_id_token(id_token, token, token_handler, request)
        if _user_config(request.user.username).get("misbehave") == "tampered":
            header, payload, signature = serialized.split(".")
            claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
            claims["groups"] = ["familievaerft-admin"]
            payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
            serialized = f"{header}.{payload}.{signature}"
        return serialized
