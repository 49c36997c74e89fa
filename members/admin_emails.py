"""Members' email addresses in the admin pages that staff without the permission open (editors:
registrations, attendance, the roster and its requests). There an account is named by
User.__str__, which never shows the address; searching by address is left out as well, since a
search that finds someone tells the searcher whose address it is."""

from members.permissions import sees_member_emails


class MemberEmailSearchMixin:
    """Drops the search fields that reach a member's email through a relation ("user__email",
    "requester__email") for staff who may not see members' addresses."""

    def get_search_fields(self, request):
        fields = super().get_search_fields(request)
        if sees_member_emails(request.user):
            return fields
        return [name for name in fields if not name.endswith("__email")]
