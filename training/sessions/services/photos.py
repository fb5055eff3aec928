"""Photos of a session taking place: uploaded by its organiser, checked and re-encoded by the
evidence machinery shared with the drills (training.common.evidence.evidence_prepare)."""

from django.db import transaction

from directory.models import User
from training.common.evidence import evidence_prepare_all
from training.sessions.models.photos import SessionPhoto
from training.sessions.models.sessions import TrainingSession
from training.sessions.services.roster import session_organiser_check


@transaction.atomic
def session_photos_add(
    *, user: User, session: TrainingSession, uploads: list
) -> list[SessionPhoto]:
    """Attach photos to a session the user runs; all of them or none."""
    session_organiser_check(user, session)
    photos = []
    for prepared in evidence_prepare_all(uploads, photos_only=True):
        photo = SessionPhoto(
            session=session,
            original_name=prepared.original_name,
            content_type=prepared.info.content_type,
            size=prepared.size,
            captured_at=prepared.info.captured_at,
            uploaded_by=user,
        )
        photo.file.save(prepared.content.name, prepared.content, save=False)
        photo.save()
        photos.append(photo)
    return photos


@transaction.atomic
def session_photo_delete(*, user: User, photo: SessionPhoto) -> None:
    session_organiser_check(user, photo.session)
    name, storage = photo.file.name, photo.file.storage
    photo.delete()
    transaction.on_commit(lambda: storage.delete(name))
