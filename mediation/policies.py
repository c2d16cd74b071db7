"""Local policies of mediation (not law), with their defaults; administrators override them per
center in the admin (`PolicySetting`). The default time to mediate itself (30 days) is the SLA
policy of the deadline kind `mediation.period`."""

from django.utils.translation import gettext_lazy as _

from governance import policies


def _days(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 365


EXTENSION_MAX_DAYS = policies.declare(
    "mediation.extension_max_days", 30, _("调解期限每次延期的最多天数(须双方当事人同意)"), _days
)
