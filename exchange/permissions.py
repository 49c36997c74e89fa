"""Who may do what in the peer exchange: approved members write and read members-only threads;
the secretariat's moderators (exchange.moderate_exchange) also moderate."""

from members.permissions import is_member

MODERATE_EXCHANGE = "exchange.moderate_exchange"


def can_moderate(user) -> bool:
    return user.is_authenticated and user.has_perm(MODERATE_EXCHANGE)


def can_write(user) -> bool:
    """Approved members (and the secretariat) start threads and answer."""
    return is_member(user)


def can_read_members_only(user) -> bool:
    return is_member(user)
