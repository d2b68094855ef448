"""Mail each researcher the new matches of their saved searches with alerts (run from cron)."""

from django.core.management.base import BaseCommand

from archive.desk.alerts import send_alerts


class Command(BaseCommand):
    help = "E-mail each researcher a digest of the new matches of the saved searches they asked alerts for."

    def add_arguments(self, parser):
        parser.add_argument(
            "--site",
            default="http://localhost:8000",
            help="The archive's address, for the links in the mails (e.g. https://archive.example.org).",
        )

    def handle(self, *args, site: str, **options):
        def progress(user, count):
            self.stdout.write(f"Mailed {count} articles to researcher #{user.pk}.")
            self.stdout.flush()

        mailed, articles = send_alerts(site.rstrip("/"), on_digest=progress)
        self.stdout.write(f"Alerts: {articles} articles mailed to {mailed} researchers.")
