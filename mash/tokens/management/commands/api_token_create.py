from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from mash.tokens.services import api_token_create


class Command(BaseCommand):
    help = (
        "Make an API token for a user (a service account, say) and print it once: it is stored hashed "
        "and cannot be shown again."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="What the token is for.")

    def handle(self, *args, username, name, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user {username!r}.")
        try:
            record, token = api_token_create(user=user, name=name)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        expiry = record.expiry.isoformat(timespec="minutes") if record.expiry else "never"
        self.stderr.write(f"Token {record.token_key}... for {username}, expires {expiry}. It is shown once:")
        self.stdout.write(token)
