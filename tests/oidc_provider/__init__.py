"""A small, real OpenID Connect provider for the single sign-on tests (django-oauth-toolkit with
OIDC on): its own Django project, started as its own process by ``process.started``."""
