"""`{% citations links %}`: a list of citation links as includes/citations.html writes it, written once per distinct
list. A wizard step shows a list per question and per finding of its summary, every time from the same few hundred
lists; the HTML depends on the links' labels and addresses only."""

from functools import lru_cache

from django import template
from django.template.loader import render_to_string

from dpia.engine.bank import CitationLink

register = template.Library()


@register.simple_tag
def citations(links) -> str:
    return _written(tuple(links))


@lru_cache(maxsize=4096)
def _written(links: tuple[CitationLink, ...]) -> str:
    return render_to_string("includes/citations.html", {"citations": links})
