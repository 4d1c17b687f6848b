"""Sign-in, sign-out and the language switch."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from tracker.audit.services import record
from tracker.auth.forms import LoginForm
from tracker.extensions import db
from tracker.inputs import safe_next as _safe_next
from tracker.users.services import SignInRefused, authenticate, regenerate_calendar_token, set_locale

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = LoginForm()
    target = _safe_next(request.args.get("next")) or url_for("dashboard.index")
    if form.validate_on_submit():
        try:
            user = authenticate(form.username.data, form.password.data, current_app.config,
                                ip=request.remote_addr or "")
        except SignInRefused as refusal:
            db.session.commit()  # the failed attempt is audited and counts toward the lock
            form.password.errors.append(refusal.message)
            return render_template("auth/login.html", form=form), 200
        lang = session.get("lang")
        session.clear()
        if lang:
            session["lang"] = lang
        login_user(user)
        db.session.commit()
        flash(_("Welcome, %(name)s.", name=user.full_name), "success")
        return redirect(target)
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    record(current_user._get_current_object(), "auth.logout", current_user._get_current_object(), "",
           ip=request.remote_addr or "")
    db.session.commit()
    lang = session.get("lang")
    logout_user()
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/language/<code>", methods=["POST"])
def set_language(code: str):
    target = _safe_next(request.form.get("next")) or url_for("dashboard.index")
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
        if current_user.is_authenticated:
            set_locale(current_user._get_current_object(), code)
            db.session.commit()
    return redirect(target)


@bp.route("/account")
@login_required
def account():
    return render_template("account/show.html")


@bp.route("/account/calendar-token", methods=["POST"])
@login_required
def calendar_token():
    regenerate_calendar_token(current_user._get_current_object())
    db.session.commit()
    flash(_("Your calendar link was created; any earlier link no longer works."), "success")
    return redirect(url_for("auth.account"))
