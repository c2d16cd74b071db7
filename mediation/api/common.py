"""Shared by the mediation API views: input validation and scoped look-ups of the rows an input
names."""

from django.utils.translation import gettext as _
from rest_framework import serializers

from governance.selectors.scoping import center_get_for
from mediation.models import (
    Committee,
    Mediator,
)
from mediation.selectors import scoping

TAGS = ["mediation"]


def valid(serializer_class, request):
    data = serializer_class(data=request.data, context={"request": request})
    data.is_valid(raise_exception=True)
    return data.validated_data


def committee_named(user, committee_id):
    if committee_id is None:
        return None
    try:
        return scoping.committees_for(user).select_related("center").get(pk=committee_id)
    except (Committee.DoesNotExist, TypeError, ValueError):
        raise serializers.ValidationError({"committee": [_("调解组织不存在或不在本县(市、区)")]}) from None


def mediator_named(user, mediator_id, field="mediator"):
    try:
        return scoping.mediators_for(user).get(pk=mediator_id)
    except (Mediator.DoesNotExist, TypeError, ValueError):
        raise serializers.ValidationError({field: [_("调解员不存在或不在本县(市、区)")]}) from None


def center_of(request, center_id):
    if center_id is not None:
        return center_get_for(user=request.user, center_id=center_id)
    if request.user.center is None:
        raise serializers.ValidationError({"center": [_("请指定受理中心")]})
    return request.user.center
