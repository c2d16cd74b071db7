"""Test data builders. Centers and users are built with plain functions (treebeard trees are not a
good fit for factory_boy); persons with factory_boy."""

from __future__ import annotations

import factory
from django.utils import timezone
from stdnum.cn import ric

from governance.models import Category, Center, CenterLevel, Department, Person, Residency, User, UserRole


def make_center(name: str, code: str, *, parent: Center | None = None, level: str | None = None) -> Center:
    if parent is None:
        return Center.objects.add_root({"name": name, "code": code, "level": level or CenterLevel.COUNTY})
    parent.refresh_from_db()
    default = CenterLevel.TOWNSHIP if parent.level == CenterLevel.COUNTY else CenterLevel.VILLAGE
    return Center.objects.add_child(parent, {"name": name, "code": code, "level": level or default})


def make_department(center: Center, name: str, residency: str = Residency.RESIDENT) -> Department:
    return Department.objects.create(center=center, name=name, residency=residency)


def make_user(
    username: str, *roles: str, center: Center | None = None, department: Department | None = None, **extra
) -> User:
    user = User.objects.create_user(
        username=username,
        password="pw-" + username,
        center=center,
        department=department,
        full_name=extra.pop("full_name", username),
        email=extra.pop("email", f"{username}@example.org"),
        **extra,
    )
    for role in roles:
        UserRole.objects.create(user=user, role=role)
    return User.objects.get(pk=user.pk)  # fresh: no cached roles


def valid_id_number(region: str = "110105", birth: str = "19800101", seq: str = "123") -> str:
    body = f"{region}{birth}{seq}"
    return body + ric.calc_check_digit(body + "0")  # the function skips the last character


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"当事人{n}")
    id_number = factory.Sequence(lambda n: valid_id_number(seq=f"{n % 1000:03d}", birth=f"{1950 + n // 1000}0101"))
    phone = factory.Sequence(lambda n: f"+86138{n:08d}")
    created_at = factory.LazyFunction(timezone.now)


def category(key: str = "labour") -> Category:
    return Category.objects.get(key=key)
