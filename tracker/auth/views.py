"""Sign-in, sign-out and the language switch."""
from flask import (Blueprint, abort, current_app, flash, make_response, redirect, render_template, request,
                   session, url_for)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from tracker.auth.forms import LoginForm, PasswordChangeForm
from tracker.auth.services import SignInRefused, SignInThrottled, authenticate
from tracker.errors import DomainError
from tracker.extensions import db
from tracker.forms_base import show_error
from tracker.inputs import safe_next
from tracker.throttle import throttle
from tracker.users import sessions
from tracker.users.services import change_own_password, regenerate_calendar_token, set_locale

bp = Blueprint("auth", __name__)


def _client() -> tuple[str, str]:
    return request.remote_addr or "", request.user_agent.string or ""


def _restart_session(keep=("lang",)) -> None:
    """A fresh cookie session (no fixation), keeping the chosen language."""
    kept = {key: session[key] for key in keep if key in session}
    session.clear()
    session.update(kept)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = LoginForm()
    target = safe_next(request.args.get("next")) or url_for("dashboard.index")
    if form.validate_on_submit():
        ip, agent = _client()
        try:
            user = authenticate(form.username.data, form.password.data, current_app.config, throttle(), ip=ip)
        except SignInThrottled as refusal:
            db.session.commit()
            form.password.errors.append(refusal.message)
            response = make_response(render_template("auth/login.html", form=form), 429)
            response.headers["Retry-After"] = str(refusal.retry_after)
            return response
        except SignInRefused as refusal:
            db.session.commit()  # the failed attempt is audited
            form.password.errors.append(refusal.message)
            return render_template("auth/login.html", form=form), 200
        _restart_session()
        session[sessions.SESSION_KEY] = sessions.start_session(user, ip=ip, user_agent=agent)
        login_user(user)
        db.session.commit()
        flash(_("Welcome, %(name)s.", name=user.full_name), "success")
        return redirect(target)
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    sessions.sign_out(current_user._get_current_object(), session.get(sessions.SESSION_KEY),
                      ip=request.remote_addr or "")
    db.session.commit()
    logout_user()
    _restart_session()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/language/<code>", methods=["POST"])
def set_language(code: str):
    target = safe_next(request.form.get("next")) or url_for("dashboard.index")
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
        if current_user.is_authenticated:
            set_locale(current_user._get_current_object(), code)
            db.session.commit()
    return redirect(target)


def _account_page(password_form=None, status: int = 200):
    user = current_user._get_current_object()
    open_sessions = sessions.open_sessions(user, sessions.Lifetimes.from_config(current_app.config))
    return render_template("account/show.html", password_form=password_form or PasswordChangeForm(),
                           open_sessions=open_sessions,
                           this_session=sessions.current_session_id(session.get(sessions.SESSION_KEY))), status


@bp.route("/account")
@login_required
def account():
    return _account_page()


@bp.route("/account/password", methods=["POST"])
@login_required
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            change_own_password(current_user._get_current_object(), form.current_password.data, form.password.data,
                                keep_token=session.get(sessions.SESSION_KEY))
        except DomainError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Your password was changed. Your other sessions have ended."), "success")
            return redirect(url_for("auth.account"))
    return _account_page(form, 200)


@bp.route("/account/sessions/<int:session_id>/end", methods=["POST"])
@login_required
def end_session(session_id: int):
    if session_id == sessions.current_session_id(session.get(sessions.SESSION_KEY)):
        abort(404)  # this browser signs out with the sign-out button
    if not sessions.end_own_session(current_user._get_current_object(), session_id):
        abort(404)
    db.session.commit()
    flash(_("That session has ended."), "success")
    return redirect(url_for("auth.account"))


@bp.route("/account/sessions/end-others", methods=["POST"])
@login_required
def end_other_sessions():
    sessions.end_other_sessions(current_user._get_current_object(), keep_token=session.get(sessions.SESSION_KEY))
    db.session.commit()
    flash(_("Your other sessions have ended."), "success")
    return redirect(url_for("auth.account"))


@bp.route("/account/calendar-token", methods=["POST"])
@login_required
def calendar_token():
    regenerate_calendar_token(current_user._get_current_object())
    db.session.commit()
    flash(_("Your calendar link was created; any earlier link no longer works."), "success")
    return redirect(url_for("auth.account"))
