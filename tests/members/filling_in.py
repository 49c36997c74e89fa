"""A form as the browser would submit it unchanged: every named field of the page's form with the
value it shows (text and hidden inputs, ticked boxes, chosen options, text areas; no files), so a
test changes only what a person would change."""

from __future__ import annotations

from html.parser import HTMLParser

from django.test import Client


class _FormValues(HTMLParser):
    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.values: list[tuple[str, str]] = []
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
            return
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and "disabled" not in attrs:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.values.append((name, attrs.get("value") or "on"))
            elif kind not in ("file", "submit", "button", "image", "reset"):
                self.values.append((name, attrs.get("value") or ""))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.values.append((self._select, attrs.get("value") or ""))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # The browser drops the one newline that follows <textarea>.
            text = "".join(self._text)
            self.values.append((self._textarea, text[1:] if text.startswith("\n") else text))
            self._textarea = None


def form_values(html: str, form_id: str) -> dict[str, str | list[str]]:
    parser = _FormValues(form_id)
    parser.feed(html)
    values: dict[str, str | list[str]] = {}
    for name, value in parser.values:
        if name in values:
            previous = values[name]
            values[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            values[name] = value
    return values


def admin_change(client: Client, url: str, form_id: str, **changes):
    """Open an admin change page, change these fields and save, as the secretariat would."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    data = {**form_values(page.content.decode(), form_id), **changes}
    data = {name: value for name, value in data.items() if value is not None}
    saved = client.post(url, data)
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    return saved
