"""{{ zone|zone_label }}: a ZoneInfo, a ViewerZone or an IANA name as people name it."""

from django import template

from mirpal.timezones import zone_label as _zone_label

register = template.Library()


@register.filter
def zone_label(zone) -> str:
    """“Bishkek time, UTC+6” in the page's language, with the offset in force now."""
    if not zone:
        return ""
    return _zone_label(getattr(zone, "zone", zone))
