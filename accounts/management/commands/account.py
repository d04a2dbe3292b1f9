"""Accounts from the command line: the first administrator of a new installation, and every change an
administrator makes on the accounts pages. Each is recorded in the audit log as done by "command line"."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone, translation

from accounts import actions
from accounts.models import Organisation, Role, User

ACTOR = "command line"


class Command(BaseCommand):
    help = "Creates an account, issues a temporary password, changes a role, or deactivates or reactivates an account."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(
            dest="what", required=True, metavar="create|password|role|deactivate|reactivate"
        )
        create = commands.add_parser("create", help="make an account; prints its temporary password once")
        create.add_argument("username")
        create.add_argument("--organisation", required=True, help="organisation code, e.g. MOJ or E23000036")
        create.add_argument("--role", required=True, choices=Role.values)
        create.add_argument("--email", default="")
        password = commands.add_parser("password", help="issue a temporary password; prints it once")
        password.add_argument("username")
        role = commands.add_parser("role", help="change an account's role")
        role.add_argument("username")
        role.add_argument("--role", required=True, choices=Role.values)
        for name, text in (
            ("deactivate", "stop an account signing in"),
            ("reactivate", "let it sign in again"),
        ):
            commands.add_parser(name, help=text).add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate("en")
        what = options["what"]
        try:
            if what == "create":
                self._create(options)
                return
            user = self._user(options["username"])
            if what == "password":
                secret = actions.issue_password(by=None, user=user, actor_label=ACTOR)
                self.stdout.write(f"Temporary password for {user.username}: {secret}")
                self._shown_once(user)
            elif what == "role":
                actions.change_role(by=None, user=user, role=options["role"], actor_label=ACTOR)
                self.stdout.write(f"{user.username} is now {user.get_role_display()}.")
            else:
                actions.set_active(by=None, user=user, active=what == "reactivate", actor_label=ACTOR)
                self.stdout.write(
                    f"{user.username} is {'active' if what == 'reactivate' else 'deactivated'}."
                )
        except actions.AccountRefused as refusal:
            raise CommandError(refusal.message) from None

    def _create(self, options: dict[str, Any]) -> None:
        username = options["username"].strip()
        # open_account refuses these too; here the message names the user name, as a command line should.
        if username.lower() in actions.RESERVED_USERNAMES:
            raise CommandError(
                f"The user name {username} is kept for the service's own pages; choose another."
            )
        if actions.username_taken(username):
            raise CommandError(f"There is already an account with the user name {username}.")
        try:
            organisation = Organisation.objects.get(code=options["organisation"], is_active=True)
        except Organisation.DoesNotExist:
            raise CommandError(
                f"No active organisation has the code {options['organisation']}; "
                "run `justice-journey sync_organisations` first, or check the code on /standard/bodies/."
            ) from None
        user, secret = actions.open_account(
            by=None, username=username, organisation=organisation, role=options["role"], email=options["email"],
            actor_label=ACTOR,
        )  # fmt: skip
        self.stdout.write(f"Created {user.username} ({user.get_role_display()}, {organisation.name}).")
        self.stdout.write(f"Temporary password: {secret}")
        self._shown_once(user)

    def _shown_once(self, user: User) -> None:
        expires = user.temporary_password_expires
        until = f", by {timezone.localtime(expires):%Y-%m-%d %H:%M %Z}" if expires else ""
        self.stdout.write(f"It is shown once; the person chooses their own at their first sign-in{until}.")

    def _user(self, username: str) -> User:
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"There is no account with the user name {username}.") from None
