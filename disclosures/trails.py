"""The records under a disclosure application and under a research package, for information
governance's trail of a record (mash/sharing/trails/children.py): a query for each kind of child."""

from disclosures import models
from mash.sharing.trails import ids_of, register_children, register_reference


def application_children(application):
    yield ids_of(models.ApplicationPerson.objects.filter(application=application))
    yield ids_of(models.ResearchPackage.objects.filter(application=application))
    yield ids_of(models.PackageSection.objects.filter(package__application=application))
    yield ids_of(models.PackageEntry.objects.filter(section__package__application=application))
    yield ids_of(models.Decision.objects.filter(application=application))
    yield ids_of(models.DisclosureRecord.objects.filter(application=application))
    yield ids_of(models.ApplicationGroupObjectPermission.objects.filter(content_object=application))


def package_children(package):
    yield ids_of(models.PackageSection.objects.filter(package=package))
    yield ids_of(models.PackageEntry.objects.filter(section__package=package))


def register() -> None:
    register_reference(models.Application)
    register_children(models.Application, application_children)
    register_children(models.ResearchPackage, package_children)
