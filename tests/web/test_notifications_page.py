"""The notifications inbox and the unread count in the top bar."""

from governance.models import Notification


def test_unread_count_inbox_and_mark_read(world, web, dispatched):
    case, _ = dispatched
    client = web(world.liaison)
    page = client.get("/inbox/").content.decode()
    assert '<span id="unread-badge" class="badge badge--count"' in page
    assert ">1</span>" in page
    inbox = client.get("/notifications/").content.decode()
    assert f"新派单：{case['number']}（主办）" in inbox
    assert client.get("/notifications/unread/").content.decode().endswith(">1</span>")
    notification = Notification.objects.get(recipient=world.liaison)
    response = client.post("/notifications/read/", {"id": notification.pk, "next": f"/cases/{case['id']}/"})
    assert response["Location"] == f"/cases/{case['id']}/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    badge = client.get("/notifications/unread/").content.decode()
    assert 'class="badge badge--count is-empty"' in badge
    assert badge.endswith(">0</span>")


def test_marking_read_never_redirects_off_site(world, web, dispatched):
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example/"):
        response = web(world.liaison).post("/notifications/read/", {"next": target})
        assert response["Location"] == "/notifications/"


def test_one_cannot_mark_someone_elses_notifications(world, web, dispatched):
    notification = Notification.objects.get(recipient=world.liaison)
    web(world.liaison_b).post("/notifications/read/", {"id": notification.pk})
    notification.refresh_from_db()
    assert notification.read_at is None


def test_the_notifications_page_has_no_n_plus_one(world, web, register, django_assert_max_num_queries):
    from governance.services.notifications import notify

    for _ in range(15):
        notify(recipients=[world.window], kind="note", title="提醒")
    client = web(world.window)
    with django_assert_max_num_queries(8):
        page = client.get("/notifications/").content.decode()
    assert page.count("提醒") >= 15
