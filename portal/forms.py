from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from library.pdf import image_inspect
from mirpal.stored_files import StoredFileLinksMixin, StoredFileWidget
from portal.models import Supporter


class SupporterAdminForm(StoredFileLinksMixin, forms.ModelForm):
    """The secretariat's form for a partner or donor; a new logo is checked by its content (a
    JPEG, PNG or WebP picture within the upload limit), as a magazine cover is."""

    url = forms.URLField(label=_("web address"), required=False, assume_scheme="https")

    class Meta:
        model = Supporter
        fields = ["name_en", "name_ru", "kind", "url", "logo", "position", "is_shown"]
        # Uploads are not served from MEDIA_URL: the current logo links to the portal's view.
        widgets = {"logo": StoredFileWidget}

    file_views = {"logo": ("supporter_logo", "pk")}

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and "logo" in self.changed_data:
            try:
                extension = image_inspect(logo)
            except ValidationError as error:
                raise ValidationError(error.messages) from error
            logo.name = f"logo.{extension}"
        return logo
