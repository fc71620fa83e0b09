"""One-click unsubscribe from forum emails (RFC 8058).

Every forum email carries a link `/forums/unsubscribe/<token>/` and the headers
`List-Unsubscribe` and `List-Unsubscribe-Post`. The token is the recipient's id signed
with the project's secret under a salt of its own: it needs no expiry (turning emails
off is harmless and can be undone on the preferences page) but cannot be forged or
changed to another person's id. It works without signing in, and it can only turn off
the emails of the person it was made for.
"""

from django.core import signing
from django.urls import reverse

from forums.notification_selectors import site_url

SALT = "forums.unsubscribe"


def token_for(*, user_id: int) -> str:
    return signing.dumps(user_id, salt=SALT)


def user_id_from(token: str) -> int | None:
    """The id the token was made for, or None when it was not made here."""
    try:
        value = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def unsubscribe_url(*, user_id: int) -> str:
    """The absolute one-click link for the person's emails."""
    return site_url(reverse("forum_unsubscribe", kwargs={"token": token_for(user_id=user_id)}))


def email_headers(*, user_id: int) -> dict[str, str]:
    """The RFC 2369 / RFC 8058 headers every forum email carries."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(user_id=user_id)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
