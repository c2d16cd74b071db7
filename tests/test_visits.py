"""One-stop reception: a visit is registered once and its matter goes on the ledger."""

from governance.models import Case, PolicySetting
from intake.models import Visit


def visit(api, user, **body):
    payload = {"visitors": [{"name": "王五", "phone": "13900001111"}], **body}
    return api(user).post("/api/visits/", payload, format="json")


MATTER = {"service_line": "mediation", "category": "neighbour", "risk_level": "blue", "summary": "邻里排水纠纷"}


def test_a_visit_with_a_matter_registers_a_walk_in_case(world, api):
    response = visit(api, world.window, matter=MATTER)
    assert response.status_code == 201
    body = response.json()
    assert body["window"] == "1号窗口"
    assert body["received_by"] == "window"
    assert body["visitor_phone"] == "139****1111"
    assert body["case_status"] == "registered"
    case = Case.objects.get(pk=body["case"])
    assert (case.channel, case.first_handler, case.headcount) == ("walk_in", world.window, 1)
    assert list(case.parties.values_list("person__name", flat=True)) == ["王五"]


def test_a_consultation_is_a_visit_without_a_case(world, api):
    response = visit(api, world.window, note="法律咨询")
    assert response.status_code == 201
    assert response.json()["case"] is None
    assert not Case.objects.exists()


def test_five_or_more_is_a_collective_visit_by_default(world, api):
    assert visit(api, world.window, headcount=4).json()["is_collective"] is False
    assert visit(api, world.window, headcount=5).json()["is_collective"] is True


def test_the_collective_threshold_is_a_local_policy(world, api):
    PolicySetting.objects.create(center=world.township, key="visit.collective_threshold", value=3)
    assert visit(api, world.window_town, headcount=3).json()["is_collective"] is True
    assert visit(api, world.window, headcount=3).json()["is_collective"] is False  # the county keeps 5


def test_bad_visit_input_writes_nothing(world, api):
    response = visit(api, world.window, headcount=0, matter={**MATTER, "category": "nope"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"headcount", "matter"}
    assert not Visit.objects.exists()
    assert not Case.objects.exists()


def test_visits_are_scoped_and_hidden_from_liaisons(world, api):
    visit(api, world.window)
    visit(api, world.window_town)
    assert len(api(world.window).get("/api/visits/").json()["results"]) == 2
    assert len(api(world.window_town).get("/api/visits/").json()["results"]) == 1
    assert api(world.liaison).get("/api/visits/").json()["results"] == []
    assert api(world.liaison).post("/api/visits/", {"visitors": [{"name": "x"}]}, format="json").status_code == 403
