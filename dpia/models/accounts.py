"""Organisations and their members' roles."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    """A body that takes part in assessments: a controller, a regulator or a civil-society group."""

    class Kind(models.TextChoices):
        PUBLIC_BODY = "public_body", _("Public body (city, region, public service)")
        COMPETENT_AUTHORITY = (
            "competent_authority",
            _("Police or other competent authority (LED Art. 3(7))"),
        )
        REGULATOR = "regulator", _("Data-protection authority")
        CIVIL_SOCIETY = "civil_society", _("Civil-society organisation")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind)
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = models.CharField(
        _("country"), max_length=2, help_text=_("ISO 3166-1 two-letter code, for example FR.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's role in one organisation. A user may hold several roles."""

    class Role(models.TextChoices):
        AUTHOR = "author", _("Author")
        DPO = "dpo", _("Data protection officer")
        SIGNATORY = "signatory", _("Controller's signatory")
        REVIEWER = "reviewer", _("Reviewer")
        AUDITOR = "auditor", _("Auditor")
        ORG_ADMIN = "org_admin", _("Organisation administrator")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.organisation}"

    def clean(self) -> None:
        if self.organisation_id and not role_allowed_in(self.role, self.organisation.kind):
            raise ValidationError(
                {"role": _("This role does not exist in an organisation of this kind.")}
            )


# Which roles make sense in which kind of organisation, checked when a membership is saved: a regulator has
# reviewers, not authors; a civil-society group audits and writes shadow assessments.
ROLES_BY_KIND: dict[str, frozenset[str]] = {
    Organisation.Kind.PUBLIC_BODY: frozenset({Membership.Role.AUTHOR, Membership.Role.DPO, Membership.Role.SIGNATORY,
                                              Membership.Role.ORG_ADMIN}),
    Organisation.Kind.COMPETENT_AUTHORITY: frozenset({Membership.Role.AUTHOR, Membership.Role.DPO,
                                                      Membership.Role.SIGNATORY, Membership.Role.ORG_ADMIN}),
    Organisation.Kind.REGULATOR: frozenset({Membership.Role.REVIEWER, Membership.Role.ORG_ADMIN}),
    Organisation.Kind.CIVIL_SOCIETY: frozenset({Membership.Role.AUDITOR, Membership.Role.AUTHOR,
                                                Membership.Role.ORG_ADMIN}),
}


def role_allowed_in(role: str, kind: str) -> bool:
    return role in ROLES_BY_KIND.get(kind, frozenset())
