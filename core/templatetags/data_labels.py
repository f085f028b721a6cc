"""The ``data_label`` filter: a text from data (a deadline rule's title, a legal basis) in the
reader's language, as ``core.locale.data_label`` explains. A template builtin
(settings.TEMPLATES), so ``{{ rule.title|data_label }}`` needs no ``{% load %}``."""

from django import template

from core.locale import data_label

register = template.Library()
register.filter("data_label", data_label)
