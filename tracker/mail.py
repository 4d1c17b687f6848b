"""Sending e-mail: through SMTP when MAIL_SERVER is set, otherwise into an outbox folder."""
import smtplib
import uuid
from email import policy
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path


def build_message(config, to: list[str], subject: str, body: str, cc: list[str] | None = None) -> EmailMessage:
    # Long lines instead of folded ones: Python's folding can drop the space between two
    # encoded Vietnamese words ("Vỹ Dạ" -> "VỹDạ").
    message = EmailMessage(policy=policy.SMTP.clone(max_line_length=998))
    message["From"] = config["MAIL_SENDER"]
    message["To"] = ", ".join(to)
    if cc:
        message["Cc"] = ", ".join(cc)
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain="thidua-khenthuong")
    message.set_content(body, charset="utf-8")
    return message


def send(config, message: EmailMessage) -> str:
    """Deliver `message`; returns where it went ("smtp" or the outbox file's path).

    Raises RuntimeError when there is neither an SMTP server nor an outbox folder.
    """
    if config.get("MAIL_SERVER"):
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
        return "smtp"
    if not config.get("MAIL_OUTBOX"):
        raise RuntimeError("Set MAIL_SERVER or MAIL_OUTBOX to send e-mail.")
    outbox = Path(config["MAIL_OUTBOX"])
    outbox.mkdir(parents=True, exist_ok=True)
    path = outbox / f"{uuid.uuid4().hex}.eml"
    path.write_bytes(message.as_bytes())
    return str(path)
