"""The public FAQ: answered questions, masked of personal data, and their later updates."""

from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import override

from birge.channels.models import Publication, default_announce_channels
from birge.channels.services import publication_create
from birge.core.access import StaffUser
from birge.core.audit import audit_log
from birge.core.models import Topic
from birge.search.services import search_refresh

from ..access import APPEAL_ANSWER, FAQ_PUBLISH, appeal_ensure
from ..models import Answer, Appeal, AppealEvent, FaqEntry
from ..search import FAQ_KIND
from ..tasks import answer_updated_notify_task, faq_index_task


def personal_data_present(text: str, language: str) -> bool:
    from birge.redaction.detect import personal_data_find

    return bool(personal_data_find(text, language=language))


def _ensure_publish(actor: StaffUser, appeal: Appeal) -> None:
    appeal_ensure(actor, FAQ_PUBLISH, appeal)


@transaction.atomic
def faq_publish(
    *,
    officer: StaffUser,
    answer: Answer,
    question: str,
    answer_text: str,
    language: str,
    topic: Topic | None,
) -> FaqEntry:
    """Publish the officer-confirmed, masked question and answer in one language.

    Refused while the texts still contain personal data the detector finds.
    """
    appeal = answer.appeal
    _ensure_publish(officer, appeal)
    if answer.published_at is None:
        raise ValidationError(_("Only a published answer can go to the FAQ."))
    for field, text in (("question", question), ("answer_text", answer_text)):
        if personal_data_present(text, language):
            raise ValidationError(
                {field: _("This text still contains personal data. Mask it before publishing.")}
            )
    entry = FaqEntry.objects.filter(answer=answer, language=language).first() or FaqEntry(
        appeal=appeal, answer=answer, language=language, published_by=officer
    )
    entry.topic = topic
    entry.agency = answer.agency
    entry.question = question.strip()
    entry.answer_text = answer_text.strip()
    entry.is_published = True
    entry.full_clean(exclude=["search_text"])
    entry.save()
    audit_log(actor=officer, action="appeals.faq.published", target=entry, agency=answer.agency)
    search_refresh(kind=FAQ_KIND, keys=[entry.pk])
    entry_id = entry.pk
    transaction.on_commit(lambda: faq_index_task.enqueue(entry_id=entry_id))
    _faq_announce(entry, actor=officer)
    return entry


def _faq_announce(entry: FaqEntry, *, actor: StaffUser) -> None:
    """A new answer in the FAQ, or an answer updated there, goes to the channels once."""
    with override(entry.language):
        url = f"{reverse('appeals:faq')}#faq-{entry.pk}"
        agency = str(entry.agency.name) if entry.agency_id else ""
    publication_create(
        kind=Publication.Kind.FAQ_ANSWER,
        source_kind="appeals.faq",
        source_key=f"{entry.pk}:{entry.answer_id}",
        texts={
            entry.language: {
                "title": Truncator(entry.question).chars(200),
                "summary": Truncator(entry.answer_text).chars(600),
                "url": url,
                "agency": agency,
            }
        },
        channels=default_announce_channels(),
        topics=[entry.topic] if entry.topic is not None else [],
        actor=actor,
    )


@transaction.atomic
def answer_update(
    *, officer: StaffUser, answer: Answer, text: str, faq_answer_text: str = ""
) -> Answer:
    """Mark `answer` outdated (a rule changed) and publish the update; everyone who asked the
    question, merged askers included, is told after commit."""
    appeal = answer.appeal
    appeal_ensure(officer, APPEAL_ANSWER, appeal)
    if answer.published_at is None or answer.outdated_at is not None:
        raise ValidationError(_("Only the current published answer can be updated."))
    now = timezone.now()
    answer.outdated_at = now
    answer.save(update_fields=["outdated_at"])
    update = Answer(
        appeal=appeal,
        kind=answer.kind,
        legal_ground=answer.legal_ground,
        text=text,
        language=answer.language,
        author=officer,
        agency=answer.agency,
        approved_by=officer,
        approved_at=now,
        published_at=now,
    )
    update.full_clean()
    update.save()
    if faq_answer_text:
        if personal_data_present(faq_answer_text, answer.language):
            raise ValidationError({"faq_answer_text": _("This text still contains personal data.")})
        for entry in FaqEntry.objects.filter(answer=answer):
            entry.answer = update
            entry.answer_text = faq_answer_text.strip()
            entry.updated_at = now
            entry.save()
            entry_id = entry.pk
            transaction.on_commit(partial(faq_index_task.enqueue, entry_id=entry_id))
            search_refresh(kind=FAQ_KIND, keys=[entry_id])
            _faq_announce(entry, actor=officer)
    askers = [appeal, *appeal.duplicates.all()]
    for asker in askers:
        AppealEvent.objects.create(
            appeal=asker, kind=AppealEvent.Kind.ANSWER_UPDATED, agency=answer.agency, actor=officer
        )
    audit_log(actor=officer, action="appeals.answer.updated", target=update, agency=answer.agency)
    ids = [a.pk for a in askers]
    transaction.on_commit(lambda: answer_updated_notify_task.enqueue(appeal_ids=ids))
    return update
