from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from governance import roles
from governance.models import Role


@login_required
def home(request):
    """Each role starts where its day's work is."""
    user = request.user
    if user.has_role(Role.LIAISON):
        return redirect("inbox")
    if user.has_role(Role.WINDOW_STAFF):
        return redirect("intake:register")
    if roles.may(user, roles.DASHBOARD):
        return redirect("dashboard")
    return redirect("web-case-list")
