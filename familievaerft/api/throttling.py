from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class UserThrottle(UserRateThrottle):
    """Per user (a token counts as its user), rate in settings.REST_FRAMEWORK."""

    scope = "user"


class AnonThrottle(AnonRateThrottle):
    scope = "anon"
