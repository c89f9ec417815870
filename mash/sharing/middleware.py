from django.contrib.contenttypes.models import ContentType
from django.template.response import TemplateResponse

from mash.sharing.services import BreakGlassAvailable


class BreakGlassMiddleware:
    """On a page a MASH manager may not see, offer break-glass instead of a bare 404."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, BreakGlassAvailable) or request.path.startswith("/api/"):
            return None
        from mash.sharing.forms import BreakGlassForm

        obj = exception.obj
        form = BreakGlassForm(initial={"next": request.get_full_path()})
        response = TemplateResponse(
            request,
            "sharing/break_glass.html",
            {
                "form": form,
                "record_kind": obj._meta.verbose_name,
                "content_type_id": ContentType.objects.get_for_model(obj).pk,
                "object_id": obj.pk,
            },
            status=403,
        )
        return response.render()
