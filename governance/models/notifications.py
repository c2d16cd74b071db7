from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """An in-app message; it is also the outbox for email (sent by a periodic task, so a broker
    outage delays mail but never loses it)."""

    class Email(models.TextChoices):
        NONE = "none", _("不发送")
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("类型"), max_length=40)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    case = models.ForeignKey(
        "governance.Case", verbose_name=_("案件"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    link = models.CharField(_("链接"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("时间"))
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    email = models.CharField(_("邮件"), max_length=8, choices=Email.choices, default=Email.NONE)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [
            # inbox and unread count
            models.Index(fields=["recipient", "read_at"], name="notification_inbox_idx"),
            # email outbox
            models.Index(fields=["id"], condition=models.Q(email="pending"), name="notification_outbox_idx"),
        ]
