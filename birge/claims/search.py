"""Published claims in the site search (birge.search): one document per translation.

Reads only: the claims' services refresh the site search after each change to a claim.
"""

from collections.abc import Collection, Iterator

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from birge.search.sources import Document, search_source_register

from .models import Claim, ClaimTranslation

CLAIM_KIND = "claim"
TITLE_MAX_CHARS = 200


def _verdict_labels(claim: Claim) -> dict[str, str]:
    # A rumour shown without its verdict would only spread it further.
    labels = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            labels[code] = gettext("Verdict: %(verdict)s") % {
                "verdict": claim.get_verdict_display()
            }
    return labels


def _claim_documents(keys: Collection[str] | None) -> Iterator[Document]:
    rows = ClaimTranslation.objects.filter(claim__status__in=Claim.PUBLIC_STATUSES).select_related(
        "claim__agency"
    )
    if keys is not None:
        rows = rows.filter(pk__in=[int(key) for key in keys if key.isdigit()])
    for row in rows.iterator(chunk_size=500):
        claim = row.claim
        with translation.override(row.language):
            url = reverse("claims:detail", args=[claim.pk])
        title = Truncator(row.wording).chars(TITLE_MAX_CHARS)
        yield Document(
            kind=CLAIM_KIND,
            key=str(row.pk),
            language=row.language,
            title=title,
            # A wording too long for the title is still searched whole.
            text=row.explanation if title == row.wording else f"{row.wording}\n{row.explanation}",
            url=url,
            published_at=claim.published_at or claim.created_at,
            agency=claim.agency.name_in(row.language) if claim.agency else "",
            labels=_verdict_labels(claim),
        )


search_source_register(CLAIM_KIND, label=_("Checked rumour"), documents=_claim_documents)
