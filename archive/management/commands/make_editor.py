import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Make USERNAME an editor: staff, in the Editors group. Creates the account if needed, with the "
        "password from DJANGO_EDITOR_PASSWORD or asked for on the terminal."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")

    def handle(self, *args, username, email, **options):
        user_model = get_user_model()
        user = user_model.objects.filter(username=username).first()
        created = user is None
        if created:
            user = user_model(username=username, email=email)
            user.set_password(self._checked(self._password(), user))
        user.is_staff = True
        user.save()
        user.groups.add(Group.objects.get(name="Editors"))
        verb = "Created" if created else "Promoted"
        self.stdout.write(f"{verb} editor {username}: staff, in the Editors group; log in at /admin/.")

    def _checked(self, password: str, user) -> str:
        """The password, once Django's validators (AUTH_PASSWORD_VALIDATORS) accept it for this user."""
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError("The password was refused: " + " ".join(error.messages)) from error
        return password

    def _password(self) -> str:
        password = os.environ.get("DJANGO_EDITOR_PASSWORD")
        if password:
            return password
        if not os.isatty(0):
            raise CommandError("Set DJANGO_EDITOR_PASSWORD or run this command on a terminal.")
        first, second = getpass.getpass("Password: "), getpass.getpass("Password (again): ")
        if not first or first != second:
            raise CommandError("The passwords were empty or did not match.")
        return first
