"""The password reset form (Wagtail's, at /admin/password_reset/) with a limit on mails.

Past PASSWORD_RESET_EMAIL_LIMIT requests for one e-mail address, or PASSWORD_RESET_ADDRESS_LIMIT
from one client address, within the hour, the form sends nothing and says so in Chinese. Every
request is counted whether or not an account has the address, so the message tells nothing about
accounts (the "if the address is registered, a mail was sent" page stays the only other answer);
a person who asked three times learns to look in the inbox or wait, instead of waiting for a mail
that will never come.
"""

from django.conf import settings
from django.utils.translation import gettext as _
from wagtail.admin.views.account import PasswordResetView

from directory.throttle import client_address, limit_passed


class ThrottledPasswordResetView(PasswordResetView):
    def form_valid(self, form):
        email_limit, window = settings.PASSWORD_RESET_EMAIL_LIMIT
        address_limit, address_window = settings.PASSWORD_RESET_ADDRESS_LIMIT
        email = form.cleaned_data["email"].strip().lower()
        # Both counted on every request, so neither limit can be dodged by tripping the other.
        email_over = limit_passed(
            f"password-reset-email:{email}", limit=email_limit, seconds=window
        )
        address_over = limit_passed(
            f"password-reset-address:{client_address(self.request)}",
            limit=address_limit,
            seconds=address_window,
        )
        if email_over or address_over:
            form.add_error(
                None,
                _(
                    "Too many password reset requests: at most %(email)d per e-mail address and "
                    "%(address)d per network an hour. No mail was sent this time; look for the "
                    "earlier mail (also in the spam folder) or try again in an hour."
                )
                % {"email": email_limit, "address": address_limit},
            )
            return self.form_invalid(form)
        return super().form_valid(form)
