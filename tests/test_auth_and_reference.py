from governance.models import Role


def test_token_login_then_me(world, api):
    response = api(None).post("/api/auth/token/", {"username": "window", "password": "pw-window"}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]

    client = api(None)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = client.get("/api/me/").json()
    assert me["username"] == "window"
    assert me["roles"] == [Role.WINDOW_STAFF]
    assert me["center"] == world.county.pk
    assert me["department"] is None


def test_liaison_me_names_the_department(world, api):
    me = api(world.liaison).get("/api/me/").json()
    assert me["department"] == world.labour.pk
    assert me["roles"] == ["liaison"]


def test_wrong_password_is_refused_in_chinese(world, api):
    response = api(None).post("/api/auth/token/", {"username": "window", "password": "nope"}, format="json")
    assert response.status_code == 400
    assert "无法使用提供的认证信息登录" in str(response.json())


def test_anonymous_gets_401(world, api):
    response = api(None).get("/api/cases/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_centers_are_scoped_to_the_subtree(world, api):
    county_view = {c["name"] for c in api(world.window).get("/api/centers/").json()}
    assert county_view == {"示范县综治中心", "东乡镇综治中心", "东村综治中心"}
    township_view = api(world.window_town).get("/api/centers/").json()
    assert {c["name"] for c in township_view} == {"东乡镇综治中心", "东村综治中心"}
    village = next(c for c in township_view if c["code"] == "SF0101")
    assert village["parent"] == world.township.pk


def test_departments_are_scoped_to_the_subtree(world, api):
    names = {d["name"] for d in api(world.window).get("/api/departments/").json()}
    assert names == {"人社局", "住建局"}
    assert "邻县人社局" not in names


def test_categories_have_keys_and_chinese_labels(world, api):
    categories = api(world.window).get("/api/categories/").json()
    assert {"key": "labour", "label": "劳动争议"}.items() <= categories[9].items()
    assert len(categories) == 16


def test_choice_lists_use_stable_keys(world, api):
    choices = api(world.window).get("/api/choices/").json()
    assert [c["key"] for c in choices["channels"]] == [
        "walk_in",
        "hotline",
        "grid_report",
        "court_referral",
        "police_referral",
        "petition_referral",
        "online",
    ]
    assert [c["key"] for c in choices["risk_levels"]] == ["red", "yellow", "blue"]
    assert [c["key"] for c in choices["outcomes"]] == ["resolved", "unresolved", "withdrawn", "litigation"]
    assert [c["key"] for c in choices["satisfaction"]] == ["satisfied", "basically_satisfied", "dissatisfied"]
    assert choices["service_lines"][0] == {"key": "mediation", "label": "矛盾纠纷调解"}


def test_guessing_passwords_is_throttled(world, api, settings):
    from django.core.cache import cache

    cache.clear()
    client = api(None)
    statuses = [
        client.post("/api/auth/token/", {"username": "window", "password": f"guess{n}"}, format="json").status_code
        for n in range(31)
    ]
    assert statuses[:30] == [400] * 30
    assert statuses[30] == 429
    cache.clear()
