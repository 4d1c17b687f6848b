"""Sign-in, sign-out and the language switch."""
from flask import (Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, session,
                   url_for)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from tracker import clock
from tracker.auth.forms import LoginForm, PasswordChangeForm, TokenForm
from tracker.forms_base import choices
from tracker.permissions import can_revoke_token, get_by_id, require
from tracker.tokens import services as tokens
from tracker.tokens.labels import TOKEN_SCOPE_LABELS
from tracker.tokens.models import ApiToken, TokenScope
from tracker.auth.services import SignInRefused, SignInThrottled, authenticate
from tracker.outcome import attempt, done
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

        def sign_in():
            user = authenticate(form.username.data, form.password.data, current_app.config, throttle(), ip=ip)
            _restart_session()
            session[sessions.SESSION_KEY] = sessions.start_session(user, ip=ip, user_agent=agent)
            login_user(user)
            return user

        # A refused attempt is committed: its audit row is what the next throttling decision reads.
        outcome = attempt(sign_in, form, commit_refusals=(SignInRefused,))
        if outcome.ok:
            return done(_("Welcome, %(name)s.", name=outcome.value.full_name), target)
        response = make_response(render_template("auth/login.html", form=form), outcome.status)
        if isinstance(outcome.error, SignInThrottled):
            response.headers["Retry-After"] = str(outcome.error.retry_after)
        return response
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    token = session.get(sessions.SESSION_KEY)
    attempt(lambda: sessions.sign_out(current_user._get_current_object(), token, ip=request.remote_addr or ""))
    logout_user()
    _restart_session()
    return done(_("You have signed out."), url_for("auth.login"), "info")


@bp.route("/language/<code>", methods=["POST"])
def set_language(code: str):
    target = safe_next(request.form.get("next")) or url_for("dashboard.index")
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
        if current_user.is_authenticated:
            attempt(lambda: set_locale(current_user._get_current_object(), code))
    return redirect(target)


def _token_form(form=None) -> TokenForm:
    form = form or TokenForm(formdata=None, data={"scope": TokenScope.READ.value, "days": 90})
    form.scope.choices = choices((scope.value, TOKEN_SCOPE_LABELS[scope]) for scope in TokenScope)
    form.days.choices = choices((days, _("%(n)s days", n=days)) for days in tokens.LIFETIMES)
    return form


def _account_page(password_form=None, status: int = 200, token_form=None, new_secret: str | None = None):
    user = current_user._get_current_object()
    open_sessions = sessions.open_sessions(user, sessions.Lifetimes.from_config(current_app.config))
    return render_template("account/show.html", password_form=password_form or PasswordChangeForm(),
                           open_sessions=open_sessions, token_form=_token_form(token_form),
                           tokens=tokens.tokens_of(user), now=clock.now(), new_secret=new_secret,
                           scope_labels=TOKEN_SCOPE_LABELS,
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
        if attempt(lambda: change_own_password(current_user._get_current_object(), form.current_password.data,
                                               form.password.data, keep_token=session.get(sessions.SESSION_KEY)),
                   form).ok:
            return done(_("Your password was changed. Your other sessions have ended."), url_for("auth.account"))
    return _account_page(form, 200)


@bp.route("/account/sessions/<int:session_id>/end", methods=["POST"])
@login_required
def end_session(session_id: int):
    if session_id == sessions.current_session_id(session.get(sessions.SESSION_KEY)):
        abort(404)  # this browser signs out with the sign-out button
    if not attempt(lambda: sessions.end_own_session(current_user._get_current_object(), session_id)).value:
        abort(404)
    return done(_("That session has ended."), url_for("auth.account"))


@bp.route("/account/sessions/end-others", methods=["POST"])
@login_required
def end_other_sessions():
    attempt(lambda: sessions.end_other_sessions(current_user._get_current_object(),
                                                keep_token=session.get(sessions.SESSION_KEY)))
    return done(_("Your other sessions have ended."), url_for("auth.account"))


@bp.route("/account/tokens", methods=["POST"])
@login_required
def create_token():
    """A new personal access token; its secret is shown on this answer only (never stored)."""
    form = _token_form(TokenForm())
    if form.validate_on_submit():
        scope = next((s for s in TokenScope if s.value == form.scope.data), None)
        outcome = attempt(lambda: tokens.create_token(current_user._get_current_object(), form.name.data, scope,
                                                      form.days.data), form)
        if outcome.ok:
            _token, secret = outcome.value
            flash(_("Your token was made. Copy it now: it is not shown again."), "success")
            return _account_page(new_secret=secret)
        return _account_page(token_form=form, status=outcome.status)
    return _account_page(token_form=form)


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id: int):
    token = get_by_id(ApiToken, token_id)
    if token is None or token.user_id != current_user.id:
        abort(404)
    require(can_revoke_token(current_user, token))
    attempt(lambda: tokens.revoke_token(current_user._get_current_object(), token))
    return done(_("The token was revoked: it no longer works."), url_for("auth.account") + "#tokens")


@bp.route("/account/calendar-token", methods=["POST"])
@login_required
def calendar_token():
    attempt(lambda: regenerate_calendar_token(current_user._get_current_object()))
    return done(_("Your calendar link was created; any earlier link no longer works."), url_for("auth.account"))
