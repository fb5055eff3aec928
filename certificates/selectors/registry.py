"""Reads of the certificate registry: scoping, the status in SQL, and who lacks a certificate.

`with_status` is the SQL twin of `certificates.rules.certificate_status`; tests hold them together.
"""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.lookups import IsNull
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certificates.models import (
    CertificateAttachment,
    CertificateReview,
    CertificateType,
    CertificateViolation,
    OperationCategory,
    PostAbsence,
    PostRequirement,
    RegisteredCertificate,
    SpecialOperation,
)
from certificates.rules import (
    MANAGEMENT_CERTIFICATE_ENTERPRISE_FLAGS,
    MANAGEMENT_CERTIFICATE_RISK_CLASSES,
    MANAGEMENT_GRACE_MONTHS,
    REVIEW_WINDOW_DAYS,
    USABLE_STATUSES,
    CertificateStatus,
    add_months,
    expiring_days,
)
from directory.constants import EnterpriseStatus, PersonStatus
from directory.models import Person, User
from directory.scoping import ALL, narrow_to_unit
from directory.selectors import (
    people_editable_by,
    people_visible_to,
)

S = CertificateStatus

# --- scoping: a certificate follows its holder -----------------------------------------------


def registered_certificates_visible_to(
    user: User, queryset: QuerySet | None = None
) -> QuerySet[RegisteredCertificate]:
    qs = RegisteredCertificate.objects.all() if queryset is None else queryset
    return qs.filter(person__in=people_visible_to(user).order_by().values("pk"))


def registered_certificates_editable_by(
    user: User, queryset: QuerySet | None = None
) -> QuerySet[RegisteredCertificate]:
    qs = RegisteredCertificate.objects.all() if queryset is None else queryset
    return qs.filter(person__in=people_editable_by(user).order_by().values("pk"))


def _children_scopes(model):
    def visible(user: User, queryset: QuerySet | None = None) -> QuerySet:
        qs = model.objects.all() if queryset is None else queryset
        return qs.filter(
            certificate__in=registered_certificates_visible_to(user).order_by().values("pk")
        )

    def editable(user: User, queryset: QuerySet | None = None) -> QuerySet:
        qs = model.objects.all() if queryset is None else queryset
        return qs.filter(
            certificate__in=registered_certificates_editable_by(user).order_by().values("pk")
        )

    return visible, editable


certificate_reviews_visible_to, certificate_reviews_editable_by = _children_scopes(
    CertificateReview
)
post_absences_visible_to, post_absences_editable_by = _children_scopes(PostAbsence)
certificate_violations_visible_to, certificate_violations_editable_by = _children_scopes(
    CertificateViolation
)
certificate_attachments_visible_to, certificate_attachments_editable_by = _children_scopes(
    CertificateAttachment
)


def _reference_scopes(model):
    """Certificate types are reference data: every registry role reads them, the town office
    corrects them."""

    def visible(user: User, queryset: QuerySet | None = None) -> QuerySet:
        qs = model.objects.all() if queryset is None else queryset
        return narrow_to_unit(qs, user, department=ALL, village=ALL, enterprise=ALL)

    def editable(user: User, queryset: QuerySet | None = None) -> QuerySet:
        qs = model.objects.all() if queryset is None else queryset
        return narrow_to_unit(qs, user)

    return visible, editable


certificate_types_visible_to, certificate_types_editable_by = _reference_scopes(CertificateType)
post_requirements_visible_to, post_requirements_editable_by = _reference_scopes(PostRequirement)
operation_categories_visible_to, operation_categories_editable_by = _reference_scopes(
    OperationCategory
)
special_operations_visible_to, special_operations_editable_by = _reference_scopes(SpecialOperation)

SCOPES = {
    RegisteredCertificate: (
        registered_certificates_visible_to,
        registered_certificates_editable_by,
    ),
    CertificateReview: (certificate_reviews_visible_to, certificate_reviews_editable_by),
    PostAbsence: (post_absences_visible_to, post_absences_editable_by),
    CertificateViolation: (certificate_violations_visible_to, certificate_violations_editable_by),
    CertificateType: (certificate_types_visible_to, certificate_types_editable_by),
    PostRequirement: (post_requirements_visible_to, post_requirements_editable_by),
    OperationCategory: (operation_categories_visible_to, operation_categories_editable_by),
    SpecialOperation: (special_operations_visible_to, special_operations_editable_by),
}


# --- status ----------------------------------------------------------------------------------


def reexam_required_expression(today: datetime.date) -> Exists:
    """第三十二条 in SQL: an absence of ≥ 6 months without a practical exam passed since."""
    return Exists(
        PostAbsence.objects.filter(
            certificate_id=OuterRef("pk"),
            reexam_required_from__lte=today,
            practical_exam_passed_on__isnull=True,
        ).filter(Q(returned_on__isnull=True) | Q(returned_on__gte=F("reexam_required_from")))
    )


def status_expression(today: datetime.date) -> Case:
    """The status as `rules.certificate_status` decides it, as one SQL CASE (no date arithmetic)."""
    window = today + datetime.timedelta(days=REVIEW_WINDOW_DAYS)
    expiring = today + datetime.timedelta(days=expiring_days())
    return Case(
        When(revoked_on__lte=today, then=Value(S.REVOKED)),
        When(invalid_since__lte=today, then=Value(S.INVALID)),
        When(expires_on__lt=today, then=Value(S.EXPIRED)),
        When(review_due_on__lt=today, then=Value(S.INVALID)),
        When(reexam_required_expression(today), then=Value(S.REEXAM_REQUIRED)),
        When(review_due_on__lte=window, then=Value(S.REVIEW_DUE)),
        When(expires_on__lte=expiring, then=Value(S.EXPIRING)),
        default=Value(S.VALID),
        output_field=CharField(),
    )


def with_status(queryset: QuerySet, today: datetime.date | None = None) -> QuerySet:
    """Certificates annotated with `status` for `today` (default: today in Asia/Shanghai)."""
    return queryset.annotate(status=status_expression(today or timezone.localdate()))


# The statuses a holder's enterprise must act on: the review window is open, the card is about
# to expire, a practical re-exam is owed, or it has lapsed (invalid or expired).
NEEDS_ACTION_STATUSES = (S.REVIEW_DUE, S.EXPIRING, S.REEXAM_REQUIRED, S.INVALID, S.EXPIRED)


def certificates_needing_action(user: User, today: datetime.date) -> QuerySet:
    """The user's certificates of people in post that are expiring or lapsed (a back-office
    home's line; the daily reminders tell the same holders, one message each)."""
    return with_status(
        registered_certificates_visible_to(user).filter(person__status=PersonStatus.ACTIVE),
        today,
    ).filter(status__in=NEEDS_ACTION_STATUSES)


def registered_certificates_for_person(
    person: Person, today: datetime.date | None = None
) -> QuerySet[RegisteredCertificate]:
    """A person's registered certificates with their status, for "我的证书" (two queries)."""
    queryset = (
        RegisteredCertificate.objects.filter(person=person)
        .select_related("certificate_type", "operation__category")
        .prefetch_related("attachments")
        .order_by("certificate_type__sort_order", "-first_issued_on", "pk")
    )
    return with_status(queryset, today)


def registered_certificates_with_reviews(
    person: Person, today: datetime.date, *, until: datetime.date | None = None
) -> QuerySet[RegisteredCertificate]:
    """A person's registered certificates, first issued first, each with its status on `today`
    and its reviews in date order (一人一档; two queries). `until`: only the certificates first
    issued and the reviews made by that day (a year's archived file)."""
    reviews = CertificateReview.objects.order_by("reviewed_on", "pk")
    queryset = RegisteredCertificate.objects.filter(person=person)
    if until is not None:
        reviews = reviews.filter(reviewed_on__lte=until)
        queryset = queryset.filter(first_issued_on__lte=until)
    queryset = (
        queryset.select_related("certificate_type", "operation__category")
        .prefetch_related(Prefetch("reviews", queryset=reviews))
        .order_by("first_issued_on", "pk")
    )
    return with_status(queryset, today)


# --- 持证上岗: who needs a certificate and has no usable one ------------------------------------


def usable_certificates(qualifies: str, today: datetime.date) -> QuerySet:
    """The outer person's certificates of a kind that let them work the post on `today`:
    first issued by then, status in USABLE_STATUSES (a card issued later let nobody work that
    day). For a subquery over people; the gap lists and the coverage metrics both read it."""
    return (
        RegisteredCertificate.objects.filter(
            person_id=OuterRef("pk"),
            certificate_type__qualifies=qualifies,
            first_issued_on__lte=today,
        )
        .alias(status=status_expression(today))
        .filter(status__in=USABLE_STATUSES)
    )


# --- 持证上岗 for a post: one definition, read by the gap list and the metric ------------------
#
# A person is a special operator when their post (directory.Post) has requirements, or when they
# are flagged `is_special_operator` (a post not yet in the table). On a post with requirements
# they need, for every requirement, a usable card of that operation (special-operation card) or
# of that type (special-equipment, construction); flagged without such a post, any usable card of
# the special-operator kind (原国家安监总局令第30号 第五条; 《安全生产法》第三十条).


def requirement_certificates(person, today: datetime.date) -> QuerySet:
    """Usable certificates of `person` (an expression) meeting the outer PostRequirement."""
    return (
        RegisteredCertificate.objects.filter(person_id=person, first_issued_on__lte=today)
        .filter(
            Q(operation_id=OuterRef("operation_id"))
            | Q(certificate_type_id=OuterRef("certificate_type_id"))
        )
        .alias(status=status_expression(today))
        .filter(status__in=USABLE_STATUSES)
    )


def unmet_requirements(today: datetime.date) -> QuerySet[PostRequirement]:
    """(requirement, person on its post) pairs with no usable certificate meeting it, annotated
    `person_id`: the gap list names the missing operations from these rows."""
    return (
        PostRequirement.objects.annotate(person_id=F("post__people__pk"))
        .filter(person_id__isnull=False)
        .filter(~Exists(requirement_certificates(OuterRef("person_id"), today)))
    )


def post_has_requirements() -> Exists:
    """The outer person's post requires at least one certificate."""
    return Exists(PostRequirement.objects.filter(post_id=OuterRef("work_post_id")))


def needs_special_certificate() -> Q:
    """People who need a special-operator certificate: on a post with requirements, or flagged."""
    return Q(post_has_requirements()) | Q(is_special_operator=True)


def lacks_special_certificate(today: datetime.date) -> Q:
    """Among `needs_special_certificate`, those not covered on `today` (the gap)."""
    unmet = Exists(
        PostRequirement.objects.filter(post_id=OuterRef("work_post_id")).filter(
            ~Exists(requirement_certificates(OuterRef(OuterRef("pk")), today))
        )
    )
    return (Q(post_has_requirements()) & Q(unmet)) | (
        ~Q(post_has_requirements())
        & Q(is_special_operator=True)
        & Q(_no_usable_certificate(CertificateType.Qualifies.SPECIAL_OPERATOR, today))
    )


def _usable_certificate(qualifies: str, today: datetime.date) -> Exists:
    return Exists(usable_certificates(qualifies, today))


def _no_usable_certificate(qualifies: str, today: datetime.date) -> IsNull:
    """No usable certificate of the kind, asked person by person: a scalar subquery, which
    PostgreSQL reads through the person's index for each person it checks. As NOT EXISTS inside
    an OR it may hash every usable certificate of the town first (114,000 at a district's scale,
    150 ms) even when a page of fifty people is all it checks."""
    return IsNull(Subquery(usable_certificates(qualifies, today).values("pk")[:1]), True)


def _any_certificate(qualifies: str) -> Exists:
    return Exists(
        RegisteredCertificate.objects.filter(
            person_id=OuterRef("pk"), certificate_type__qualifies=qualifies
        )
    )


def management_certificate_units() -> Q:
    """Enterprises whose principals and safety managers need the management certificate (§3)."""
    query = Q(employer__industry__risk_class__in=MANAGEMENT_CERTIFICATE_RISK_CLASSES)
    for flag in MANAGEMENT_CERTIFICATE_ENTERPRISE_FLAGS:
        query |= Q(**{f"employer__{flag}": True})
    return query


def needs_management_certificate() -> Q:
    """People whose post needs the management certificate: principals and safety managers of
    the §3 units."""
    return (Q(is_principal=True) | Q(is_safety_manager=True)) & management_certificate_units()


def management_clock_start(person: Person) -> datetime.date | None:
    """The day a principal or safety manager took office: the date they took the current post,
    else the hire date (《生产经营单位安全培训规定》第二十四条: within 6 months of taking office)."""
    return person.post_since or person.hire_date


GAP_SPECIAL = CertificateType.Qualifies.SPECIAL_OPERATOR
GAP_MANAGEMENT = CertificateType.Qualifies.MANAGEMENT
GAP_LABELS = {
    GAP_SPECIAL: _("Special-operation (or special-equipment / construction) certificate"),
    GAP_MANAGEMENT: _("Safety knowledge and management ability certificate"),
}


@dataclass(frozen=True)
class CertificationGap:
    """One person in post without the usable certificate the post needs."""

    person: Person
    needs: str
    has_unusable: bool
    # Management certificate: the end of the 6 months after taking office (post date, else
    # hire date).
    deadline: datetime.date | None
    overdue: bool
    # Special operators on a post from the table: the operations / certificate types missing.
    missing: tuple[str, ...] = ()
    # A card whose holder must pass the practical exam again (第三十二条).
    reexam_required: bool = False

    @property
    def needs_label(self) -> str:
        if self.missing:
            return "、".join(self.missing)
        return str(GAP_LABELS[self.needs])

    @property
    def state_label(self) -> str:
        if not self.overdue:
            return str(_("Within 6 months of taking office"))
        if self.reexam_required:
            return str(_("Away from the post 6 months or more: practical re-exam required"))
        if self.missing:
            return str(_("No usable certificate for the post's operation"))
        if self.has_unusable:
            return str(_("Certificate not valid"))
        return str(_("No certificate"))


def certification_gap_candidates(
    *, user: User, filters: dict | None = None, people: QuerySet | None = None
) -> QuerySet[Person]:
    """The people `certification_gaps` judges, in its order: in post, visible to `user`, whose
    role or post needs a certificate (the list's pages are judged a chunk of these at a time)."""
    people = people_visible_to(user, people).filter(
        status=PersonStatus.ACTIVE, employer__status=EnterpriseStatus.ACTIVE
    )
    for key, lookup in (
        ("enterprise", "employer_id"),
        ("lead_department", "employer__lead_department_id"),
        ("village", "employer__village_id"),
    ):
        if (filters or {}).get(key):
            people = people.filter(**{lookup: filters[key]})
    return people.filter(needs_special_certificate() | needs_management_certificate()).order_by(
        "employer__name", "name", "pk"
    )


def certification_gaps(
    *,
    user: User,
    today: datetime.date | None = None,
    filters: dict | None = None,
    people: QuerySet | None = None,
) -> list[CertificationGap]:
    """People in post, visible to `user`, whose role or post needs a certificate they lack.

    Special operators need a usable certificate for each requirement of their post (or, flagged
    on a post outside the table, any usable special-operator card: `lacks_special_certificate`);
    principals and safety managers of the §3 units need the management certificate (6 months'
    grace after taking office, counted from the post date, else the hire date). Three queries
    whatever the number of people (people, missing requirements, cards needing a re-exam).
    `filters`: enterprise, lead_department, village (ids) to narrow the list; `people`: a
    queryset of people to start from (the export path's scoped records).
    """
    today = today or timezone.localdate()
    needs_management = needs_management_certificate()
    people = list(
        certification_gap_candidates(user=user, filters=filters, people=people)
        .annotate(
            needs_management=Case(When(needs_management, then=Value(True)), default=Value(False)),
            special_gap=Case(
                When(lacks_special_certificate(today), then=Value(True)), default=Value(False)
            ),
            special_any=_any_certificate(GAP_SPECIAL),
            management_ok=_usable_certificate(GAP_MANAGEMENT, today),
            management_any=_any_certificate(GAP_MANAGEMENT),
        )
        .filter(Q(special_gap=True) | Q(needs_management=True, management_ok=False))
        .select_related("employer__village", "employer__lead_department")
        .order_by("employer__name", "name", "pk")
    )
    special_ids = [person.pk for person in people if person.special_gap]
    missing: dict[int, list[str]] = {}
    for person_id, operation, kind in (
        unmet_requirements(today)
        .filter(person_id__in=special_ids)
        .order_by("pk")
        .values_list("person_id", "operation__name", "certificate_type__name")
    ):
        missing.setdefault(person_id, []).append(operation or kind)
    reexam = set(
        with_status(RegisteredCertificate.objects.filter(person_id__in=special_ids), today)
        .filter(status=S.REEXAM_REQUIRED)
        .values_list("person_id", flat=True)
    )
    gaps = []
    for person in people:
        if person.special_gap:
            gaps.append(
                CertificationGap(
                    person,
                    GAP_SPECIAL,
                    person.special_any,
                    None,
                    True,
                    tuple(missing.get(person.pk, ())),
                    person.pk in reexam,
                )
            )
        if person.needs_management and not person.management_ok:
            took_office = management_clock_start(person)
            deadline = add_months(took_office, MANAGEMENT_GRACE_MONTHS) if took_office else None
            overdue = deadline is None or deadline < today
            gaps.append(
                CertificationGap(person, GAP_MANAGEMENT, person.management_any, deadline, overdue)
            )
    return gaps


GAP_COLUMNS = ["姓名", "身份证号", "企业", "所属村居", "牵头部门", "所需证书", "情况", "取证期限"]


def certification_gaps_rows(gaps: list[CertificationGap], masking) -> list[list]:
    """The gaps as spreadsheet rows, ID numbers through the export's masking."""
    rows = []
    for gap in gaps:
        person = gap.person
        employer = person.employer
        rows.append(
            [
                person.name,
                masking.id_number(person),
                employer.name,
                employer.village.name,
                employer.lead_department.name,
                gap.needs_label,
                gap.state_label,
                gap.deadline.isoformat() if gap.deadline else "",
            ]
        )
    return rows


# --- 持证上岗 of one unit: who needs which card, the cards they hold, the gaps ------------------


@dataclass
class CertificationRow:
    """One person in post whose role or post needs a certificate: what it needs, the cards held
    (each with `status` and `status_label` on the day judged) and the gaps left (none: covered)."""

    person: Person
    needs: list[str]
    certificates: list
    gaps: list[CertificationGap]

    @property
    def covered(self) -> bool:
        return not self.gaps


def certification_roster(
    *, user: User, people: QuerySet[Person], today: datetime.date
) -> list[CertificationRow]:
    """Among `people` (visible to `user`), those in post who need a certificate, by name: the
    post's required operations (or the special-operator card, or the management certificate),
    every registered card with its status on `today`, and the gaps as `certification_gaps`
    finds them (the one definition). Six queries whatever the number of people."""
    needs_management = needs_management_certificate()
    needing = list(
        people_visible_to(user, people)
        .filter(status=PersonStatus.ACTIVE, employer__status=EnterpriseStatus.ACTIVE)
        .filter(needs_special_certificate() | needs_management)
        .annotate(
            needs_management=Case(When(needs_management, then=Value(True)), default=Value(False)),
            needs_post=post_has_requirements(),
        )
        .select_related("work_post")
        .order_by("name", "pk")
    )
    ids = [person.pk for person in needing]
    required: dict[int, list[str]] = {}
    posts = {person.work_post_id for person in needing if person.needs_post}
    for post_id, operation, kind in (
        PostRequirement.objects.filter(post_id__in=posts)
        .order_by("pk")
        .values_list("post_id", "operation__name", "certificate_type__name")
    ):
        required.setdefault(post_id, []).append(operation or kind)
    cards: dict[int, list] = {}
    for card in with_status(
        RegisteredCertificate.objects.filter(person_id__in=ids)
        .select_related("certificate_type", "operation")
        .order_by("first_issued_on", "pk"),
        today,
    ):
        card.status_label = CertificateStatus(card.status).label
        cards.setdefault(card.person_id, []).append(card)
    gaps: dict[int, list[CertificationGap]] = {}
    for gap in certification_gaps(
        user=user, today=today, people=people.filter(pk__in=ids) if ids else people.none()
    ):
        gaps.setdefault(gap.person.pk, []).append(gap)
    rows = []
    for person in needing:
        needs = list(required.get(person.work_post_id, [])) if person.needs_post else []
        if not needs and person.is_special_operator:
            needs.append(str(GAP_LABELS[GAP_SPECIAL]))
        if person.needs_management:
            needs.append(str(GAP_LABELS[GAP_MANAGEMENT]))
        rows.append(
            CertificationRow(person, needs, cards.get(person.pk, []), gaps.get(person.pk, []))
        )
    return rows
