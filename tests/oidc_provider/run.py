"""Runs the test provider: ``python -m tests.oidc_provider.run`` with ``FV_OP_CONFIG`` naming
its config file. Migrates its SQLite database, creates the configured users and clients, and
serves on the config's port (Django's threaded development server) until it is stopped."""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from oauth2_provider.models import Application

    config = json.loads(Path(os.environ["FV_OP_CONFIG"]).read_text())
    call_command("migrate", verbosity=0, interactive=False)
    for username, spec in config["users"].items():
        user, _ = User.objects.get_or_create(username=username)
        user.set_password(spec["password"])
        user.save()
    for client in config["clients"]:
        Application.objects.update_or_create(
            client_id=client["client_id"],
            defaults={
                "name": client["client_id"],
                "client_secret": client["client_secret"],
                "client_type": Application.CLIENT_CONFIDENTIAL,
                "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
                "redirect_uris": " ".join(client["redirect_uris"]),
                "post_logout_redirect_uris": " ".join(client["post_logout_redirect_uris"]),
                "algorithm": Application.RS256_ALGORITHM,
                "skip_authorization": True,  # consent is given
            },
        )
    call_command("runserver", f"127.0.0.1:{config['port']}", use_reloader=False, use_threading=True)


if __name__ == "__main__":
    main()
