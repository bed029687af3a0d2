"""The portal's page types: every statement belongs to an issuing agency, is dated and sourced.

One page per language (Wagtail's localisation: the kk, ru and en pages of one statement share a
`translation_key`). Every publish, unpublish and correction is recorded by
`services.publication_record`, which keeps the earlier wording in a `PageChange`.
"""

from datetime import timedelta
from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language_info, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, Revision, Task, TaskState
from wagtail.search import index

from birge.channels.models import ANNOUNCE_CHANNELS, Publication, default_announce_channels
from birge.core.files import private_storage
from birge.core.models import Agency, Region, Topic

from .documents import official_document_clean, official_document_name

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link"]
LISTING_PAGE_SIZE = 20


class PortalPageForm(WagtailAdminPageForm):
    """Asks for the reason whenever an already published statement is published again."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The reason belongs to one change: every edit starts with an empty one.
        if "change_note" in self.fields and not self.is_bound:
            self.initial["change_note"] = ""
        if "announce_on" in self.fields:
            self.fields["announce_on"] = forms.MultipleChoiceField(
                label=self.fields["announce_on"].label,
                help_text=self.fields["announce_on"].help_text,
                choices=[(str(c), c.label) for c in ANNOUNCE_CHANNELS],
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )
        if "agency" in self.fields and self.for_user is not None:
            from birge.core.access import filter_by_agency_scope

            from .access import PAGE_EDIT

            agencies = Agency.objects.filter(is_active=True).order_by("name_en")
            self.fields["agency"].queryset = filter_by_agency_scope(
                self.for_user, PAGE_EDIT, agencies, agency_field="pk"
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        publishing = "action-publish" in self.data or "action-submit" in self.data
        if (
            publishing
            and self.instance.first_published_at is not None
            and "change_note" in self.fields
            and not (cleaned.get("change_note") or "").strip()
        ):
            self.add_error(
                "change_note",
                _("This statement is already public: say what changed and why."),
            )
        agency = cleaned.get("agency")
        if "action-publish" in self.data and agency is not None and self.for_user is not None:
            from .access import page_publish_allowed

            if not page_publish_allowed(self.for_user, agency_id=agency.pk):
                self.add_error(
                    None,
                    _("The head of %(agency)s approves this statement: submit it for approval.")
                    % {"agency": agency.name},
                )
        return cleaned


class OfficialDocumentPageForm(PortalPageForm):
    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        # A new upload is checked and replaced by its safe copy; a kept file was checked before.
        if isinstance(upload, UploadedFile):
            return official_document_clean(upload)
        return upload


class PortalPage(Page):
    """What every statement on the portal carries: issuing agency, summary, source, subjects."""

    agency = models.ForeignKey(
        Agency,
        verbose_name=_("issuing agency"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    summary = models.TextField(
        _("summary"),
        max_length=300,
        blank=True,
        help_text=_("One or two sentences, shown in listings, feeds and link previews."),
    )
    source = models.CharField(
        pgettext_lazy("where a statement comes from", "source"),
        max_length=300,
        help_text=_("The body, document or briefing this statement comes from."),
    )
    source_url = models.URLField(_("source link"), blank=True)
    topics = ParentalManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="+")
    regions = ParentalManyToManyField(
        Region, verbose_name=_("regions"), blank=True, related_name="+"
    )
    announce_on = models.JSONField(
        _("announce on"),
        default=default_announce_channels,
        blank=True,
        help_text=_(
            "Where each publish of this statement is announced, a correction included. Clear "
            "the channels for a correction too small to announce."
        ),
    )
    change_note = models.CharField(
        _("what changed and why"),
        max_length=300,
        blank=True,
        help_text=_(
            "Shown to the public in the page's change history when a correction is published."
        ),
    )

    # The text compared in the public change history, in the order shown.
    history_fields: ClassVar[tuple[str, ...]] = ("title", "summary")
    # What a publish of this page type is announced as on the channels.
    announcement_kind: ClassVar[str]
    base_form_class = PortalPageForm
    # The body of every page type is indexed for Wagtail's admin search; the public search has its
    # own index (birge.portal.search).
    search_fields: ClassVar[list[Any]] = [*Page.search_fields, index.SearchField("summary")]
    trust_panels: ClassVar[list[Any]] = [
        MultiFieldPanel(
            [
                FieldPanel("agency"),
                FieldPanel("source"),
                FieldPanel("source_url"),
                FieldPanel("topics"),
                FieldPanel("regions"),
            ],
            heading=_("Issuing agency and source"),
        ),
        FieldPanel("change_note"),
        FieldPanel("announce_on"),
    ]

    class Meta:
        abstract = True

    def permissions_for_user(self, user: Any) -> Any:
        from .access import PortalPagePermissionTester

        return PortalPagePermissionTester(user, self)

    def history_text(self) -> dict[str, str]:
        """Each compared field as plain text (rich text stripped of its markup)."""
        from .diff import html_to_text

        values: dict[str, str] = {}
        for name in self.history_fields:
            value = getattr(self, name)
            values[name] = html_to_text(str(value or "")) if name != "title" else str(value)
        return values

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from .selectors import page_changes, page_translations

        context = super().get_context(request, *args, **kwargs)
        translations = page_translations(page=self)
        context["translations"] = translations
        context["missing_languages"] = [t for t in translations if t.url is None]
        context["available_names"] = ", ".join(
            str(get_language_info(t.language)["name_translated"]) for t in translations if t.url
        )
        context["absolute_url"] = request.build_absolute_uri(self.url)
        context["changes"] = page_changes(page=self)
        return context


def _body_field() -> RichTextField:
    return RichTextField(_("text"), features=RICH_TEXT_FEATURES)


class HomePage(Page):
    """The portal's front page in one language; its children are the sections."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels: ClassVar[list[Any]] = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types: ClassVar[list[str]] = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def permissions_for_user(self, user: Any) -> Any:
        from .access import SectionPermissionTester

        return SectionPermissionTester(user, self)

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from .selectors import home_context

        context = super().get_context(request, *args, **kwargs)
        context.update(home_context(home=self))
        return context


class SectionPage(Page):
    """A listing of one kind of statement (news, guidance…), newest first, paginated."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels: ClassVar[list[Any]] = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types: ClassVar[list[str]] = ["portal.HomePage"]
    max_count_per_parent = 1
    listing_order: ClassVar[tuple[str, ...]] = ("-first_published_at", "-id")
    # The statement types the section lists.
    child_models: ClassVar[tuple[type["PortalPage"], ...]] = ()

    class Meta:
        abstract = True

    def permissions_for_user(self, user: Any) -> Any:
        from .access import SectionPermissionTester

        return SectionPermissionTester(user, self)

    def get_template(self, request: HttpRequest, *args: Any, **kwargs: Any) -> str:
        # Every section lists the same way.
        return "portal/section_page.html"

    def listing(self) -> models.QuerySet[Any]:
        (model,) = self.child_models
        return (
            model.objects.child_of(self)
            .live()
            .select_related("agency")
            .order_by(*self.listing_order)
        )

    def paginated(self, request: HttpRequest) -> PaginatorPage:
        return Paginator(self.listing(), LISTING_PAGE_SIZE).get_page(request.GET.get("page"))

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from .selectors import untranslated_for

        context = super().get_context(request, *args, **kwargs)
        listing_page = self.paginated(request)
        context["listing_page"] = listing_page
        if listing_page.number == 1:
            context["untranslated"] = untranslated_for(section=self)
        return context


class NewsArticlePage(PortalPage):
    announcement_kind = Publication.Kind.NEWS
    body = _body_field()
    urgent = models.BooleanField(
        _("urgent notice"),
        default=False,
        help_text=_("Published in one step by a coordinator and shown in the home page banner."),
    )

    history_fields = ("title", "summary", "body")
    content_panels: ClassVar[list[Any]] = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("body"),
        *PortalPage.trust_panels,
    ]
    search_fields: ClassVar[list[Any]] = [*PortalPage.search_fields, index.SearchField("body")]
    parent_page_types: ClassVar[list[str]] = ["portal.NewsIndexPage"]
    subpage_types: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("news article")


class NewsIndexPage(SectionPage):
    subpage_types: ClassVar[list[str]] = ["portal.NewsArticlePage"]

    class Meta:
        verbose_name = _("news section")

    child_models = (NewsArticlePage,)


class GuidancePage(PortalPage):
    announcement_kind = Publication.Kind.GUIDANCE

    class Kind(models.TextChoices):
        SYMPTOMS = "symptoms", _("Symptoms")
        PREVENTION = "prevention", _("Prevention")
        RULES = "rules", _("Rules of behaviour")
        WHEN_ILL = "when_ill", _("What to do when symptoms appear")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    body = _body_field()

    history_fields = ("title", "summary", "body")
    content_panels: ClassVar[list[Any]] = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("summary"),
        FieldPanel("body"),
        *PortalPage.trust_panels,
    ]
    search_fields: ClassVar[list[Any]] = [*PortalPage.search_fields, index.SearchField("body")]
    parent_page_types: ClassVar[list[str]] = ["portal.GuidanceIndexPage"]
    subpage_types: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("guidance")
        verbose_name_plural = _("guidance")


class GuidanceIndexPage(SectionPage):
    subpage_types: ClassVar[list[str]] = ["portal.GuidancePage"]
    listing_order = ("kind", "title")

    class Meta:
        verbose_name = _("guidance section")

    child_models = (GuidancePage,)


class MeasurePage(PortalPage):
    """State support: who is eligible, how to apply, until when."""

    announcement_kind = Publication.Kind.MEASURE

    class Audience(models.TextChoices):
        CITIZENS = "citizens", _("Citizens")
        BUSINESS = "business", _("Businesses")

    audience = models.CharField(_("for"), max_length=16, choices=Audience.choices)
    eligibility = RichTextField(_("who is eligible"), features=RICH_TEXT_FEATURES)
    how_to_apply = RichTextField(_("how to apply"), features=RICH_TEXT_FEATURES)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    body = RichTextField(_("text"), features=RICH_TEXT_FEATURES, blank=True)

    history_fields = ("title", "summary", "eligibility", "how_to_apply", "body")
    content_panels: ClassVar[list[Any]] = [
        *Page.content_panels,
        FieldPanel("audience"),
        FieldPanel("summary"),
        FieldPanel("eligibility"),
        FieldPanel("how_to_apply"),
        FieldPanel("deadline"),
        FieldPanel("body"),
        *PortalPage.trust_panels,
    ]
    search_fields: ClassVar[list[Any]] = [
        *PortalPage.search_fields,
        index.SearchField("eligibility"),
        index.SearchField("how_to_apply"),
        index.SearchField("body"),
    ]
    parent_page_types: ClassVar[list[str]] = ["portal.MeasureIndexPage"]
    subpage_types: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("measure of support")
        verbose_name_plural = _("measures of support")

    def history_text(self) -> dict[str, str]:
        values = super().history_text()
        values["deadline"] = self.deadline.isoformat() if self.deadline else ""
        return values

    @property
    def is_open(self) -> bool:
        return self.deadline is None or self.deadline >= timezone.localdate()


class MeasureIndexPage(SectionPage):
    subpage_types: ClassVar[list[str]] = ["portal.MeasurePage"]

    class Meta:
        verbose_name = _("measures section")

    child_models = (MeasurePage,)


class OfficialDocumentPage(PortalPage):
    """An act or letter of a state body: number, date, and the file served as an attachment."""

    announcement_kind = Publication.Kind.DOCUMENT

    number = models.CharField(_("number"), max_length=64, blank=True)
    signed_on = models.DateField(_("date signed"))
    file = models.FileField(
        _("file (PDF or DOCX)"),
        upload_to=official_document_name,
        storage=private_storage,
        max_length=255,
    )
    body = RichTextField(_("description"), features=RICH_TEXT_FEATURES, blank=True)

    history_fields = ("title", "summary", "body", "number")
    base_form_class = OfficialDocumentPageForm
    content_panels: ClassVar[list[Any]] = [
        *Page.content_panels,
        FieldPanel("number"),
        FieldPanel("signed_on"),
        FieldPanel("file"),
        FieldPanel("summary"),
        FieldPanel("body"),
        *PortalPage.trust_panels,
    ]
    search_fields: ClassVar[list[Any]] = [*PortalPage.search_fields, index.SearchField("body")]
    parent_page_types: ClassVar[list[str]] = ["portal.DocumentIndexPage"]
    subpage_types: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("official document")

    def history_text(self) -> dict[str, str]:
        values = super().history_text()
        values["signed_on"] = self.signed_on.isoformat() if self.signed_on else ""
        values["file"] = (self.file.name or "").rsplit("/", 1)[-1]
        return values

    @property
    def file_extension(self) -> str:
        return (self.file.name or "").rsplit(".", 1)[-1].upper() if self.file else ""


class TransparencyReportPage(PortalPage):
    """What the state spent on informing the public, with its breakdown."""

    announcement_kind = Publication.Kind.DOCUMENT

    period = models.CharField(_("period"), max_length=64)
    total = models.DecimalField(_("total"), max_digits=16, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="KZT")
    body = RichTextField(_("text"), features=RICH_TEXT_FEATURES, blank=True)
    note = models.TextField(_("note on the breakdown"), blank=True)

    history_fields = ("title", "summary", "body", "note")
    content_panels: ClassVar[list[Any]] = [
        *Page.content_panels,
        FieldPanel("period"),
        FieldPanel("total"),
        FieldPanel("currency"),
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("lines", label=_("Breakdown")),
        FieldPanel("note"),
        *PortalPage.trust_panels,
    ]
    search_fields: ClassVar[list[Any]] = [*PortalPage.search_fields, index.SearchField("body")]
    parent_page_types: ClassVar[list[str]] = ["portal.DocumentIndexPage"]
    subpage_types: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("transparency report")

    def clean(self) -> None:
        super().clean()
        lines = list(self.lines.all())
        if lines and self.total is not None:
            spent = sum((line.amount for line in lines), start=type(self.total)(0))
            if spent > self.total:
                raise ValidationError({"total": _("The breakdown adds up to more than the total.")})

    def history_text(self) -> dict[str, str]:
        values = super().history_text()
        values["total"] = f"{self.total} {self.currency}"
        values["lines"] = "\n".join(f"{line.label}: {line.amount}" for line in self.lines.all())
        return values

    @property
    def unexplained(self) -> Any:
        spent = sum((line.amount for line in self.lines.all()), start=type(self.total)(0))
        return self.total - spent


class SpendingLine(Orderable):
    page = ParentalKey(TransparencyReportPage, on_delete=models.CASCADE, related_name="lines")
    label = models.CharField(_("item"), max_length=300)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)

    panels: ClassVar[list[Any]] = [FieldPanel("label"), FieldPanel("amount")]


class DocumentIndexPage(SectionPage):
    subpage_types: ClassVar[list[str]] = [
        "portal.OfficialDocumentPage",
        "portal.TransparencyReportPage",
    ]

    class Meta:
        verbose_name = _("documents section")

    child_models = (OfficialDocumentPage, TransparencyReportPage)

    def listing(self) -> models.QuerySet[Any]:
        # Documents and reports side by side, each as its own type.
        return (
            Page.objects.child_of(self)
            .live()
            .type(*self.child_models)
            .specific()
            .order_by(*self.listing_order)
        )


class MediaItemPage(PortalPage):
    """An infographic (with its text for readers who cannot see it) or a video link."""

    announcement_kind = Publication.Kind.MEDIA

    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    alt_text = models.CharField(
        _("text alternative"),
        max_length=500,
        blank=True,
        help_text=_("What the image shows, for readers who cannot see it."),
    )
    video_url = models.URLField(_("video link"), blank=True)
    caption = models.TextField(_("caption"), blank=True)

    history_fields = ("title", "summary", "alt_text", "caption")
    content_panels: ClassVar[list[Any]] = [
        *Page.content_panels,
        FieldPanel("image"),
        FieldPanel("alt_text"),
        FieldPanel("video_url"),
        FieldPanel("caption"),
        FieldPanel("summary"),
        *PortalPage.trust_panels,
    ]
    parent_page_types: ClassVar[list[str]] = ["portal.MediaIndexPage"]
    subpage_types: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("media item")

    def clean(self) -> None:
        super().clean()
        if self.image_id and not self.alt_text.strip():
            raise ValidationError(
                {"alt_text": _("Describe the image for readers who cannot see it.")}
            )
        if not self.image_id and not self.video_url and not self.alt_text.strip():
            raise ValidationError({"image": _("Add an image or a video link.")})


class MediaIndexPage(SectionPage):
    subpage_types: ClassVar[list[str]] = ["portal.MediaItemPage"]

    class Meta:
        verbose_name = _("media section")

    child_models = (MediaItemPage,)


class BriefingPage(PortalPage):
    """A press briefing: when, who speaks, where to watch, what was said and asked."""

    announcement_kind = Publication.Kind.BRIEFING

    class Status(models.TextChoices):
        UPCOMING = "upcoming", _("Upcoming")
        LIVE = "live", _("Live now")
        PAST = "past", _("Held")

    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    speakers = models.TextField(_("speakers"))
    stream_url = models.URLField(_("live-stream link"), blank=True)
    transcript = RichTextField(_("transcript"), features=RICH_TEXT_FEATURES, blank=True)

    history_fields = ("title", "summary", "speakers", "transcript")
    content_panels: ClassVar[list[Any]] = [
        *Page.content_panels,
        FieldPanel("starts_at"),
        FieldPanel("ends_at"),
        FieldPanel("speakers"),
        FieldPanel("stream_url"),
        FieldPanel("summary"),
        FieldPanel("transcript"),
        InlinePanel("questions", label=_("Questions asked")),
        *PortalPage.trust_panels,
    ]
    search_fields: ClassVar[list[Any]] = [
        *PortalPage.search_fields,
        index.SearchField("transcript"),
    ]
    parent_page_types: ClassVar[list[str]] = ["portal.BriefingIndexPage"]
    subpage_types: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("briefing")

    def clean(self) -> None:
        super().clean()
        if self.ends_at and self.starts_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The briefing must end after it starts.")})

    @property
    def status(self) -> str:
        now = timezone.now()
        if now < self.starts_at:
            return self.Status.UPCOMING
        ends_at = self.ends_at or self.starts_at + timedelta(hours=1)
        return self.Status.LIVE if now < ends_at else self.Status.PAST

    @property
    def status_label(self) -> str:
        return str(self.Status(self.status).label)


class BriefingQuestion(Orderable):
    """A question asked at the briefing, linked to the citizen's appeal or its public answer."""

    page = ParentalKey(BriefingPage, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField(_("question"), max_length=1000)
    faq_entry = models.ForeignKey(
        "appeals.FaqEntry",
        verbose_name=_("published answer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    appeal = models.ForeignKey(
        "appeals.Appeal",
        verbose_name=_("appeal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels: ClassVar[list[Any]] = [
        FieldPanel("text"),
        FieldPanel("faq_entry"),
        FieldPanel("appeal"),
    ]


class BriefingIndexPage(SectionPage):
    subpage_types: ClassVar[list[str]] = ["portal.BriefingPage"]
    listing_order = ("-starts_at",)

    class Meta:
        verbose_name = _("briefings section")

    child_models = (BriefingPage,)


class PageChange(models.Model):
    """One publish, correction or unpublish of a statement, with the wording before and after."""

    class Kind(models.TextChoices):
        PUBLISHED = "published", _("Published")
        CORRECTED = "corrected", _("Corrected")
        UNPUBLISHED = "unpublished", _("Withdrawn")

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="portal_changes")
    revision = models.ForeignKey(
        Revision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("what changed and why"), max_length=300, blank=True)
    # Snapshots, so the history stays readable whatever happens to revisions later.
    text_before = models.JSONField(default=dict)
    text_after = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["page", "-at"])]

    def __str__(self) -> str:
        return f"{self.page_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class UrgentBanner(models.Model):
    """The banner across the portal's pages that coordinators raise and lower."""

    text_kk = models.CharField(_("text (Kazakh)"), max_length=300)
    text_ru = models.CharField(_("text (Russian)"), max_length=300)
    text_en = models.CharField(_("text (English)"), max_length=300)
    link = models.ForeignKey(
        Page,
        verbose_name=_("page it links to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_raised = models.BooleanField(default=True)
    raised_at = models.DateTimeField(default=timezone.now)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    lowered_at = models.DateTimeField(null=True, blank=True)
    lowered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-raised_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_raised"],
                condition=models.Q(is_raised=True),
                name="portal_one_banner_raised",
            )
        ]

    def __str__(self) -> str:
        return self.text_en or self.text_kk

    def text_in(self, language: str) -> str:
        return getattr(self, f"text_{language[:2]}", "") or self.text_kk


class AgencyPortalSettings(models.Model):
    """Whether an agency's statements need its head's approval before they are published."""

    APPROVAL_DEFAULT = True

    agency = models.OneToOneField(
        Agency, on_delete=models.CASCADE, related_name="portal_settings", verbose_name=_("agency")
    )
    approval_required = models.BooleanField(
        _("the agency head approves every statement"), default=APPROVAL_DEFAULT
    )

    class Meta:
        verbose_name = _("agency publishing settings")
        verbose_name_plural = _("agency publishing settings")

    def __str__(self) -> str:
        return str(self.agency)


class AgencyHeadApprovalTask(Task):
    """A workflow step: the head of the statement's issuing agency (or a coordinator) approves."""

    def _may_approve(self, obj: Any, user: Any) -> bool:
        from .access import page_approve_allowed

        specific = getattr(obj, "specific", obj)
        return page_approve_allowed(user, agency_id=getattr(specific, "agency_id", None))

    def user_can_access_editor(self, obj: Any, user: Any) -> bool:
        return self._may_approve(obj, user)

    def locked_for_user(self, obj: Any, user: Any) -> bool:
        return not self._may_approve(obj, user)

    def user_can_lock(self, obj: Any, user: Any) -> bool:
        return self._may_approve(obj, user)

    def user_can_unlock(self, obj: Any, user: Any) -> bool:
        return False

    def get_actions(self, obj: Any, user: Any) -> list[tuple[str, str, bool]]:
        if not self._may_approve(obj, user):
            return []
        return [
            ("reject", str(_("Request changes")), True),
            ("approve", str(_("Approve")), False),
            ("approve", str(_("Approve with comment")), True),
        ]

    def get_task_states_user_can_moderate(self, user: Any, **kwargs: Any) -> Any:
        from birge.core.access import agency_ids_in_scope

        from .access import PAGE_APPROVE

        states = TaskState.objects.filter(status=TaskState.STATUS_IN_PROGRESS, task=self.task_ptr)
        scope = agency_ids_in_scope(user, PAGE_APPROVE)
        if scope is None:
            return states
        if not scope:
            return TaskState.objects.none()
        page_ids = [
            page.pk
            for page in Page.objects.filter(
                pk__in=[
                    int(pk) for pk in states.values_list("workflow_state__object_id", flat=True)
                ]
            ).specific()
            if getattr(page, "agency_id", None) in scope
        ]
        return states.filter(workflow_state__object_id__in=[str(pk) for pk in page_ids])

    @classmethod
    def get_description(cls) -> str:
        return str(_("The head of the statement's issuing agency approves it."))

    class Meta:
        verbose_name = _("agency head approval")
        verbose_name_plural = _("agency head approvals")
