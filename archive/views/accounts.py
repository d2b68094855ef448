"""Researchers' accounts: Django's own auth views (log-in, log-out, password reset) and a sign-up page."""

from __future__ import annotations

from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy

from archive.views.account_forms import TAKEN, LoginForm, SignUpForm
from archive.views.sites import safe_next

AFTER_LOGIN = reverse_lazy("archive:my-searches")


def _next(request) -> str:
    return safe_next(request, str(AFTER_LOGIN))


def signup(request):
    """/accounts/signup/: an e-mail address and a password; the new researcher is logged in."""
    if request.user.is_authenticated:
        return redirect(_next(request))
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = form.save()
        except IntegrityError:  # the same address signed up a moment ago (a double click, two tabs)
            form.add_error("email", TAKEN)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(_next(request))
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/signup.html", {"form": form, "next": _next(request)}, status=status)


login_view = auth_views.LoginView.as_view(
    template_name="accounts/login.html",
    authentication_form=LoginForm,
    redirect_authenticated_user=True,
    next_page=AFTER_LOGIN,
)
logout_view = auth_views.LogoutView.as_view(next_page="archive:home")
password_reset = auth_views.PasswordResetView.as_view(
    template_name="accounts/password_reset.html",
    email_template_name="accounts/password_reset_email.txt",
    subject_template_name="accounts/password_reset_subject.txt",
    success_url=reverse_lazy("archive:password-reset-done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("archive:password-reset-complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
