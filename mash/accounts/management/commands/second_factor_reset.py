"""Reset a user's second factor from the shell: their devices go, their sessions end, and they set up an
authenticator app again at their next sign-in. Recorded in the sign-in event log."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from mash.accounts.services import second_factor_reset


class Command(BaseCommand):
    help = "Reset the second factor of a user (they enrol again at their next sign-in)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        User = get_user_model()
        user = User._default_manager.filter(**{User.USERNAME_FIELD: username}).first()
        if user is None:
            raise CommandError(f"No user is called {username!r}.")
        ended = second_factor_reset(user=user, by=None)
        self.stdout.write(
            self.style.SUCCESS(
                f"Second factor reset for {username}; {ended} session{'s' if ended != 1 else ''} ended. "
                "They set up an authenticator app at their next sign-in."
            )
        )
