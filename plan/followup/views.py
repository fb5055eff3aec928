"""The follow-up's back-office screens: follow-up orders (town: issue, close, send back; unit:
acknowledge, answer), talks and bulletins. Thin: each reads through a scoping selector and writes
through a service."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from directory.constants import AccountRole
from directory.files import stored_file_response
from directory.scoping import account_role
from directory.uploads import EXTENSIONS, PDF_CONTENT_TYPE
from plan.followup import services
from plan.followup.forms import (
    BulletinForm,
    OrderAnswerForm,
    OrderIssueForm,
    OrderReturnForm,
    TalkForm,
)
from plan.followup.models import UNIT_TO_ACT, FollowUpStatus
from plan.followup.selectors import bulletins_visible_to, orders_visible_to, talks_visible_to
from reports.selectors.monthly import reporting_unit_of

# The list's filter for the orders waiting on the unit (the unit's home line links to it).
TO_ACT = "to_act"
CONTENT_TYPES = {extension: content_type for content_type, extension in EXTENSIONS.items()}


def is_town(user) -> bool:
    return account_role(user) == AccountRole.TOWN_OFFICE


def may_follow_up(user) -> bool:
    """The town office and the departments and villages use these screens."""
    return is_town(user) or reporting_unit_of(user) is not None


def _member(request) -> None:
    if not may_follow_up(request.user):
        raise PermissionDenied


def _town(request) -> None:
    if not is_town(request.user):
        raise PermissionDenied


def _refused(request, form, error: ValidationError) -> None:
    """A service's refusal on the form's fields, or as a message when no form shows them."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            if form is not None and name in form.fields:
                form.add_error(name, errors)
            else:
                for message in errors:
                    messages.error(request, " ".join(message.messages))
    else:
        for message in error.messages:
            messages.error(request, message)


def _form_page(request, form, *, title: str, back: str):
    return TemplateResponse(
        request, "plan/followup/form.html", {"form": form, "title": title, "back": back}
    )


# Follow-up orders ---------------------------------------------------------------------------


def orders(request):
    _member(request)
    qs = orders_visible_to(request.user).select_related("task", "department", "village")
    status = request.GET.get("status", "")
    if status == TO_ACT:
        qs = qs.filter(status__in=UNIT_TO_ACT)
    elif status in FollowUpStatus.values:
        qs = qs.filter(status=status)
    return TemplateResponse(
        request,
        "plan/followup/order_index.html",
        {
            "orders": qs,
            "town": is_town(request.user),
            "statuses": [(TO_ACT, _("To acknowledge or answer")), *FollowUpStatus.choices],
            "status": status,
        },
    )


def order_issue(request):
    _town(request)
    # The task board's task page links here with its task (and lead unit) chosen.
    chosen = {key: request.GET[key] for key in ("task", "unit") if key in request.GET}
    form = OrderIssueForm(request.POST or None, initial=chosen)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            order = services.follow_up_issue(
                user=request.user,
                task=data["task"],
                requirement=data["requirement"],
                deadline=data["deadline"],
                **data["unit"],
            )
        except ValidationError as error:
            _refused(request, form, error)
        else:
            messages.success(request, _("Follow-up order %(number)s issued.") % {"number": order})
            return redirect("plan_followup:order_detail", order.pk)
    return _form_page(
        request, form, title=_("Issue a follow-up order"), back="plan_followup:orders"
    )


def _order_act(request, order):
    """Run the button's service; returns the form to show again when it was refused."""
    action = request.POST.get("action")
    user = request.user
    form = None
    try:
        if action == "acknowledge":
            services.follow_up_acknowledge(user=user, order=order)
            messages.success(request, _("The follow-up order was acknowledged."))
        elif action == "answer":
            form = OrderAnswerForm(request.POST, request.FILES)
            if not form.is_valid():
                return form
            services.follow_up_answer(
                user=user,
                order=order,
                answer=form.cleaned_data["answer"],
                upload=form.cleaned_data["answer_file"],
            )
            messages.success(request, _("The answer was sent to the town safety office."))
        elif action == "close":
            services.follow_up_close(user=user, order=order)
            messages.success(request, _("The follow-up order was closed."))
        elif action == "return":
            form = OrderReturnForm(request.POST)
            if not form.is_valid():
                return form
            services.follow_up_return(
                user=user,
                order=order,
                comment=form.cleaned_data["return_comment"],
                deadline=form.cleaned_data["deadline"],
            )
            messages.success(request, _("The answer was sent back to the unit."))
    except ValidationError as error:
        _refused(request, form, error)
        return form
    return None


def order_detail(request, pk):
    _member(request)
    order = get_object_or_404(
        orders_visible_to(request.user).select_related(
            "task__plan_item", "department", "village", "issued_by"
        ),
        pk=pk,
    )
    if request.method == "POST":
        form = _order_act(request, order)
        if form is None:
            return redirect("plan_followup:order_detail", pk)
    else:
        form = None
    unit = reporting_unit_of(request.user)
    own = unit is not None and getattr(order, f"{unit.kind}_id") == unit.pk
    town = is_town(request.user)
    can_answer = own and order.status in (FollowUpStatus.ACKNOWLEDGED, FollowUpStatus.RETURNED)
    return TemplateResponse(
        request,
        "plan/followup/order_detail.html",
        {
            "order": order,
            "can_acknowledge": own and order.status == FollowUpStatus.ISSUED,
            "can_answer": can_answer,
            "can_review": town and order.status == FollowUpStatus.ANSWERED,
            "answer_form": form if isinstance(form, OrderAnswerForm) else OrderAnswerForm(),
            "return_form": form if isinstance(form, OrderReturnForm) else OrderReturnForm(),
        },
    )


def order_file(request, pk):
    _member(request)
    order = get_object_or_404(orders_visible_to(request.user), pk=pk)
    if not order.answer_file:
        raise Http404
    extension = order.answer_file.name.rsplit(".", 1)[-1]
    return stored_file_response(
        order.answer_file,
        content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
        filename=f"{order.number}.{extension}",
    )


# Talks --------------------------------------------------------------------------------------


def talks(request):
    _member(request)
    qs = talks_visible_to(request.user).select_related("department", "village", "task")
    return TemplateResponse(
        request, "plan/followup/talk_index.html", {"talks": qs, "town": is_town(request.user)}
    )


def talk_create(request):
    _town(request)
    form = TalkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        unit = data.pop("unit")
        try:
            services.talk_record(user=request.user, **data, **unit)
        except ValidationError as error:
            _refused(request, form, error)
        else:
            messages.success(request, _("The talk was recorded."))
            return redirect("plan_followup:talks")
    return _form_page(request, form, title=_("Record a talk"), back="plan_followup:talks")


# Bulletins ----------------------------------------------------------------------------------


def bulletins(request):
    _member(request)
    form = BulletinForm(request.POST or None) if is_town(request.user) else None
    return TemplateResponse(
        request,
        "plan/followup/bulletin_index.html",
        {"bulletins": bulletins_visible_to(request.user), "form": form},
    )


@require_POST
def bulletin_generate(request):
    _town(request)
    form = BulletinForm(request.POST)
    if form.is_valid():
        try:
            bulletin = services.bulletin_generate(
                user=request.user, year=form.cleaned_data["year"], month=form.cleaned_data["month"]
            )
        except ValidationError as error:
            _refused(request, None, error)
        else:
            messages.success(
                request,
                _("Bulletin %(number)s issued and sent to every department and village.")
                % {"number": bulletin.number},
            )
    return redirect("plan_followup:bulletins")


def bulletin_file(request, pk):
    _member(request)
    bulletin = get_object_or_404(bulletins_visible_to(request.user), pk=pk)
    return stored_file_response(
        bulletin.file, content_type=PDF_CONTENT_TYPE, filename=f"{bulletin.number}.pdf"
    )


urlpatterns = [
    path("orders/", orders, name="orders"),
    path("orders/issue/", order_issue, name="order_issue"),
    path("orders/<int:pk>/", order_detail, name="order_detail"),
    path("orders/<int:pk>/file/", order_file, name="order_file"),
    path("talks/", talks, name="talks"),
    path("talks/add/", talk_create, name="talk_create"),
    path("bulletins/", bulletins, name="bulletins"),
    path("bulletins/generate/", bulletin_generate, name="bulletin_generate"),
    path("bulletins/<int:pk>/", bulletin_file, name="bulletin_file"),
]
