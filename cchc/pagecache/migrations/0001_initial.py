from django.db import migrations, models


def first_row(apps, schema_editor):
    apps.get_model("pagecache", "DataVersion").objects.using(schema_editor.connection.alias).create(
        pk=1, n=0
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="DataVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("n", models.BigIntegerField(default=0)),
            ],
            options={
                "verbose_name": "phiên bản dữ liệu",
                "verbose_name_plural": "phiên bản dữ liệu",
                "default_permissions": (),
            },
        ),
        migrations.RunPython(first_row, migrations.RunPython.noop),
    ]
