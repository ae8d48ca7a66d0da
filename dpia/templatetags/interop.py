"""`{% imported_notes assessment %}`: what an import from a CNIL PIA file could not place, on the draft's page."""

from django import template

from dpia.interop.imports import imported_notes as notes_of

register = template.Library()


@register.inclusion_tag("interop/imported_notes.html")
def imported_notes(assessment):
    return {"imports": notes_of(assessment)}
