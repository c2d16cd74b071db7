"""Parties are stored once and recognised again by ID-card number, or by phone and name."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from governance.models import PartyRole, Person
from governance.validators import id_number_facts


@dataclass(frozen=True)
class PartyInput:
    name: str
    id_number: str = ""  # already validated and normalised
    phone: str = ""  # E.164, already validated
    address: str = ""
    role: str = PartyRole.APPLICANT


def person_resolve(*, name: str, id_number: str = "", phone: str = "", address: str = "") -> Person:
    """The stored person for these details, created if unknown; blanks are filled from new details."""
    if id_number:
        return _person_by_id_number(name=name, id_number=id_number, phone=phone, address=address)
    if phone:
        person = Person.objects.filter(phone=phone, name=name).order_by("id").first()
        if person is not None:
            _fill_blanks(person, address=address)
            return person
    return Person.objects.create(name=name, phone=phone, address=address)


def _person_by_id_number(*, name: str, id_number: str, phone: str, address: str) -> Person:
    """One statement whether the person is new or known (also when a colleague at another window
    registers the same person at the same moment): insert, or fill the stored blanks. The stored
    name stays: the ID number identifies the person, a typed name may have a typo."""
    birth_date, sex = id_number_facts(id_number)
    now = timezone.now()
    table = connection.ops.quote_name(Person._meta.db_table)
    fields = [Person._meta.get_field(name) for name in ("name", "id_number", "phone", "address", "birth_date", "sex")]
    values = [name, id_number, phone, address, birth_date, sex]
    params = [f.get_db_prep_save(v, connection) for f, v in zip(fields, values, strict=True)]
    stamp = Person._meta.get_field("updated_at").get_db_prep_save(now, connection)

    def keep_or_fill(column: str) -> str:
        return f"{column} = CASE WHEN {table}.{column} = '' THEN EXCLUDED.{column} ELSE {table}.{column} END"

    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (name, id_number, phone, address, birth_date, sex, created_at, updated_at) "
            f"VALUES (%s, %s, %s, %s, %s, %s, %s, %s) "
            f"ON CONFLICT (id_number) DO UPDATE SET {keep_or_fill('phone')}, {keep_or_fill('address')}, "
            f"updated_at = EXCLUDED.updated_at RETURNING id, name, phone, address",
            [*params, stamp, stamp],
        )
        pk, stored_name, stored_phone, stored_address = cursor.fetchone()
    return Person(
        pk=pk,
        name=stored_name,
        id_number=id_number,
        phone=stored_phone,
        address=stored_address,
        birth_date=birth_date,
        sex=sex,
    )


def _fill_blanks(person: Person, **values: str) -> None:
    changed = [field for field, value in values.items() if value and not getattr(person, field)]
    for field in changed:
        setattr(person, field, values[field])
    if changed:
        person.save(update_fields=[*changed, "updated_at"])
