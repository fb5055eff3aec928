from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        register_policies()
        register_learning()
        register_exams()
        register_sessions()
        register_drills()
        register_duties()

    def seed_demo(self, stdout) -> None:
        """Demo drills, courses, hours, sessions, then exams and the contest (after content's pages)."""
        from training.drills.demo import drills_seed
        from training.exams.demo import exams_seed
        from training.learning.demo import learning_seed
        from training.sessions.demo import sessions_seed

        drills_seed(stdout=stdout)
        learning_seed(stdout=stdout)
        sessions_seed(stdout=stdout)
        exams_seed(stdout=stdout)

    def seed_scale(self, scale, stdout, today=None) -> None:
        """Ledger rows, exam attempts and drill records for `manage.py seed_scale`."""
        from django.utils import timezone

        from training.drills.scale import drills_seed
        from training.exams.scale import attempts_seed
        from training.learning.scale import ledger_seed, requirements_ensure

        requirements_ensure()
        today = today or timezone.localdate()
        for label, seed in (
            ("ledger rows", ledger_seed),
            ("exam attempts", attempts_seed),
            ("drill records", drills_seed),
        ):
            written = seed(scale, today)
            stdout.write(f"  training: {written:,} {label}")


def register_policies() -> None:
    """Drill plans and records scoped like the registry: the same selectors table and policy."""
    from wagtail.permissions import register_permission_policy

    from directory.permissions import ScopedPermissionPolicy
    from directory.scoping import scope_register
    from training.drills.selectors.follow_up import SCOPES as FOLLOW_UP_SCOPES
    from training.drills.selectors.records import SCOPES

    for model, (visible, editable) in {**SCOPES, **FOLLOW_UP_SCOPES}.items():
        scope_register(model, visible=visible, editable=editable)
        register_permission_policy(model, ScopedPermissionPolicy(model))


def register_learning() -> None:
    """The ledger's import kind (`import_data training_records`), the learning models' scopes,
    and the heartbeat's Redis path told of accounts that lose their login."""
    from django.db.models.signals import post_delete, post_save, pre_save
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from content.models import CoursePage, LessonPage, Video
    from directory.importing.resources import import_kind_register
    from directory.models import Person
    from directory.models.accounts import account_access_changed
    from training.learning.importing import TrainingRecordResource
    from training.learning.selectors.ledger import register_learning_scopes
    from training.learning.services.beats import (
        accounts_changed,
        content_changed,
        person_deleted,
        person_link_changing,
    )

    import_kind_register(
        "training_records", resource=TrainingRecordResource, label=_("Training records")
    )
    register_learning_scopes()
    # An account deactivated, given a new password or linked to another person: its heartbeats
    # stop being credited in Redis until the database path has read the login again.
    account_access_changed.connect(
        lambda sender, ids, **kwargs: accounts_changed(ids), weak=False, dispatch_uid="beats"
    )
    pre_save.connect(person_link_changing, sender=Person, dispatch_uid="beats-person-link")
    post_delete.connect(person_deleted, sender=Person, dispatch_uid="beats-person-deleted")
    # A course, lesson or video changed: the states credited in Redis are read afresh.
    for model in (CoursePage, LessonPage, Video):
        for signal in (post_save, post_delete, page_published, page_unpublished, post_page_move):
            if model is not Video or signal in (post_save, post_delete):
                signal.connect(
                    content_changed, sender=model, dispatch_uid=f"beats-{model.__name__}"
                )


def register_exams() -> None:
    """Question banks' import kind (`import_data questions <file> --bank <name>`) and scopes."""
    from directory.importing.resources import import_kind_register
    from training.exams.importing import QuestionResource
    from training.exams.selectors.scoping import register_exam_scopes

    import_kind_register("questions", resource=QuestionResource, label=_("Exam questions"))
    register_exam_scopes()


def register_sessions() -> None:
    """Offline sessions and their attendance, scoped through the registry's table."""
    from directory.importing.resources import import_kind_register
    from training.sessions.importing import AttendanceResource
    from training.sessions.selectors.scoping import register_session_scopes

    import_kind_register("attendance", resource=AttendanceResource, label=_("Attendance sheets"))
    register_session_scopes()


def register_drills() -> None:
    """Drills held, imported one row per drill (`import_data drill_records`), and a drill's
    sign-in sheet into its list of participants (`import_data drill_participants --drill <id>`)."""
    from directory.importing.resources import import_kind_register
    from training.drills.importing import DrillParticipantResource, DrillRecordResource

    import_kind_register("drill_records", resource=DrillRecordResource, label=_("Drill records"))
    import_kind_register(
        "drill_participants",
        resource=DrillParticipantResource,
        label=_("Drill sign-in sheets"),
    )


def register_duties() -> None:
    """The principals' duties (checklists, self-inspections, hazards), scoped through their
    enterprise like the registry."""
    from wagtail.permissions import register_permission_policy

    from directory.permissions import ScopedPermissionPolicy
    from directory.scoping import scope_register
    from training.duties.selectors import SCOPES

    for model, (visible, editable) in SCOPES.items():
        scope_register(model, visible=visible, editable=editable)
        register_permission_policy(model, ScopedPermissionPolicy(model))
