"""What a browser would post from a form on a page, to check that the page's form posts what its view
needs (a template that leaves out a required input is caught here, not by a user)."""

from html.parser import HTMLParser


class _FormFields(HTMLParser):
    def __init__(self, action: str):
        super().__init__()
        self.action = action
        self.found = False
        self.inside = False
        self.fields: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("action", "") == self.action
            self.found = self.found or self.inside
            return
        if not self.inside or "disabled" in attrs:
            return
        name = attrs.get("name")
        value = attrs.get("value") or ""
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.fields.setdefault(name, []).append(value if "value" in attrs else "on")
            elif kind not in {"submit", "button", "file"}:
                self.fields[name] = [value]
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select:
            # The first option unless another is selected (every option here has a value).
            if "selected" in attrs or self._select not in self.fields:
                self.fields[self._select] = [value]
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = [""]

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self.fields[self._textarea][0] = self.fields[self._textarea][0].removeprefix("\n")
            self._textarea = None


def form_fields(html: str, action: str) -> dict[str, list[str]]:
    """The fields the form posting to ``action`` ("" for the page itself) sends as it stands."""
    parser = _FormFields(action)
    parser.feed(html)
    assert parser.found, f"no form posts to {action!r}"
    return parser.fields


def filled(fields: dict[str, list[str]], values: dict) -> dict:
    """The fields with some filled in: single values, or lists for checkboxes."""
    data = {name: list(v) for name, v in fields.items()}
    for name, value in values.items():
        data[name] = value if isinstance(value, list) else [value]
    data.pop("csrfmiddlewaretoken", None)
    return data
