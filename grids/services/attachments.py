"""Photos and documents of a grid event. Pillow is not a dependency, so a file is checked by its
declared name, its first bytes (the file's own signature) and its size — never trusted by name."""

from __future__ import annotations

from datetime import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import policies
from governance.exceptions import InvalidInput
from governance.models import User
from grids import access
from grids.models import EventAttachment, GridEvent
from grids.policies import ATTACHMENT_MAX_MB

# extension → (content type, accepted leading signatures)
ALLOWED = {
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "webp": ("image/webp", (b"RIFF",)),
    "heic": ("image/heic", (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftyphevc")),
    "pdf": ("application/pdf", (b"%PDF-",)),
}
MAX_PER_EVENT = 9


def _signature_ok(extension: str, head: bytes) -> bool:
    _type, signatures = ALLOWED[extension]
    if extension == "heic":  # ISO media: the brand follows a 4-byte box size
        return any(head[4:12] == sig for sig in signatures)
    if extension == "webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    return any(head.startswith(sig) for sig in signatures)


@transaction.atomic
def attachment_add(
    *, actor: User | None, event: GridEvent, upload: UploadedFile, at: datetime | None = None
) -> EventAttachment:
    """Attach a photo (jpg, png, webp, heic) or a PDF to an event, by the people who work on it."""
    access.require(access.can_work_in(actor, event.grid))
    name = (upload.name or "").rsplit("/", 1)[-1][:200]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED:
        raise InvalidInput(_("只能上传 jpg、png、webp、heic 照片或 pdf 文件"), field="file")
    limit = int(policies.policy_value(ATTACHMENT_MAX_MB.key, event.center)) * 1024 * 1024
    if upload.size > limit:
        raise InvalidInput(_("文件不能超过 %(mb)s MB") % {"mb": limit // (1024 * 1024)}, field="file")
    if upload.size == 0:
        raise InvalidInput(_("文件为空"), field="file")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not _signature_ok(extension, head):
        raise InvalidInput(_("文件内容与扩展名不符"), field="file")
    if EventAttachment.objects.filter(event=event).count() >= MAX_PER_EVENT:
        raise InvalidInput(_("每个事件最多上传 %(n)s 个附件") % {"n": MAX_PER_EVENT}, field="file")
    return EventAttachment.objects.create(
        event=event,
        file=upload,
        name=name,
        content_type=ALLOWED[extension][0],
        size=upload.size,
        uploaded_by=actor,
        uploaded_at=at or timezone.now(),
    )
