"""The quarter page's search box, written in Python, gives Django's own markup, byte for byte."""

from __future__ import annotations

import pytest
from django import forms
from django.utils.safestring import mark_safe

from indicators.forms import QuarterFilterForm, QuickTextInput

HOSTILE = '"><script>alert("x")</script>&'


@pytest.mark.parametrize(
    ("value", "attrs"),
    [
        (None, {}),
        ("", {"maxlength": "100"}),
        ("ofsted 2", {"maxlength": "100", "class": "govuk-input", "id": "id_search"}),
        (HOSTILE, {"class": "govuk-input", "aria-describedby": HOSTILE}),
        (mark_safe("<b>"), {"title": mark_safe("<i>")}),  # a safe string is escaped all the same, as stringformat does
        (12, {"required": True, "maxlength": False, "data-empty": None, "z-first": "1", "a-last": "2"}),
    ],
)
def test_quick_text_input_writes_djangos_markup(value, attrs):
    assert QuickTextInput().render("search", value, attrs) == forms.TextInput().render("search", value, attrs)


def test_the_search_field_keeps_the_searched_words_escaped():
    form = QuarterFilterForm({"search": HOSTILE}, themes=[])
    html = str(form["search"])
    assert "<script>" not in html and 'value="&quot;&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;"' in html
