"""Load the signed-in user once per request together with what nearly every request reads next:
the center (scoping) and the department (a liaison's inbox) — one query instead of three."""

from django.contrib.auth.backends import ModelBackend
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication as _TokenAuthentication
from rest_framework.authtoken.models import Token

from governance.models import User


class Backend(ModelBackend):
    """The session side (pages, the admin, the browsable API)."""

    def get_user(self, user_id):
        user = User.objects.select_related("center", "department").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None


class TokenAuthentication(_TokenAuthentication):
    """The API side: `Authorization: Token <key>`."""

    def authenticate_credentials(self, key):
        token = Token.objects.select_related("user", "user__center", "user__department").filter(key=key).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return (token.user, token)
