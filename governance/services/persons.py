"""Parties are stored once and recognised again by ID-card number, or by phone and name."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction

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
        person = Person.objects.filter(id_number=id_number).first()
        if person is None:
            birth_date, sex = id_number_facts(id_number)
            try:
                with transaction.atomic():
                    return Person.objects.create(
                        name=name, id_number=id_number, phone=phone, address=address, birth_date=birth_date, sex=sex
                    )
            except IntegrityError:  # registered a moment ago by a colleague at another window
                person = Person.objects.get(id_number=id_number)
        _fill_blanks(person, phone=phone, address=address)
        return person
    if phone:
        person = Person.objects.filter(phone=phone, name=name).order_by("id").first()
        if person is not None:
            _fill_blanks(person, address=address)
            return person
    return Person.objects.create(name=name, phone=phone, address=address)


def _fill_blanks(person: Person, **values: str) -> None:
    changed = [field for field, value in values.items() if value and not getattr(person, field)]
    for field in changed:
        setattr(person, field, values[field])
    if changed:
        person.save(update_fields=[*changed, "updated_at"])
