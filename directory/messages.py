"""The words of every reminder and notice the platform sends, in one place to be reviewed as a set.

Each message names who sends it (the unit that runs the reminder: a lead department, a village,
an organiser or 镇安委办), whom it is about, what is missing in plain words, the deadline written
as people write dates (2026年12月31日) and what to do; the screen where it is done is the
notification's link (shown in 我的消息 and appended to the e-mail). Domains call these builders
with plain values; none of them writes a message's words itself.

Texts are English msgids translated in the Chinese catalogue, like every other interface text.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from directory.constants import TOWN_OFFICE_NAME


@dataclass(frozen=True)
class Message:
    title: str
    body: str


def date_text(day: datetime.date) -> str:
    """A date as Chinese users write it: 2026年12月31日."""
    return f"{day.year}年{day.month}月{day.day}日"


def datetime_text(moment: datetime.datetime) -> str:
    """A time of day in the project's zone, 24-hour: 2026年12月31日 14:30."""
    local = timezone.localtime(moment)
    return f"{date_text(local.date())} {local:%H:%M}"


def account_unit_name(user) -> str:
    """The unit an account acts for, as the sender of what it sends."""
    for unit in (user.department, user.village, user.enterprise):
        if unit is not None:
            return unit.name
    return TOWN_OFFICE_NAME


def _hours(value) -> str:
    number = Decimal(str(value or 0)).quantize(Decimal("0.1"))
    return f"{number.normalize():f}"


def _message(
    *,
    sender: str,
    subject: str,
    concerned: str,
    missing: str,
    deadline: str,
    action: str,
    overdue: bool = False,
) -> Message:
    values = {
        "sender": sender,
        "subject": subject,
        "concerned": concerned,
        "missing": missing,
        "deadline": deadline,
        "action": action,
    }
    if overdue:
        return Message(
            title=_("[%(sender)s] %(subject)s (deadline %(deadline)s, overdue)") % values,
            body=_(
                "[%(sender)s] %(concerned)s: %(missing)s. The deadline was %(deadline)s: please "
                "%(action)s at once."
            )
            % values,
        )
    return Message(
        title=_("[%(sender)s] %(subject)s (by %(deadline)s)") % values,
        body=_("[%(sender)s] %(concerned)s: %(missing)s. Please %(action)s by %(deadline)s.")
        % values,
    )


# Coverage reminders (reports' dashboards): what each metric finds missing, per item. -------------

# metric code: (subject, what is missing, what to do)
_COVERAGE_MISSING = {
    "principal_training": (
        gettext_noop("Principal training not attended"),
        gettext_noop("has not attended this year's principal safety training or assessment"),
        gettext_noop("sign up for a principal training session"),
    ),
    "manager_assessment": (
        gettext_noop("Management ability certificate missing"),
        gettext_noop("has no valid safety-management ability certificate on record"),
        gettext_noop("take the assessment and register the certificate"),
    ),
    "special_operator_certified": (
        gettext_noop("Special operation certificate missing"),
        gettext_noop("has no valid special operation certificate on record for the post"),
        gettext_noop("obtain the certificate and register it"),
    ),
    "training_hours": (
        gettext_noop("Study hours not met"),
        gettext_noop("has not completed this year's required study hours"),
        gettext_noop("finish online courses or attend a training session"),
    ),
    "drills_held": (
        gettext_noop("No drill recorded"),
        gettext_noop("has not recorded any emergency drill this year"),
        gettext_noop("hold a drill and record it on the platform"),
    ),
    "drill_coverage": (
        gettext_noop("Evacuation drill not held"),
        gettext_noop("has not held this year's evacuation drill"),
        gettext_noop("hold an evacuation drill and record it on the platform"),
    ),
    "drill_duties_met": (
        gettext_noop("Drills still owed"),
        gettext_noop("still owes some of this year's drills"),
        gettext_noop("hold the drills owed and record each on the platform"),
    ),
    "inspector_training": (
        gettext_noop("Inspector training not attended"),
        gettext_noop("has not attended this year's centralised inspector training"),
        gettext_noop("sign up for the inspector training"),
    ),
    "cadre_training": (
        gettext_noop("Compulsory course not completed"),
        gettext_noop("has not completed this year's compulsory course on work and fire safety"),
        gettext_noop("finish the assigned courses or attend a training session"),
    ),
    "criteria_study": (
        gettext_noop("Criteria study session not held"),
        gettext_noop("has not held a study session on the major-hazard criteria"),
        gettext_noop("hold the study session and record it on the platform"),
    ),
    "principal_duties_accepted": (
        gettext_noop("Five leads by example checklist not accepted"),
        gettext_noop("has no accepted 五带头 checklist for this year"),
        gettext_noop("fill in each item with its evidence and submit the checklist for review"),
    ),
    "principal_self_inspection": (
        gettext_noop("Self-inspection led by the principal not held"),
        gettext_noop("has not held this quarter's self-inspection led by its principal"),
        gettext_noop("hold the self-inspection and record it with the hazards found"),
    ),
}


# The metrics whose reminder spells out the hours short.
HOURS_METRICS = frozenset({"training_hours", "cadre_training"})


def coverage_reminder(
    *,
    metric_code: str,
    sender: str,
    concerned: str,
    deadline: datetime.date,
    required_hours=None,
    done_hours=None,
) -> Message:
    """One item a coverage metric finds not covered; hours spelled out for the hours metric."""
    subject, missing, action = _COVERAGE_MISSING.get(
        metric_code,
        (
            gettext_noop("Task not completed"),
            gettext_noop("has not completed this year's task"),
            gettext_noop("complete it on the platform"),
        ),
    )
    subject, missing, action = _(subject), _(missing), _(action)
    if metric_code in HOURS_METRICS and required_hours is not None:
        short = max(Decimal(str(required_hours)) - Decimal(str(done_hours or 0)), Decimal(0))
        missing = _(
            "is %(short)s study hours short this year (%(required)s required, %(done)s done)"
        ) % {"short": _hours(short), "required": _hours(required_hours), "done": _hours(done_hours)}
    return _message(
        sender=sender,
        subject=_("%(subject)s: %(concerned)s") % {"subject": subject, "concerned": concerned},
        concerned=concerned,
        missing=missing,
        deadline=date_text(deadline),
        action=action,
    )


# Certificates (the registry's daily job). ------------------------------------------------------


def _certificate(holder, what, number) -> str:
    return _("%(holder)s's %(what)s (No. %(number)s)") % {
        "holder": holder,
        "what": what,
        "number": number,
    }


def certificate_review_due(
    *, sender, holder, what, number, deadline, days_left, authority, window, hours
) -> Message:
    return _message(
        sender=sender,
        subject=_("Certificate review due: %(holder)s's %(what)s")
        % {"holder": holder, "what": what},
        concerned=_certificate(holder, what, number),
        missing=_("the periodic review is due in %(days)s days; a missed review voids it")
        % {"days": days_left},
        deadline=date_text(deadline),
        action=_(
            "apply to %(authority)s for the review within the %(window)s days before, after at "
            "least %(hours)s study hours of review training and a passed exam"
        )
        % {"authority": authority, "window": window, "hours": hours},
    )


def certificate_expiring(
    *, sender, holder, what, number, deadline, days_left, authority
) -> Message:
    return _message(
        sender=sender,
        subject=_("Certificate expiring: %(holder)s's %(what)s") % {"holder": holder, "what": what},
        concerned=_certificate(holder, what, number),
        missing=_(
            "it expires in %(days)s days; without a valid certificate the holder may not work the "
            "post"
        )
        % {"days": days_left},
        deadline=date_text(deadline),
        action=_("take the renewal training and assessment and renew it with %(authority)s")
        % {"authority": authority},
    )


def certificate_lapsed(
    *, sender, holder, what, number, since, authority, failed_twice: bool, to_holder=False
) -> Message:
    """`to_holder`: the words for the holder (stop working the post yourself); without it, for
    the managers and officers who must stop the holder."""
    reason = (
        _("the review was failed twice")
        if failed_twice
        else _("the review or renewal was not done in time")
    )
    if to_holder:
        action = _(
            "stop working the post until certified again through the training and exam of "
            "%(authority)s"
        )
    else:
        action = _(
            "stop the holder working the post until certified again through the training and "
            "exam of %(authority)s"
        )
    return _message(
        sender=sender,
        subject=_("Certificate no longer valid: %(holder)s's %(what)s")
        % {"holder": holder, "what": what},
        concerned=_certificate(holder, what, number),
        missing=_("no longer valid since %(date)s: %(reason)s")
        % {"date": date_text(since), "reason": reason},
        deadline=date_text(since),
        action=action % {"authority": authority},
        overdue=True,
    )


# Drills (the daily drill job). ----------------------------------------------------------------


def drill_duties_open(*, sender, enterprise, duties: list[str], deadline, overdue: bool) -> Message:
    missing = (
        _("these drills are overdue: %(duties)s")
        if overdue
        else _("these drills are not held yet: %(duties)s")
    ) % {"duties": "、".join(duties)}
    subject = _("Drills overdue: %(enterprise)s") if overdue else _("Drills due: %(enterprise)s")
    return _message(
        sender=sender,
        subject=subject % {"enterprise": enterprise},
        concerned=enterprise,
        missing=missing,
        deadline=date_text(deadline),
        action=_("hold each drill and record it on the platform"),
        overdue=overdue,
    )


def drill_duties_digest(*, sender, unit, count, names: str, deadline, overdue: bool) -> Message:
    missing = (
        _("%(count)s enterprises are overdue with drills: %(names)s")
        if overdue
        else _("%(count)s enterprises still owe drills: %(names)s")
    ) % {"count": count, "names": names}
    subject = (
        _("Drills overdue: %(count)s enterprises")
        if overdue
        else _("Drills due: %(count)s enterprises")
    )
    return _message(
        sender=sender,
        subject=subject % {"count": count},
        concerned=unit,
        missing=missing,
        deadline=date_text(deadline),
        action=_("follow each enterprise up until its drills are recorded"),
        overdue=overdue,
    )


# Monthly reports. -----------------------------------------------------------------------------


def monthly_report_due(*, unit, year: int, month: int, deadline: datetime.date) -> Message:
    return _message(
        sender=TOWN_OFFICE_NAME,
        subject=_("Monthly report of %(month)s not sent: %(unit)s")
        % {"month": f"{year}年{month}月", "unit": unit},
        concerned=unit,
        missing=_("the work-safety monthly report for %(month)s has not been sent")
        % {"month": f"{year}年{month}月"},
        deadline=date_text(deadline),
        action=_("fill in the report and send it to the town safety office"),
    )


# Training sessions. ---------------------------------------------------------------------------


def session_invitation(*, sender, person, title, starts_at, place, hours, online=False) -> Message:
    return _message(
        sender=sender,
        subject=_("Invitation: %(title)s") % {"title": title},
        concerned=person,
        missing=_("you are on the roster of the training session %(title)s (%(hours)s study hours)")
        % {"title": title, "hours": _hours(hours)},
        deadline=datetime_text(starts_at),
        action=(
            _("join the session online from the link in My training sessions")
            if online
            else _("come to %(place)s and sign in with the QR code") % {"place": place}
        ),
    )


# Follow-up of the plan's task list (督办, 通报). -------------------------------------------------


def _sentence(text: str) -> str:
    # The text is set inside a sentence the template ends.
    return text.strip().rstrip("。．.；;，,")


def follow_up_issued(*, number: str, unit, task, requirement: str, deadline) -> Message:
    return _message(
        sender=TOWN_OFFICE_NAME,
        subject=_("Follow-up order %(number)s: %(task)s") % {"number": number, "task": task},
        concerned=unit,
        missing=_("the town safety office follows up the task %(task)s: %(requirement)s")
        % {"task": task, "requirement": _sentence(requirement)},
        deadline=date_text(deadline),
        action=_("acknowledge the follow-up order and answer it on the platform"),
    )


def follow_up_returned(*, number: str, unit, comment: str, deadline) -> Message:
    return _message(
        sender=TOWN_OFFICE_NAME,
        subject=_("Follow-up order sent back: %(number)s") % {"number": number},
        concerned=unit,
        missing=_("the answer to the follow-up order %(number)s was sent back: %(comment)s")
        % {"number": number, "comment": _sentence(comment)},
        deadline=date_text(deadline),
        action=_("answer the follow-up order again on the platform"),
    )


def follow_up_answered(*, number: str, unit, task) -> Message:
    values = {"sender": unit, "number": number, "task": task}
    return Message(
        title=_("[%(sender)s] Follow-up order answered: %(number)s") % values,
        body=_(
            "[%(sender)s] The follow-up order %(number)s on the task %(task)s has been answered: "
            "please read the answer, then close the order or send it back."
        )
        % values,
    )


def bulletin_issued(*, number: str, year: int, month: int) -> Message:
    values = {"sender": TOWN_OFFICE_NAME, "number": number, "month": f"{year}年{month}月"}
    return Message(
        title=_("[%(sender)s] Bulletin %(number)s: the task list in %(month)s") % values,
        body=_(
            "[%(sender)s] To every department and village: the bulletin %(number)s on the task "
            "list in %(month)s has been issued. Please read it and put right what it names."
        )
        % values,
    )


# The plan's sub-plans and dispatch meetings. --------------------------------------------------


def subplan_returned(
    *, unit, round_title: str, comment: str, deadline: datetime.date, today: datetime.date
) -> Message:
    return _message(
        sender=TOWN_OFFICE_NAME,
        subject=_("Sub-plan returned for revision: %(unit)s") % {"unit": unit},
        concerned=unit,
        missing=_("your sub-plan for %(round)s was returned for revision (%(comment)s)")
        % {"round": round_title, "comment": comment},
        deadline=date_text(deadline),
        action=_("revise the sub-plan and upload it again"),
        overdue=deadline < today,
    )


def subplan_accepted(*, unit, round_title: str) -> Message:
    values = {"sender": TOWN_OFFICE_NAME, "unit": unit, "round": round_title}
    return Message(
        title=_("[%(sender)s] Sub-plan accepted: %(unit)s") % values,
        body=_("[%(sender)s] %(unit)s: your sub-plan for %(round)s has been accepted.") % values,
    )


def meeting_task_assigned(
    *, unit, meeting: str, decision: str, task: str, deadline: datetime.date | None
) -> Message:
    values = {
        "sender": TOWN_OFFICE_NAME,
        "unit": unit,
        "meeting": meeting,
        "decision": decision,
        "task": task,
    }
    if deadline is None:
        return Message(
            title=_("[%(sender)s] Task from %(meeting)s: %(task)s") % values,
            body=_(
                "[%(sender)s] %(unit)s: %(meeting)s decided “%(decision)s” and made your unit "
                "lead of the task %(task)s. Please report its progress in the monthly report."
            )
            % values,
        )
    return _message(
        sender=TOWN_OFFICE_NAME,
        subject=_("Task from %(meeting)s: %(task)s") % values,
        concerned=unit,
        missing=_("%(meeting)s decided “%(decision)s” and made your unit lead of the task %(task)s")
        % values,
        deadline=date_text(deadline),
        action=_("complete the task and report its progress in the monthly report"),
    )
