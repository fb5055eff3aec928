"""A drill entered on a phone in one go: the record, its group rows, evidence and signature.

Everything is checked before anything is written, and written in one transaction, so a bad
photo, row or signature leaves no half-entered drill behind.
"""

import base64
import binascii
import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from directory.models import Enterprise, Person, User
from training.common.evidence import evidence_prepare_all
from training.drills.models.entry import DrillGroupRow, DrillSignature
from training.drills.models.records import DrillRecord
from training.drills.services.follow_up import _evidence_save
from training.drills.services.participants import drill_participants_add, participants_check
from training.drills.services.records import (
    _require_editable,
    drill_record_create,
    drill_record_validate,
)

SIGNATURE_PREFIX = "data:image/png;base64,"
SIGNATURE_MAX_BYTES = 512 * 1024
SIGNATURE_MAX_SIDE = 4000


def signature_decode(data_url: str) -> bytes:
    """The PNG drawn on the signature pad, or a ValidationError on `signature`."""
    if not data_url or not data_url.startswith(SIGNATURE_PREFIX):
        raise ValidationError({"signature": _("Sign in the box before saving.")})
    unreadable = ValidationError({"signature": _("The signature cannot be read; sign again.")})
    try:
        raw = base64.b64decode(data_url[len(SIGNATURE_PREFIX) :], validate=True)
    except (binascii.Error, ValueError):
        raise unreadable from None
    if len(raw) > SIGNATURE_MAX_BYTES:
        raise unreadable
    try:
        with Image.open(io.BytesIO(raw)) as image:
            if image.format != "PNG" or max(image.size) > SIGNATURE_MAX_SIDE:
                raise unreadable
            image.load()
            ink = image.convert("RGBA").getchannel("A").getbbox()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise unreadable from None
    if ink is None:
        raise ValidationError({"signature": _("Sign in the box before saving.")})
    return raw


def _group_rows_check(groups: list[dict], headcount, evacuated) -> list[DrillGroupRow]:
    rows, errors = [], []
    for number, values in enumerate(groups, start=1):
        row = DrillGroupRow(**values)
        try:
            row.full_clean(exclude=["record"])
        except ValidationError as error:
            for messages in error.message_dict.values():
                errors.extend(
                    _("Row %(number)s (%(name)s): %(message)s")
                    % {"number": number, "name": values.get("name") or "—", "message": message}
                    for message in messages
                )
        rows.append(row)
    if rows and not errors:
        total_on_site = sum(row.headcount for row in rows)
        total_evacuated = sum(row.evacuated for row in rows)
        if (total_on_site, total_evacuated) != (headcount, evacuated):
            errors.append(
                _(
                    "The rows add up to %(on_site)s on site and %(evacuated)s evacuated; the "
                    "drill says %(headcount)s and %(total)s."
                )
                % {
                    "on_site": total_on_site,
                    "evacuated": total_evacuated,
                    "headcount": headcount,
                    "total": evacuated,
                }
            )
    if errors:
        raise ValidationError({"groups": errors})
    return rows


@transaction.atomic
def drill_record_enter(
    *,
    user: User,
    enterprise: Enterprise,
    record_fields: dict,
    groups: list[dict],
    uploads: list,
    signer_name: str,
    signature: str,
    participants: list[Person] = (),
) -> DrillRecord:
    """Check every part, then write the record, rows, evidence, signature and the optional list
    of participants together.

    `record_fields` are DrillRecord's fields and `duties`, the duties the drill claims to meet.
    """
    _require_editable(user, enterprise)
    record_fields = dict(record_fields)
    duties = record_fields.pop("duties", ())
    errors: dict[str, list] = {}
    parts = {}
    checks = {
        "record": lambda: drill_record_validate(
            DrillRecord(enterprise=enterprise, **record_fields), duties=duties
        ),
        "rows": lambda: _group_rows_check(
            groups, record_fields.get("headcount"), record_fields.get("evacuated")
        ),
        "evidence": lambda: evidence_prepare_all(uploads),
        "signature": lambda: signature_decode(signature),
    }
    for name, check in checks.items():
        try:
            parts[name] = check()
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    listed = participants_check(
        user=user, record=DrillRecord(enterprise=enterprise), people=participants
    )
    if listed:
        errors.setdefault("participants", []).extend(listed)
    if not signer_name.strip():
        errors.setdefault("signer_name", []).append(_("Write the responsible person's name."))
    if errors:
        raise ValidationError(errors)

    record = drill_record_create(user=user, enterprise=enterprise, duties=duties, **record_fields)
    for row in parts["rows"]:
        row.record = record
        row.save()
    for prepared in parts["evidence"]:
        _evidence_save(user=user, record=record, prepared=prepared)
    signed = DrillSignature(
        record=record, signer_name=signer_name.strip(), signed_at=timezone.now(), signed_by=user
    )
    signed.image.save("signature.png", ContentFile(parts["signature"]), save=False)
    signed.save()
    if participants:
        drill_participants_add(user=user, record=record, people=participants)
    return record
