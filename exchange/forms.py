"""The forms members ask, answer, reply and edit with. They check what a form can (required
fields, choices, each file by its content); the services check the rules again."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from exchange.enums import ThreadKind, Visibility, WrittenIn
from exchange.services import attachments_inspect
from mirpal.countries import Country
from mirpal.models import Topic

# "" leaves the language to the server's guess (exchange.markup.language_guess); the thread page
# then says which it took, and its author can change it.
DETECT = ""
LANGUAGE_CHOICES = [
    (DETECT, pgettext_lazy("written in", "Detect from the text")),
    *WrittenIn.choices,
]


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list (empty when none was chosen)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,image/*"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


def _attachments_field() -> MultipleFileField:
    return MultipleFileField(
        label=_("Attachments"),
        help_text=_(
            "PDF documents or pictures (JPEG, PNG, WebP). If the form comes back with an error, "
            "choose the files again."
        ),
    )


class AttachmentsMixin:
    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        attachments_inspect(files)
        return files


class ThreadForm(AttachmentsMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("What is it?"),
        choices=ThreadKind.choices,
        initial=ThreadKind.QUESTION,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        widget=forms.TextInput(attrs={"data-language-source": "id_language"}),
        help_text=_("One sentence: what you would like to know or discuss."),
        error_messages={"required": _("Give your question a title.")},
    )
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 10, "data-language-source": "id_language"}),
        max_length=20_000,
        help_text=_(
            "Markdown: **bold**, *italic*, [a link](https://example.org), lists with “-”. "
            "Say what you have tried and what your country's rules are."
        ),
        error_messages={"required": _("Write the text of your question.")},
    )
    language = forms.ChoiceField(
        label=_("Written in"),
        choices=LANGUAGE_CHOICES,
        required=False,
        initial=DETECT,
        widget=forms.Select(
            attrs={
                "class": "exchange-language",
                "data-detect": LANGUAGE_CHOICES[0][1],
                "data-ru": WrittenIn.RUSSIAN.label,
                "data-en": WrittenIn.ENGLISH.label,
            }
        ),
        help_text=_("Leave “Detect from the text” and the page will say which it took."),
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one topic.")},
    )
    countries = forms.MultipleChoiceField(
        label=_("About countries"),
        choices=Country.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Optional: the countries your question is about."),
    )
    visibility = forms.ChoiceField(
        label=_("Who can read it"),
        choices=Visibility.choices,
        initial=Visibility.MEMBERS,
        widget=forms.RadioSelect,
    )
    attachments = _attachments_field()

    @classmethod
    def for_thread(cls, thread, data=None, files=None) -> ThreadForm:
        """The form to change `thread`, filled with what it says now."""
        return cls(
            data,
            files,
            initial={
                "kind": thread.kind,
                "title": thread.title,
                "body": thread.body,
                "language": thread.language,
                "topics": list(thread.topics.all()),
                "countries": thread.countries,
                "visibility": thread.visibility,
            },
        )


class PostForm(AttachmentsMixin, forms.Form):
    body = forms.CharField(
        label=_("Your answer"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20_000,
        help_text=_("Markdown: **bold**, *italic*, [a link](https://example.org)."),
        error_messages={"required": _("Write your answer before sending it.")},
    )
    language = forms.ChoiceField(
        label=_("Written in"), choices=LANGUAGE_CHOICES, required=False, initial=DETECT
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    attachments = _attachments_field()

    def __init__(self, *args, reply: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if reply:
            self.fields["body"].label = _("Your reply")
            self.fields["body"].widget.attrs["rows"] = 3


class PostEditForm(AttachmentsMixin, forms.Form):
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20_000,
        error_messages={"required": _("The text cannot be empty.")},
    )
    language = forms.ChoiceField(label=_("Written in"), choices=WrittenIn.choices)
    attachments = _attachments_field()
