"""The mediation workbench, the cases of the mediation line, and the committees with their
mediators' figures."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import render
from django.utils import timezone

from governance import roles
from mediation import permissions
from mediation.choices import FileStatus, ReferralStatus, TermStatus
from mediation.models import MediationFile, Term
from mediation.selectors import lists, scoping
from mediation.selectors.ledger import mediator_league
from mediation.views.common import filtered, page_of

SOON = timedelta(days=7)


@login_required
def home(request):
    """工作台: open files by their time limit, terms falling due, referrals waiting to be signed."""
    user = request.user
    own = permissions.mediator_of(user)
    files = lists.file_list_qs(user).filter(status__in=(FileStatus.APPLIED, FileStatus.MEDIATING))
    if own is not None and not permissions.is_center_staff(user):
        mine = Q(mediator=own) | (Q(committee_id=own.committee_id) if own.is_chief else Q(pk__in=[]))
        files = files.filter(mine)
    files = files.order_by("deadline__due_at", "id")
    today = timezone.localdate()
    terms = (
        Term.objects.filter(
            agreement__file__in=scoping.file_qs_for(user),
            status__in=(TermStatus.PENDING, TermStatus.PARTLY, TermStatus.DEFAULTED),
            due_on__lte=today + SOON,
        )
        .select_related("agreement__file__case", "deadline", "obligor__case_party__person")
        .order_by("due_on", "id")
    )
    if own is not None and not permissions.is_center_staff(user):
        terms = terms.filter(agreement__file__mediator=own)
    referrals = lists.referral_list_qs(user).filter(status=ReferralStatus.REFERRED).order_by("referred_at")
    if own is not None and not permissions.is_center_staff(user):
        referrals = referrals.filter(committee_id=own.committee_id)
    return render(
        request,
        "mediation/home.html",
        {
            "profile": own,
            "files": list(files[:50]),
            "files_total": files.count(),
            "terms": list(terms[:30]),
            "referrals": list(referrals[:30]),
            "today": today,
            "is_staff": permissions.is_center_staff(user),
            "may_stats": roles.may(user, permissions.STATS),
        },
    )


@login_required
def case_list(request):
    """Every case of the mediation line (with or without a file): what the dashboard's mediation
    figures count, and where they link."""
    qs = lists.mediation_case_list_qs(request.user).annotate(
        has_file=Exists(MediationFile.objects.filter(case=OuterRef("pk")))
    )
    cases = filtered(lists.MediationCaseFilter, request, qs.order_by("-id"))
    page = page_of(request, cases.qs)
    return render(
        request,
        "mediation/case_list.html",
        {
            "filter": cases,
            "page_obj": page,
            "cases": page.object_list,
            "can_open": roles.may(request.user, permissions.OPEN_FILE),
        },
    )


@login_required
def committees(request):
    """The committees of the county with their mediators, case counts and success rates."""
    rows = list(
        scoping.committees_for(request.user)
        .select_related("center")
        .prefetch_related("categories")
        .annotate(mediator_count=Count("mediators", filter=Q(mediators__is_active=True)))
        .order_by("center__path", "order", "id")
    )
    mediators = list(scoping.mediators_for(request.user).select_related("committee").order_by("-is_chief", "id"))
    league = mediator_league(mediators)
    by_committee: dict[int, list] = {}
    for mediator in mediators:
        mediator.figures = league[mediator.pk]
        by_committee.setdefault(mediator.committee_id, []).append(mediator)
    for committee in rows:
        committee.people = by_committee.get(committee.pk, [])
    return render(request, "mediation/committees.html", {"committees": rows})
