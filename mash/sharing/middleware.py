from django.contrib.contenttypes.models import ContentType
from django.template.response import TemplateResponse

from mash.sharing.forms import BreakGlassForm
from mash.sharing.services import BreakGlassAvailable


class BreakGlassMiddleware:
    """On a page refused to a user whom the rule lets break glass, offer break-glass instead of a bare
    404. The offer is made alike for a record that exists and one that does not (it names only the kind
    of record and the id asked for), so it is no oracle of existence. The API answers 404 to both."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, BreakGlassAvailable) or request.path.startswith("/api/"):
            return None
        form = BreakGlassForm(initial={"next": request.get_full_path()})
        return break_glass_page(request, exception.model, exception.pk, form, status=403)


def break_glass_page(request, model, pk, form, *, status: int):
    response = TemplateResponse(
        request,
        "sharing/break_glass.html",
        {
            "form": form,
            "record_kind": model._meta.verbose_name,
            "content_type_id": ContentType.objects.get_for_model(model).pk,
            "object_id": pk,
        },
        status=status,
    )
    return response.render()
