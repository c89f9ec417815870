"""API tokens: django-rest-knox's hashed tokens, with a name and an integer key.

knox stores a SHA-512 digest of the token and its first 15 characters (``token_key``, the prefix
shown to people); the token itself exists only in the answer that creates it. This model is knox's
own (``KNOX_TOKEN_MODEL``) with an integer primary key, so no address or audit entry carries the
digest, and a name saying what the token is for.
"""

from django.db import models
from knox.models import AbstractAuthToken
from knox.settings import CONSTANTS


class ApiToken(AbstractAuthToken):
    id = models.BigAutoField(primary_key=True)
    digest = models.CharField(max_length=CONSTANTS.DIGEST_LENGTH, unique=True, editable=False)
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. 'nightly report'.")

    class Meta:
        verbose_name = "API token"
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.token_key}... ({self.name})"
