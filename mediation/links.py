from django.urls import reverse
from django.utils.translation import gettext as _

from governance import roles
from governance.models import ServiceLine
from mediation import permissions
from mediation.models import CourtReferral, MediationFile


def mediation_links(case, user) -> list[tuple[str, str]]:
    """The mediation file or the court referral of this case, on the case page — or, for a
    mediation-line case without a file, the way to open one."""
    if case.service_line not in (ServiceLine.MEDIATION, ServiceLine.COURT_DOCKING):
        return []
    links = []
    file = MediationFile.objects.filter(case=case).only("pk", "status").first()
    if file is not None:
        label = _("调解卷宗（%(status)s）") % {"status": file.get_status_display()}
        links.append((label, reverse("mediation:file", args=[file.pk])))
    if case.service_line == ServiceLine.COURT_DOCKING:
        referral = CourtReferral.objects.filter(case=case).only("pk", "status").first()
        if referral is not None:
            label = _("诉前调解委派（%(status)s）") % {"status": referral.get_status_display()}
            links.append((label, reverse("mediation:referral", args=[referral.pk])))
    elif file is None and case.status != "closed" and roles.may(user, permissions.OPEN_FILE):
        links.append((_("建立调解卷宗"), reverse("mediation:file-open", args=[case.pk])))
    return links
