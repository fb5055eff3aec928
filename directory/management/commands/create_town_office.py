"""The first town-office account of a new installation, with its role (镇安委办).

`createsuperuser` makes an account whose role stays "learner": it sees the back office through its
superuser flag, but every scoped list, report and reminder reads the role. This command creates the
account through the service every account goes through, with the town-office role, and is safe to
run again: an account of that name that is already the town office's is left as it is.

    python manage.py create_town_office admin --superuser            # asks for the password
    TOWN_OFFICE_PASSWORD=… python manage.py create_town_office admin --password-from-env TOWN_OFFICE_PASSWORD
"""

import getpass
import os
import sys

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from directory.constants import AccountRole
from directory.models import Department, User
from directory.services.accounts import account_create


class Command(BaseCommand):
    help = "Create the first town-office account (role 镇安委办); does nothing if it exists."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--password-from-env",
            metavar="VARIABLE",
            help="read the password from this environment variable instead of asking for it",
        )
        parser.add_argument(
            "--superuser",
            action="store_true",
            help="also a superuser: every right in the back office (sites, pages, groups)",
        )
        parser.add_argument(
            "--department", help="the town office's department in the registry, by name"
        )

    def handle(self, *args, username, password_from_env, superuser, department, **options):
        existing = User.objects.filter(username=username).first()
        if existing is not None:
            if existing.role != AccountRole.TOWN_OFFICE:
                raise CommandError(
                    _(
                        "The account %(username)s exists with the role %(role)s; nothing was "
                        "changed. Change its role in the back office (账号) or choose another name."
                    )
                    % {"username": username, "role": existing.get_role_display()}
                )
            self.stdout.write(
                _("The town-office account %(username)s exists already; nothing was changed.")
                % {"username": username}
            )
            return
        unit = None
        if department:
            unit = Department.objects.filter(name=department).first()
            if unit is None:
                raise CommandError(
                    _("No department named %(name)s in the registry.") % {"name": department}
                )
        password = self._password(password_from_env, username)
        try:
            account_create(
                username=username,
                password=password,
                role=AccountRole.TOWN_OFFICE,
                department=unit,
                is_superuser=superuser,
            )
        except ValidationError as invalid:
            raise CommandError(" ".join(invalid.messages)) from None
        self.stdout.write(
            self.style.SUCCESS(
                _("Created the town-office account %(username)s.") % {"username": username}
            )
        )

    def _password(self, variable: str | None, username: str) -> str:
        if variable:
            password = os.environ.get(variable, "")
            if not password:
                raise CommandError(
                    _("The environment variable %(variable)s is empty or not set.")
                    % {"variable": variable}
                )
        else:
            if not sys.stdin.isatty():
                raise CommandError(
                    _("No terminal to ask for the password: use --password-from-env VARIABLE.")
                )
            password = getpass.getpass(_("Password: "))
            if password != getpass.getpass(_("Password (again): ")):
                raise CommandError(_("The two passwords differ; nothing was created."))
        try:
            validate_password(password, User(username=username))
        except ValidationError as weak:
            raise CommandError(" ".join(weak.messages)) from None
        return password
