"""levenshtein() for "did you mean": ranks the trigram candidates by edit distance."""

from django.contrib.postgres.operations import CreateExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("archive", "0009_closure_triggers_and_vocabulary")]

    operations = [CreateExtension("fuzzystrmatch")]
