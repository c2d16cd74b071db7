"""One error vocabulary for services, and one place that turns errors into HTTP.

Every API error has the same JSON shape::

    {"detail": "人能读懂的说明", "code": "machine_readable", "errors": {"field": ["..."]}}

`errors` is present for validation failures only. Messages are Chinese unless the client asks
for English (Accept-Language: en).
"""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions as drf
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger(__name__)


class ApplicationError(Exception):
    status_code = status.HTTP_400_BAD_REQUEST
    code = "invalid"
    default_message = gettext_lazy("操作无法完成")

    def __init__(self, message=None, *, errors: dict | None = None):
        self.message = message or self.default_message
        self.errors = errors
        super().__init__(str(self.message))


class InvalidInput(ApplicationError):
    """Input that passed the serializer but breaks a business rule; `errors` names the field."""

    code = "invalid"
    default_message = gettext_lazy("输入有误，请检查标出的字段")

    def __init__(self, message=None, *, field: str | None = None, errors: dict | None = None):
        if field and errors is None:
            errors = {field: [str(message or self.default_message)]}
        super().__init__(message, errors=errors)


class NotFound(ApplicationError):
    status_code = status.HTTP_404_NOT_FOUND
    code = "not_found"
    default_message = gettext_lazy("未找到，或您无权查看")


class Forbidden(ApplicationError):
    status_code = status.HTTP_403_FORBIDDEN
    code = "forbidden"
    default_message = gettext_lazy("您的角色无权进行此操作")


class Conflict(ApplicationError):
    status_code = status.HTTP_409_CONFLICT
    code = "conflict"
    default_message = gettext_lazy("数据已被他人修改，请刷新后重试")


class TransitionNotAllowed(Conflict):
    code = "transition_not_allowed"
    default_message = gettext_lazy("当前状态不允许此操作")


def _body(detail, code, errors=None):
    body = {"detail": str(detail), "code": code}
    if errors is not None:
        body["errors"] = errors
    return body


def api_exception_handler(exc, context):
    if isinstance(exc, ApplicationError):
        return Response(_body(exc.message, exc.code, exc.errors), status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return Response(_body(_("输入有误，请检查标出的字段"), "invalid", errors), status=400)
    if isinstance(exc, IntegrityError):
        logger.info("integrity conflict: %s", exc.__class__.__name__)
        return Response(_body(Conflict.default_message, Conflict.code), status=409)
    if isinstance(exc, Http404):
        exc = drf.NotFound(NotFound.default_message)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = drf.PermissionDenied(Forbidden.default_message)

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, drf.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        response.data = _body(_("输入有误，请检查标出的字段"), "invalid", errors)
    elif isinstance(exc, drf.ParseError):
        response.data = _body(_("请求内容不是有效的 JSON：%(detail)s") % {"detail": exc.detail}, "parse_error")
    elif isinstance(exc, drf.NotAuthenticated | drf.AuthenticationFailed):
        response.data = _body(exc.detail, exc.default_code)
    elif isinstance(exc, drf.NotFound):
        response.data = _body(NotFound.default_message, NotFound.code)
    elif isinstance(exc, drf.PermissionDenied):
        response.data = _body(exc.detail, Forbidden.code)
    else:
        detail = exc.detail if isinstance(exc, drf.APIException) else str(exc)
        response.data = _body(detail, getattr(exc, "default_code", "error"))
    return response
