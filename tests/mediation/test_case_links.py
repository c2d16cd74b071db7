"""The case page links to the mediation file of the case, or offers to open one."""


def test_the_case_page_links_to_the_mediation_file(world, open_file, client):
    file = open_file()
    client.force_login(world.window)
    page = client.get(f"/cases/{file.case_id}/").content.decode()
    assert f'href="/mediation/files/{file.pk}/"' in page
    assert "调解卷宗（" in page


def test_a_mediation_case_without_a_file_offers_to_open_one(world, mediation_case, client):
    case = mediation_case()
    client.force_login(world.window)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert f'href="/mediation/cases/{case.pk}/open/"' in page
    client.force_login(world.liaison)  # may not open files (and does not see the case anyway)
    assert client.get(f"/cases/{case.pk}/").status_code == 404
