"""The portal's tree on a new install: one home page per language (kk, ru, en) linked as
translations, its six sections, the site pointing at it, and the agency-head approval workflow.

Built by hand like Wagtail's own initial data (materialised paths, no model methods), so the
migration does not depend on the code of later versions.
"""

import uuid

from django.db import migrations
from django.utils import timezone

LANGUAGES = ("kk", "ru", "en")
HOME_TITLES = {
    "kk": "Төтенше жағдай туралы ресми ақпарат",
    "ru": "Официальная информация о чрезвычайной ситуации",
    "en": "Official information on the emergency",
}
# (model, slug, titles)
SECTIONS = [
    ("newsindexpage", "news", {"kk": "Жаңалықтар", "ru": "Новости", "en": "News"}),
    (
        "guidanceindexpage",
        "guidance",
        {"kk": "Нұсқаулар", "ru": "Рекомендации", "en": "Guidance"},
    ),
    (
        "measureindexpage",
        "measures",
        {"kk": "Мемлекеттік қолдау шаралары", "ru": "Меры господдержки", "en": "State support"},
    ),
    (
        "documentindexpage",
        "documents",
        {"kk": "Ресми құжаттар", "ru": "Официальные документы", "en": "Official documents"},
    ),
    ("mediaindexpage", "media", {"kk": "Медиа", "ru": "Медиа", "en": "Media"}),
    ("briefingindexpage", "briefings", {"kk": "Брифингтер", "ru": "Брифинги", "en": "Briefings"}),
]
STEP = 4


def _path(parent_path: str, position: int) -> str:
    return f"{parent_path}{position:0{STEP}d}"


def portal_tree_create(apps, schema_editor=None):
    """Also called with the live app registry by the tests' reference-data fixture."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Locale = apps.get_model("wagtailcore", "Locale")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    HomePage = apps.get_model("portal", "HomePage")
    ApprovalTask = apps.get_model("portal", "AgencyHeadApprovalTask")

    if HomePage.objects.exists():
        return
    locales = {code: Locale.objects.get_or_create(language_code=code)[0] for code in LANGUAGES}
    root = Page.objects.filter(depth=1).first()
    if root is None:
        # A flushed test database: Wagtail's own initial data is gone too.
        root = Page.objects.create(
            title="Root",
            draft_title="Root",
            slug="root",
            content_type=ContentType.objects.get_or_create(app_label="wagtailcore", model="page")[
                0
            ],
            path="0001",
            depth=1,
            numchild=0,
            url_path="/",
            locale=locales["kk"],
        )
    # Wagtail's placeholder "Welcome" page: the portal's home takes its place.
    Page.objects.filter(depth=2, content_type__app_label="wagtailcore", numchild=0).delete()
    taken = set(Page.objects.filter(depth=2).values_list("path", flat=True))
    now = timezone.now()
    home_key = uuid.uuid4()
    section_keys = {slug: uuid.uuid4() for _model, slug, _titles in SECTIONS}
    home_type = ContentType.objects.get_or_create(app_label="portal", model="homepage")[0]
    section_types = {
        model: ContentType.objects.get_or_create(app_label="portal", model=model)[0]
        for model, _slug, _titles in SECTIONS
    }
    position = 1
    homes = {}
    common = {"live": True, "has_unpublished_changes": False, "first_published_at": now}
    for code in LANGUAGES:
        while _path(root.path, position) in taken:
            position += 1
        home_path = _path(root.path, position)
        position += 1
        # Wagtail tells the translations of the site root apart by their paths.
        slug = "home" if code == "kk" else f"home-{code}"
        home = HomePage.objects.create(
            title=HOME_TITLES[code],
            draft_title=HOME_TITLES[code],
            slug=slug,
            content_type=home_type,
            path=home_path,
            depth=2,
            numchild=len(SECTIONS),
            url_path=f"/{slug}/",
            locale=locales[code],
            translation_key=home_key,
            last_published_at=now,
            **common,
        )
        homes[code] = home
        for index, (model, slug, titles) in enumerate(SECTIONS, start=1):
            apps.get_model("portal", model).objects.create(
                title=titles[code],
                draft_title=titles[code],
                slug=slug,
                content_type=section_types[model],
                path=_path(home_path, index),
                depth=3,
                numchild=0,
                url_path=f"/{home.slug}/{slug}/",
                locale=locales[code],
                translation_key=section_keys[slug],
                last_published_at=now,
                **common,
            )
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost", port=80, root_page=homes["kk"], is_default_site=True
        )
    else:
        site.root_page = homes["kk"]
        site.save(update_fields=["root_page"])

    task_type = ContentType.objects.get_or_create(
        app_label="portal", model="agencyheadapprovaltask"
    )[0]
    task = ApprovalTask.objects.create(
        name="Agency head approval", content_type=task_type, active=True
    )
    workflow = Workflow.objects.create(name="Agency head approval", active=True)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    for home in homes.values():
        WorkflowPage.objects.update_or_create(page_id=home.pk, defaults={"workflow": workflow})
    WorkflowPage.objects.update_or_create(page_id=root.pk, defaults={"workflow": workflow})


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(portal_tree_create, migrations.RunPython.noop)]
