"""Files, court referrals and legal services carry their case's center and registration day, so
that the figures of a center and a period read one table (both never change on a case)."""

import django.db.models.deletion
from django.db import migrations, models

TABLES = ("mediation_mediationfile", "mediation_courtreferral", "mediation_legalservice")


def copy_from_cases(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            # check the new foreign keys now, so the columns can be altered in this transaction
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in TABLES:
            cursor.execute(
                f"UPDATE {table} SET "
                "case_center_id = (SELECT c.center_id FROM governance_case c WHERE c.id = case_id), "
                "case_registered_on = (SELECT c.registered_on FROM governance_case c WHERE c.id = case_id)"
            )


def fields(model_name: str, *, null: bool):
    return [
        migrations.AddField(
            model_name=model_name,
            name="case_center",
            field=models.ForeignKey(
                null=null,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="governance.center",
                verbose_name="受理中心",
            ),
        ),
        migrations.AddField(
            model_name=model_name,
            name="case_registered_on",
            field=models.DateField(null=null, verbose_name="案件登记日期"),
        ),
    ]


def required(model_name: str):
    return [
        migrations.AlterField(
            model_name=model_name,
            name="case_center",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="governance.center",
                verbose_name="受理中心",
            ),
        ),
        migrations.AlterField(
            model_name=model_name,
            name="case_registered_on",
            field=models.DateField(verbose_name="案件登记日期"),
        ),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0002_categories_and_append_only_timeline"),
        ("mediation", "0001_initial"),
    ]

    operations = [
        *fields("mediationfile", null=True),
        *fields("courtreferral", null=True),
        *fields("legalservice", null=True),
        migrations.RunPython(copy_from_cases, migrations.RunPython.noop),
        *required("mediationfile"),
        *required("courtreferral"),
        *required("legalservice"),
        migrations.AddIndex(
            model_name="mediationfile",
            index=models.Index(fields=["case_registered_on", "case_center"], name="mediation_file_period_idx"),
        ),
        migrations.AddIndex(
            model_name="courtreferral",
            index=models.Index(fields=["case_registered_on", "case_center"], name="court_referral_period_idx"),
        ),
        migrations.AddIndex(
            model_name="legalservice",
            index=models.Index(fields=["case_registered_on", "case_center"], name="legal_service_period_idx"),
        ),
    ]
