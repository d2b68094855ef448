"""Whether an article's language was detected; imported articles still in the old default become candidates.

Before detection, a record without a language was stored as "en". Those rows cannot be told from a
record that said "en" itself, so every imported article whose language is still the "en" its import
wrote (the import's digest of the field, md5(repr("en"))[:16], equals the value) is marked as
detected: `manage.py detect_languages` then checks them. Languages an editor changed, and other
languages a record gave, are left alone.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('archive', '0021_derived_from_sql_files'),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='language_detected',
            field=models.BooleanField(db_default=False, default=False, editable=False, verbose_name='language detected from the text'),
        ),
        migrations.AlterField(
            model_name='article',
            name='language',
            field=models.CharField(default='en', help_text='ISO 639-1 code (und: undetermined).', max_length=8),
        ),
        migrations.RunSQL(
            "UPDATE archive_article SET language_detected = true"
            " WHERE language = 'en' AND import_digest ->> 'language' = '68c7b58078853a62'",
            migrations.RunSQL.noop,
        ),
    ]
