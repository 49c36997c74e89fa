from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand

# Beside each django.po: Russian for third-party strings (allauth's, Django's) that makemessages
# never extracts and so would drop from django.po; compiled into the same django.mo.
OVERRIDES = "overrides.po"


class Command(BaseCommand):
    help = "Compile the .po catalogues to .mo with polib, so that no GNU gettext is needed."

    def handle(self, *args, **options):
        compiled = 0
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in Path(locale_dir).glob("*/LC_MESSAGES/django.po"):
                overrides_path = po_path.with_name(OVERRIDES)
                sources = [path for path in (po_path, overrides_path) if path.exists()]
                mo_path = po_path.with_suffix(".mo")
                newest = max(path.stat().st_mtime for path in sources)
                if mo_path.exists() and mo_path.stat().st_mtime >= newest:
                    continue
                catalogue = polib.pofile(str(po_path))
                if overrides_path.exists():
                    known = {(entry.msgctxt, entry.msgid) for entry in catalogue}
                    for entry in polib.pofile(str(overrides_path)):
                        if (entry.msgctxt, entry.msgid) not in known:
                            catalogue.append(entry)
                catalogue.save_as_mofile(str(mo_path))
                compiled += 1
        self.stdout.write(f"compiled {compiled} catalogue(s)")
