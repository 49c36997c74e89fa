"""The peer exchange in a real browser: a member reading the site in Russian asks through the
form, a colleague reading it in English answers, and the first marks the answer that helped.

Until the lead merges this issue's Russian catalogue, the new strings of these pages show in
English on the Russian page; this test checks the page's language by <html lang>, the texts the
members wrote, and the controls by their place, not by their new labels."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from exchange.models import Post, Thread
from mirpal.models import Topic
from tests.browser.test_journeys import log_in, shoot
from tests.factories.members import ProfileFactory

TITLE = "Как вы регистрируете сезонных работников?"
BODY = "Мы готовим новую процедуру и хотим узнать, как это устроено у коллег."
ANSWER = "In Moldova seasonal workers register online within three days."


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_russian_member_asks_an_english_member_answers_and_the_answer_is_marked(
    browser, live_server, screenshots
):
    base = live_server.url
    asker = ProfileFactory(
        user__email="nodira@example.org", user__first_name="Нодира", user__last_name="Каримова",
        country="TJ", mail_language="ru",
    ).user  # fmt: skip
    answerer = ProfileFactory(
        user__email="ion@example.org", user__first_name="Ion", user__last_name="Rusu",
        country="MD", mail_language="en",
    ).user  # fmt: skip
    topic = Topic.objects.order_by("position", "slug").first()

    # Nodira, in Russian, asks.
    nodira = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(nodira, base, email=asker.email, language="ru")
    nodira.goto(f"{base}/discussions/ask/")
    expect(nodira.locator("html")).to_have_attribute("lang", "ru")
    form = nodira.locator("main form.exchange-thread-form")
    form.locator("input[name=title]").fill(TITLE)
    form.locator("textarea[name=body]").fill(BODY)
    # The select names the language the text looks like, before anything is sent.
    expect(form.locator("select[name=language] option[value='']")).to_contain_text("(")
    form.locator(f"input[name=topics][value='{topic.pk}']").check()
    form.locator("input[name=countries][value=TJ]").check()
    expect(form.locator(f"label:has(input[name=topics][value='{topic.pk}'])")).to_contain_text(
        topic.name_ru
    )
    form.locator("button[type=submit]").click()

    thread = Thread.objects.get()
    nodira.wait_for_url(f"{base}/discussions/{thread.pk}/")
    expect(nodira.locator("h1")).to_have_text(TITLE)
    expect(nodira.locator(".exchange-opening .exchange-body")).to_have_text(BODY)
    assert (thread.author_id, thread.language, thread.countries) == (asker.pk, "ru", ["TJ"])
    shoot(nodira, screenshots, "ru-exchange-asked")

    # Ion, in English, finds it and answers.
    ion = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(ion, base, email=answerer.email, language="en")
    ion.goto(f"{base}/discussions/{thread.pk}/")
    expect(ion.locator("html")).to_have_attribute("lang", "en")
    expect(ion.locator("h1")).to_have_text(TITLE)
    expect(ion.locator(".exchange-written-in")).to_have_text("Russian")
    expect(ion.locator(".exchange-opening .exchange-byline")).to_contain_text("Нодира Каримова")
    ion.locator("#post-answer-body").fill(ANSWER)
    ion.locator("#post-answer-body").locator("xpath=ancestor::form").locator(
        "button[type=submit]"
    ).click()
    post = Post.objects.get()
    ion.wait_for_url(f"{base}/discussions/{thread.pk}/#post-{post.pk}")
    expect(ion.locator(f"#post-{post.pk} .exchange-body")).to_have_text(ANSWER)
    expect(ion.locator("#answers-title")).to_have_text("1 answer")
    expect(ion.locator(f"#post-{post.pk} form[action$='/accept/']")).to_have_count(0)

    # Nodira sees the answer and marks it as the one that helped.
    nodira.goto(f"{base}/discussions/{thread.pk}/")
    expect(nodira.locator("html")).to_have_attribute("lang", "ru")
    expect(nodira.locator(f"#post-{post.pk} .exchange-body")).to_have_text(ANSWER)
    expect(nodira.locator(f"#post-{post.pk} .exchange-byline")).to_contain_text("Ion Rusu")
    nodira.locator(f"#post-{post.pk} form[action$='/accept/'] button").click()
    nodira.wait_for_url(f"{base}/discussions/{thread.pk}/#post-{post.pk}")
    expect(nodira.locator(f"#post-{post.pk} .exchange-accepted-mark")).to_be_visible()
    thread.refresh_from_db()
    assert thread.accepted_answer_id == post.pk
    shoot(nodira, screenshots, "ru-exchange-marked")

    # Ion sees his answer marked.
    ion.goto(f"{base}/discussions/{thread.pk}/")
    expect(ion.locator(f"#post-{post.pk} .exchange-accepted-mark")).to_have_text(
        "✓ The answer that helped the asker"
    )
    expect(ion.locator(".badge.approved")).to_have_text("Answered")
