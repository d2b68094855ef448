"""Editors may run, see and undo imports."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["add_importrun", "change_importrun", "view_importrun"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("archive")
    app_config.models_module = True  # the historical app stub lacks it; create_permissions checks it
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.get(name="Editors")
    group.permissions.add(*Permission.objects.filter(content_type__app_label="archive", codename__in=CODENAMES))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Editors").first()
    if group:
        group.permissions.remove(*Permission.objects.filter(codename__in=CODENAMES))


class Migration(migrations.Migration):
    dependencies = [("archive", "0005_imports")]

    operations = [migrations.RunPython(grant, revoke)]
