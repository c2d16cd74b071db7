"""Every step of the procedure is a POST verb listed in the OpenAPI schema."""

from drf_spectacular.generators import SchemaGenerator

VERBS = [
    "forward",
    "assign",
    "refuse",
    "extend",
    "reply",
    "request-review",
    "answer-review",
    "request-re-review",
    "answer-re-review",
    "rate",
    "link",
    "reissue-code",
    "backlog",
    "backlog-resolve",
]


def test_every_step_is_a_post_in_the_schema(db):
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    for verb in VERBS:
        operation = paths[f"/api/petitions/{{id}}/{verb}/"]
        assert set(operation) == {"post", "parameters"} or set(operation) == {"post"}, verb
        assert operation["post"]["responses"], verb
    assert "post" in paths["/api/petitions/"]
    assert "get" in paths["/api/petitions/stats/"]
    assert paths["/api/petitions/lookup/"]["post"]["security"] == [{}]


def test_stats_schema_names_every_figure(db):
    components = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]
    assert set(components["PetitionStats"]["properties"]) == {
        "total",
        "letters",
        "phone",
        "online",
        "visits",
        "on_time_decision_rate",
        "on_time_decision_rate_basis",
        "on_time_handling_rate",
        "on_time_handling_rate_basis",
        "satisfaction_rate",
        "satisfaction_rate_basis",
        "repeat_petitions",
    }
