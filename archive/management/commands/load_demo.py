from django.core.management.base import BaseCommand

from archive.services.demo_data import demo_data_load


class Command(BaseCommand):
    help = "Load the demo gazetteer, topics, sources and articles; a second run adds nothing."

    def handle(self, *args, **options):
        result = demo_data_load()
        self.stdout.write(
            f"Demo data: {result.places} places, {result.topics} topics, "
            f"{result.sources} sources, {result.articles} articles created."
        )
