"""Flask commands: create-user, seed-demo, send-reminders, rebuild-stats, copy-files."""
import click
from flask import current_app
from sqlalchemy import select

from tracker.commit import commit, rollback
from tracker.errors import DomainError
from tracker.extensions import db
from tracker.units.models import Unit
from tracker.users.models import Role


def register_commands(app) -> None:
    @app.cli.command("create-user")
    @click.option("--username", prompt=True)
    @click.option("--full-name", prompt=True)
    @click.option("--role", type=click.Choice([r.value for r in Role]), prompt=True)
    @click.option("--unit", "unit_code", prompt="Unit code", help="The code of the user's unit.")
    @click.option("--email", default="")
    @click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
    def create_user_command(username, full_name, role, unit_code, email, password):
        """Create an account bound to a unit (password: 10+ characters, not a common one)."""
        from tracker.users.services import create_user

        unit = db.session.scalar(select(Unit).where(Unit.code == unit_code.strip()))
        if unit is None:
            raise click.ClickException(f"No unit has the code {unit_code!r}.")
        try:
            user = create_user(None, username, full_name, Role(role), unit, password, email or None)
        except DomainError as error:
            rollback()
            raise click.ClickException(str(error.message))
        commit()
        click.echo(f"Created {user.username} ({user.role.value}) in {unit.name}.")

    @app.cli.command("send-reminders")
    @click.option("--days", type=int, default=None,
                  help="Remind obligations due within this many days (default: REMINDER_DAYS).")
    def send_reminders_command(days):
        """E-mail each ward officer whose unit owes a report due soon or late (once a day)."""
        from tracker import clock
        from tracker.obligations.reminders import officers_to_remind, remind_officer

        today = clock.today()
        days = current_app.config["REMINDER_DAYS"] if days is None else days
        sent = 0
        for officer in officers_to_remind():
            reminder = remind_officer(officer, today, days, current_app.config)
            commit()  # one officer at a time: a failure later never re-sends this one
            if reminder is not None:
                sent += 1
                click.echo(f"{officer.username}: {len(reminder.obligations)} obligations"
                           f" -> {reminder.delivered_to or 'in-app only (no e-mail address)'}")
        click.echo(f"{sent} reminders sent for {today:%d/%m/%Y}.")

    @app.cli.command("rebuild-stats")
    @click.option("--plan", "plan_id", type=int, default=None, help="Only this plan's figures.")
    def rebuild_stats_command(plan_id):
        """Recompute the dashboard's running figures from the data, and give every nomination its
        unit's path where it differs (after bulk loads, or to repair)."""
        from tracker.nominations.units import follow_units
        from tracker.stats.counters import rebuild

        repathed = follow_units()
        written = rebuild(db.session, plan_id)
        commit()
        click.echo(f"{written} figures written; {repathed} nominations took their unit's path.")

    @app.cli.command("copy-files")
    @click.option("--from-folder", "folder", default=None,
                  help="The local folder to copy from (default: UPLOAD_FOLDER).")
    def copy_files_command(folder):
        """Copy the evidence files and exports of a local folder into the object storage that
        STORAGE_URL names (a migration to several servers); files already there are skipped."""
        from tracker import storage

        target = storage.current()
        if not isinstance(target, storage.S3Storage):
            raise click.ClickException("Set STORAGE_URL (and STORAGE_ENDPOINT_URL) to the object storage first.")
        source = storage.LocalStorage(folder or current_app.config["UPLOAD_FOLDER"])
        copied = skipped = 0
        for key, was_copied in storage.copy_all(source, target):
            copied, skipped = copied + was_copied, skipped + (not was_copied)
        click.echo(f"{copied} files copied to {target.describe()}, {skipped} already there.")

    @app.cli.command("seed-demo")
    def seed_demo_command():
        """Load the demo: Plan 156/KH-UBND, the city's wards and communes, users, sample work."""
        from tracker.demo import seed_demo

        summary = seed_demo(current_app.config["DEMO_PASSWORD"])
        commit()
        click.echo(summary)
