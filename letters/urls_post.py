"""Post that leaves the system, for staff, under /post/ (names in the ``post`` namespace;
included from familievaerft/urls.py): the print queue and the outbox (``letters.post_views``).
tests/letters/test_digital_post.py requests every pattern here as every persona."""

from django.urls import path

from letters import post_views

app_name = "post"

urlpatterns = [
    path("print/", post_views.print_queue, name="print_queue"),
    path("print/<int:pk>/printet/", post_views.print_mark, name="print_mark"),
    path("udgaaende/", post_views.outbox_list, name="outbox_list"),
]
