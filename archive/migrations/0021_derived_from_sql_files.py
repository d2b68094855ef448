"""The derived tables get unmanaged models; every trigger and function is re-created from its file."""

import django.contrib.postgres.fields
from django.db import migrations, models

from archive.derived.sql_files import recreate_sql


class Migration(migrations.Migration):

    dependencies = [
        ('archive', '0020_import_run_lifecycle'),
    ]

    operations = [
        # Every trigger and function again, from archive/derived/sql/ (the same definitions as
        # migrations 0009-0017 left them; from here on the files are the definitions).
        migrations.RunSQL(recreate_sql(), migrations.RunSQL.noop),
        migrations.CreateModel(
            name='BrowseDay',
            fields=[
                ('pk', models.CompositePrimaryKey('key', 'day', blank=True, editable=False, primary_key=True, serialize=False)),
                ('key', models.BigIntegerField()),
                ('day', models.DateField()),
                ('n', models.IntegerField()),
            ],
            options={
                'db_table': 'archive_browse_day',
                'managed': False,
            },
        ),
        migrations.CreateModel(
            name='BrowsePair',
            fields=[
                ('pk', models.CompositePrimaryKey('key', 'other', blank=True, editable=False, primary_key=True, serialize=False)),
                ('key', models.BigIntegerField()),
                ('other', models.BigIntegerField()),
                ('n', models.IntegerField()),
            ],
            options={
                'db_table': 'archive_browse_pair',
                'managed': False,
            },
        ),
        migrations.CreateModel(
            name='BrowseState',
            fields=[
                ('id', models.IntegerField(primary_key=True, serialize=False)),
                ('fresh', models.BooleanField()),
            ],
            options={
                'db_table': 'archive_browse_state',
                'managed': False,
            },
        ),
        migrations.CreateModel(
            name='DayCount',
            fields=[
                ('day', models.DateField(primary_key=True, serialize=False)),
                ('n', models.IntegerField()),
            ],
            options={
                'db_table': 'archive_day_count',
                'managed': False,
            },
        ),
        migrations.CreateModel(
            name='FacetGroup',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('source_id', models.BigIntegerField()),
                ('place_ids', django.contrib.postgres.fields.ArrayField(base_field=models.IntegerField(), size=None)),
                ('topic_ids', django.contrib.postgres.fields.ArrayField(base_field=models.IntegerField(), size=None)),
            ],
            options={
                'db_table': 'archive_facet_group',
                'managed': False,
            },
        ),
        migrations.CreateModel(
            name='VocabularyWord',
            fields=[
                ('word', models.TextField(primary_key=True, serialize=False)),
                ('ndoc', models.IntegerField()),
            ],
            options={
                'db_table': 'archive_vocabulary',
                'managed': False,
            },
        ),
    ]
