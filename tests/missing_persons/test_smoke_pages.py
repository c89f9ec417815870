import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from missing_persons import services
from missing_persons.models import Episode

pytestmark = pytest.mark.django_db


def test_pages_render(client, cast, episode):
    client.force_login(cast.data_admin)
    for url in [
        reverse("missing_persons:dashboard"),
        reverse("missing_persons:episodes"),
        reverse("missing_persons:episode_new"),
        reverse("missing_persons:episode", args=[episode.pk]),
        reverse("missing_persons:import"),
        reverse("missing_persons:sample"),
    ]:
        assert client.get(url).status_code == 200, url
    sample = services.sample_csv().encode()
    response = client.post(reverse("missing_persons:import"), {"file": SimpleUploadedFile("s.csv", sample)})
    assert response.status_code == 200
    response = client.post(reverse("missing_persons:import"), {"confirm": "1"})
    assert response.status_code == 302
    assert Episode.objects.count() == 3
