"""/healthz: the state of the database and the broker, as JSON.

200 while the database answers (the broker may be down: requests are still served, tasks wait
in Postgres for their due dates); 503 when the database does not. No login, no case data, and
an error is reported by its class name only, never with a message or a traceback (a driver's
message can carry host names, user names or query text).
"""

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


def _database() -> dict[str, Any]:
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        # The smallest ORM query on a table every installation has: it needs a connection
        # that answers and the migrated schema, and reads no case data.
        ContentType.objects.using(DEFAULT_DB_ALIAS).exists()
        return {"ok": True}
    except Exception as exc:  # any driver error means "down"
        # Drop the broken connection so the next request opens a fresh one.
        connection.close_if_unusable_or_obsolete()
        return {"ok": False, "error": exc.__class__.__name__}


def _broker() -> dict[str, Any]:
    if not settings.REDIS_URL:
        return {"ok": True, "mode": "in-process"}
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
        return {"ok": True, "mode": "redis"}
    except Exception as exc:
        return {"ok": False, "mode": "redis", "error": exc.__class__.__name__}
    finally:
        client.close()


# Not atomic even if ATOMIC_REQUESTS comes back: opening the request's transaction would need
# the database before this view runs, and a down database must give 503 JSON, not a 500 page.
@transaction.non_atomic_requests
@never_cache
@require_safe  # GET and HEAD: load balancers use either
def healthz(request: HttpRequest) -> JsonResponse:
    database = _database()
    broker = _broker()
    if not database["ok"]:
        status, state = 503, "down"
    elif not broker["ok"]:
        status, state = 200, "degraded"
    else:
        status, state = 200, "ok"
    return JsonResponse({"status": state, "database": database, "broker": broker}, status=status)
