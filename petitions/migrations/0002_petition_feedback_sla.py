from django.db import migrations

BASIS = "信访事项承办部门反馈期限（本地默认，可在时限政策中调整）"


def add_policy(apps, schema_editor):
    # A department holding a petition reports back within 30 days (the reply is due in 60), not
    # within the 24 hours of an ordinary dispatch.
    SlaPolicy = apps.get_model("governance", "SlaPolicy")
    SlaPolicy.objects.get_or_create(
        kind="dispatch.feedback",
        center=None,
        service_line="petition",
        risk_level="",
        defaults={"unit": "calendar_days", "amount": 30, "warn_ratio": 0.75, "basis": BASIS},
    )


def remove_policy(apps, schema_editor):
    SlaPolicy = apps.get_model("governance", "SlaPolicy")
    SlaPolicy.objects.filter(kind="dispatch.feedback", center=None, service_line="petition", basis=BASIS).delete()


class Migration(migrations.Migration):
    dependencies = [("petitions", "0001_initial"), ("governance", "0002_categories_and_append_only_timeline")]

    operations = [migrations.RunPython(add_policy, remove_policy)]
