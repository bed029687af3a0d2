"""What the bot says, in the active language: Telegram HTML and inline keyboards.

Every text goes through html_text (a citizen's own words included), every URL is absolute, and
a button's data is at most "name:value", well inside Telegram's 64 bytes.
"""

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from birge.appeals.models import Appeal
from birge.appeals.notify import tracking_url
from birge.channels.telegram import html_link, html_text, text_fit
from birge.channels.transports import absolute_url
from birge.claims.services import CheckOutcome
from birge.core.models import Region, Topic
from birge.core.selectors import emergency_contacts
from birge.stats.selectors import headlines_latest
from birge.stats.templatetags.stats_format import grouped

Buttons = list[list[dict[str, str]]]

LANGUAGE_BUTTONS: Buttons = [
    [
        {"text": "Қазақша", "callback_data": "lang:kk"},
        {"text": "Русский", "callback_data": "lang:ru"},
        {"text": "English", "callback_data": "lang:en"},
    ]
]
# Shown before a language is chosen, so it is in all three.
LANGUAGE_PROMPT = "Тілді таңдаңыз · Выберите язык · Choose your language"
QUOTE_LIMIT = 500
MATCHES_SHOWN = 3


@dataclass(frozen=True)
class Reply:
    html: str
    buttons: Buttons | None = None

    @property
    def title(self) -> str:
        """The reply's first words as plain text, for the staff's list of deliveries."""
        return html.unescape(strip_tags(self.html)).strip()[:200]


def _button(text: str, data: str) -> dict[str, str]:
    return {"text": text, "callback_data": data}


def _url_button(text: str, url: str) -> dict[str, str]:
    return {"text": text, "url": absolute_url(url)}


def _menu_buttons() -> Buttons:
    return [
        [_button(_("Ask a question"), "ask"), _button(_("Check a rumour"), "check")],
        [_button(_("Latest figures"), "figures"), _button(_("Emergency numbers"), "numbers")],
        [_button(_("Subscribe to news"), "subscribe"), _button(_("Language"), "language")],
    ]


def _pairs(buttons: list[dict[str, str]]) -> Buttons:
    return [buttons[start : start + 2] for start in range(0, len(buttons), 2)]


def _quote(text: str) -> str:
    return f"<blockquote>{html_text(text_fit(text, QUOTE_LIMIT))}</blockquote>"


def language_choice() -> Reply:
    return Reply(html_text(LANGUAGE_PROMPT), LANGUAGE_BUTTONS)


def welcome() -> Reply:
    return Reply(
        "<b>{}</b>\n\n{}".format(
            html_text(_("Official information on the emergency, from the state bodies.")),
            html_text(
                _(
                    "Ask a question and the responsible agency answers you here. Forward me a "
                    "message you doubt and I tell you what fact-checkers found. Or choose below."
                )
            ),
        ),
        _menu_buttons(),
    )


def menu() -> Reply:
    return Reply(html_text(_("What would you like to do?")), _menu_buttons())


def cancelled() -> Reply:
    return Reply(html_text(_("Cancelled. Nothing was sent.")), _menu_buttons())


def failure() -> Reply:
    return Reply(
        html_text(
            _(
                "Something went wrong on our side and your message was not handled. Please "
                "send it again in a few minutes."
            )
        ),
        _menu_buttons(),
    )


def edited() -> Reply:
    return Reply(
        html_text(
            _("I only read new messages, not edits. Send the corrected text as a new message.")
        )
    )


def media() -> Reply:
    return Reply(
        html_text(
            _(
                "I can only read text. Write your question, or forward or paste the text of the "
                "message you want checked."
            )
        ),
        _menu_buttons(),
    )


def unknown_command() -> Reply:
    return Reply(
        html_text(_("I do not know this command. Here is what I can do:")), _menu_buttons()
    )


def use_buttons() -> Reply:
    return Reply(
        html_text(_("Choose with the buttons above, or send /cancel to stop.")),
        [[_button(_("Cancel"), "cancel")]],
    )


def too_long(length: int, limit: int) -> Reply:
    return Reply(
        html_text(
            _("This message is too long (%(length)s characters). Send at most %(limit)s.")
            % {"length": grouped(length), "limit": grouped(limit)}
        )
    )


def what_to_do(text: str) -> Reply:
    return Reply(
        "{}\n{}".format(_quote(text), html_text(_("What should I do with this message?"))),
        [
            [_button(_("Check it as a rumour"), "draft:check")],
            [_button(_("Send it as a question"), "draft:ask")],
        ],
    )


# --- Questions --------------------------------------------------------------------------------


def region_choice(*, prefix: str, with_all: bool, current: Region | None = None) -> Reply:
    regions = list(Region.objects.all())
    if current is not None:
        regions.sort(key=lambda region: region.pk != current.pk)
    buttons = [_button(region.name, f"{prefix}:{region.pk}") for region in regions]
    if with_all:
        buttons.insert(0, _button(_("All regions"), f"{prefix}:all"))
    rows = [*_pairs(buttons), [_button(_("Cancel"), "cancel")]]
    if prefix == "qr":
        prompt = _("Which region is your question about?")
    else:
        prompt = _("News about which region should I send you?")
    return Reply(html_text(prompt), rows)


def question_prompt() -> Reply:
    return Reply(
        html_text(
            _(
                "Write your question in one message. Do not write personal data you do not "
                "want the agency to see."
            )
        ),
        [[_button(_("Cancel"), "cancel")]],
    )


def question_too_short(minimum: int) -> Reply:
    return Reply(
        html_text(
            ngettext(
                "The question is too short: write at least %(count)s character.",
                "The question is too short: write at least %(count)s characters.",
                minimum,
            )
            % {"count": minimum}
        )
    )


def question_confirm(text: str, region: Region) -> Reply:
    return Reply(
        "{}\n{}\n\n{}".format(
            _quote(text),
            html_text(_("Region: %(region)s") % {"region": region.name}),
            html_text(
                _(
                    "When you press “Send”, the question is registered and this chat is kept so "
                    "that the agency's answer comes here. Your question may be published "
                    "without your name if many people ask the same."
                )
            ),
        ),
        [
            [_button(_("Send"), "send")],
            [_button(_("Change the region"), "draft:ask")],
            [_button(_("Cancel"), "cancel")],
        ],
    )


def question_registered(appeal: Appeal) -> Reply:
    return Reply(
        "{}\n\n{}\n\n{}".format(
            "<b>{}</b>".format(
                html_text(
                    _("Your question is registered: %(code)s") % {"code": appeal.tracking_code}
                )
            ),
            html_text(
                _(
                    "The responsible agency will answer by %(date)s. The answer will come in "
                    "this chat."
                )
                % {"date": date_format(timezone.localtime(appeal.due_at), "DATE_FORMAT")}
            ),
            html_link(tracking_url(appeal), _("Follow your question")),
        ),
        _menu_buttons(),
    )


def question_invalid(messages: Sequence[str]) -> Reply:
    return Reply(
        "{}\n{}".format(
            html_text(_("The question could not be registered:")),
            "\n".join(f"• {html_text(message)}" for message in messages),
        ),
        [[_button(_("Cancel"), "cancel")]],
    )


def questions_unavailable() -> Reply:
    return Reply(
        "{} {}".format(
            html_text(_("Questions cannot be sent through the bot right now. Ask on the portal:")),
            html_link(absolute_url(reverse("appeals:ask")), _("Ask a question")),
        ),
        _menu_buttons(),
    )


def too_many_questions() -> Reply:
    return Reply(
        html_text(
            _("You have sent many questions in the last hour. Please wait before sending another.")
        ),
        _menu_buttons(),
    )


# --- Rumours ----------------------------------------------------------------------------------


def rumour_prompt() -> Reply:
    return Reply(
        html_text(_("Forward me the message you doubt, or paste its text.")),
        [[_button(_("Cancel"), "cancel")]],
    )


def rumour_too_short(minimum: int) -> Reply:
    return Reply(
        html_text(
            ngettext(
                "This is too short to check: send at least %(count)s character.",
                "This is too short to check: send at least %(count)s characters.",
                minimum,
            )
            % {"count": minimum}
        )
    )


def too_many_checks() -> Reply:
    return Reply(
        html_text(_("You have checked many messages in a few minutes. Please wait a little."))
    )


def rumour_outcome(outcome: CheckOutcome) -> Reply:
    if outcome.report is not None:
        return Reply(
            "<b>{}</b>\n{}\n\n{}\n\n{}".format(
                html_text(_("We'll check it")),
                html_text(
                    _("No checked claim matches this message yet. Fact-checkers will look at it.")
                ),
                html_text(
                    _("Your reference number: %(reference)s")
                    % {"reference": outcome.report.reference}
                ),
                html_link(absolute_url(reverse("claims:list")), _("Rumours already checked")),
            ),
            _menu_buttons(),
        )
    same = outcome.matches[0].match == "same_claim"
    heading = _("This has been checked") if same else _("Claims that may be related")
    parts = [f"<b>{html_text(heading)}</b>"]
    for match in outcome.matches[:MATCHES_SHOWN]:
        wording = match.translation.wording if match.translation else match.claim.wording
        explanation = match.translation.explanation if match.translation else ""
        verdict = html_text(match.claim.get_verdict_display())
        lines = [f"<b>{verdict}</b>: {html_text(text_fit(wording, 200))}"]
        if explanation:
            lines.append(html_text(text_fit(explanation, 400)))
        lines.append(
            html_link(
                absolute_url(reverse("claims:detail", args=[match.claim.pk])),
                _("The fact-checkers' verdict"),
            )
        )
        parts.append("\n".join(lines))
    buttons = _menu_buttons()
    if not same:
        buttons = [[_button(_("None of these: send it to the fact-checkers"), "draft:report")]]
    return Reply("\n\n".join(parts), buttons)


# --- Figures and numbers ----------------------------------------------------------------------


def _figures_block(heading: str, release: Any, headlines: list[Any]) -> list[str]:
    lines = [f"<b>{html_text(heading)}</b>"]
    for headline in headlines:
        line = f"{html_text(headline.indicator.name)}: <b>{grouped(headline.value)}</b>"
        if headline.new is not None:
            line += " ({})".format(
                html_text(_("%(new)s new in the day") % {"new": grouped(headline.new)})
            )
        lines.append(line)
    day = max(headline.date for headline in headlines)
    lines.append(
        html_text(
            _("As of %(date)s. Source: %(source)s.")
            % {"date": date_format(day, "DATE_FORMAT"), "source": release.source}
        )
    )
    return lines


def figures(region: Region | None = None) -> Reply:
    """The latest release's headline figures: the chat's region first when it has figures of
    its own (a region formed after 2020 has none), then the country."""
    release, headlines = headlines_latest()
    if release is None or not headlines:
        return Reply(
            html_text(
                _(
                    "No figures have been published yet. When the responsible body publishes a "
                    "release, I can show its figures."
                )
            ),
            _menu_buttons(),
        )
    blocks = []
    if region is not None and region.kind != Region.Kind.COUNTRY:
        region_release, region_headlines = headlines_latest(region_code=region.code)
        if region_release is not None and region_headlines:
            heading = _("Official figures, %(region)s") % {"region": region.name}
            blocks.append(_figures_block(heading, region_release, region_headlines))
    blocks.append(_figures_block(_("Official figures, Kazakhstan"), release, headlines))
    link = html_link(absolute_url(reverse("stats:dashboard")), _("All figures by region"))
    return Reply("\n\n".join("\n".join(block) for block in blocks) + "\n\n" + link, _menu_buttons())


def numbers() -> Reply:
    contacts = emergency_contacts()
    if not contacts:
        return Reply(html_text(_("Call 112 in an emergency.")), _menu_buttons())
    language = (get_language() or "kk")[:2]
    lines = [f"<b>{html_text(_('Emergency numbers'))}</b>"]
    for contact in contacts:
        name = contact.get(f"name_{language}") or contact["name_kk"]
        lines.append(f"<b>{html_text(contact['number'])}</b> — {html_text(name)}")
    return Reply("\n".join(lines), _menu_buttons())


# --- Subscriptions ----------------------------------------------------------------------------


def topic_choice() -> Reply:
    buttons = [_button(_("All topics"), "st:all")] + [
        _button(topic.name, f"st:{topic.pk}") for topic in Topic.objects.all()
    ]
    return Reply(html_text(_("Which topic?")), [*_pairs(buttons), [_button(_("Cancel"), "cancel")]])


def subscribed(regions: Sequence[Region], topics: Sequence[Topic]) -> Reply:
    region = regions[0].name if regions else _("all regions")
    topic = topics[0].name if topics else _("all topics")
    return Reply(
        html_text(
            _("Subscribed: official news about %(region)s, %(topic)s. Send /unsubscribe to stop.")
            % {"region": region, "topic": topic}
        ),
        [[_button(_("Unsubscribe"), "unsubscribe")], [_button(_("Menu"), "menu")]],
    )


def unsubscribed(was_subscribed: bool) -> Reply:
    if was_subscribed:
        text = _("You will not receive news from me any more. Questions and checks still work.")
    else:
        text = _("You were not subscribed to news.")
    return Reply(html_text(text), _menu_buttons())
