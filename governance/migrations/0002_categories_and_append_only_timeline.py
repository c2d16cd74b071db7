from django.db import migrations

CATEGORIES = [
    # key, label, English label, hint
    ("marriage_family", "婚姻家庭", "Marriage and family", "离婚、抚养、赡养、继承、家庭矛盾"),
    ("neighbour", "邻里纠纷", "Neighbours", "通行、采光、噪音、排水等相邻关系"),
    ("housing_homestead", "房屋宅基地", "Housing and homestead", "房屋买卖租赁、宅基地使用与界址"),
    ("contract", "合同纠纷", "Contract", "买卖、承揽、借用等合同履行"),
    ("business", "生产经营", "Business", "生产经营、合伙、承包经营中的纠纷"),
    ("damages", "损害赔偿", "Damages", "人身、财产损害赔偿"),
    ("land_forest", "山林土地", "Forest, land and water", "山林、土地承包、水事纠纷"),
    ("land_requisition", "征地拆迁", "Land requisition and demolition", "征收补偿、安置、拆迁"),
    ("pollution", "环境污染", "Pollution", "噪声、废气、污水、固废污染"),
    ("labour", "劳动争议", "Labour (incl. unpaid wages)", "欠薪、工伤、劳动合同"),
    ("consumer", "消费纠纷", "Consumer", "商品、服务质量与售后"),
    ("medical", "医疗纠纷", "Medical", "医疗损害、医患矛盾"),
    ("road_traffic", "道路交通事故", "Road traffic accidents", "交通事故赔偿"),
    ("property_management", "物业纠纷", "Property management", "物业服务、物业费、公共部位"),
    ("lending", "金融借贷", "Lending", "民间借贷、金融借款"),
    ("other", "其他", "Other", "以上均不属于的纠纷"),
]

APPEND_ONLY_SQL = """
CREATE OR REPLACE FUNCTION governance_timeline_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the case timeline is append-only (%% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER governance_caseevent_append_only
    BEFORE UPDATE OR DELETE ON governance_caseevent
    FOR EACH ROW EXECUTE FUNCTION governance_timeline_append_only();
"""
DROP_SQL = """
DROP TRIGGER IF EXISTS governance_caseevent_append_only ON governance_caseevent;
DROP FUNCTION IF EXISTS governance_timeline_append_only();
"""


def add_categories(apps, schema_editor):
    Category = apps.get_model("governance", "Category")
    for order, (key, label, label_en, hint) in enumerate(CATEGORIES, start=1):
        Category.objects.update_or_create(
            key=key, defaults={"label": label, "label_en": label_en, "hint": hint, "order": order * 10}
        )


def append_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY_SQL)


def drop_append_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL)


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial")]

    operations = [
        migrations.RunPython(add_categories, migrations.RunPython.noop),
        migrations.RunPython(append_only, drop_append_only),
    ]
