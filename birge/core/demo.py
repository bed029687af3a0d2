"""Demo data: agencies, emergency numbers and one staff account per role, loaded idempotently."""

from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction

from .models import Agency, EmergencyContact, Region, RegionAlias, StaffRole, Topic
from .reference import reference_rows, regions_sync, topics_sync
from .services import AGENCY_EDITABLE_FIELDS, staff_backup_codes_issue, staff_member_create

Role = StaffRole.Role

EMERGENCY_CONTACTS = [
    ("109", "Бірыңғай байланыс орталығы", "Единый контакт-центр", "Contact centre"),
    ("112", "Төтенше жағдайлар қызметі", "Служба экстренного реагирования", "Emergency"),
    ("103", "Жедел жәрдем", "Скорая помощь", "Ambulance"),
]

# Each demo account's role and the agency it works for (by slug; None for global roles).
DEMO_STAFF: list[tuple[str, StaffRole.Role, str | None]] = [
    ("coordinator", Role.COORDINATOR, None),
    ("officer", Role.AGENCY_OFFICER, "ministry-of-healthcare"),
    ("head", Role.AGENCY_HEAD, "ministry-of-healthcare"),
    ("editor", Role.EDITOR, "central-communications-service"),
    # The ministry's statements need its head's approval (the portal demo): its own editor.
    ("health_editor", Role.EDITOR, "ministry-of-healthcare"),
    ("factchecker", Role.FACT_CHECKER, "central-communications-service"),
    # A verdict needs a second fact-checker's approval: the demo has two.
    ("factchecker2", Role.FACT_CHECKER, "central-communications-service"),
    # The republican front office: the demo operator sees every headquarters under it.
    ("aid", Role.AID_OPERATOR, "birgemiz-front-office"),
    ("analyst", Role.ANALYST, "central-communications-service"),
    ("admin", Role.ADMINISTRATOR, None),
]
DEMO_PASSWORD_SUFFIX = "-birge-demo"  # noqa: S105 - demo accounts only, printed in demo mode


@dataclass
class DemoLogin:
    username: str
    password: str
    role: str
    agency: str
    backup_codes: list[str]


@dataclass
class DemoSection:
    """What a domain's demo loader has to show the person trying the demo (e.g. API keys)."""

    heading: str
    lines: list[str]


@dataclass(frozen=True)
class DemoCredentials:
    logins: list[DemoLogin]
    sections: list[DemoSection]


def _agencies_sync() -> None:
    by_slug: dict[str, Agency] = {}
    for row in reference_rows("agencies"):
        parent = by_slug.get(row["parent"]) if row.get("parent") else None
        agency, _ = Agency.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "kind": row["kind"],
                "parent": parent,
                "region": Region.objects.get(code=row["region"]),
                **{key: row.get(key) or "" for key in AGENCY_EDITABLE_FIELDS},
            },
        )
        agency.topics.set(Topic.objects.filter(slug__in=row.get("topics", [])))
        by_slug[agency.slug] = agency


def _emergency_contacts_sync() -> None:
    for order, (number, name_kk, name_ru, name_en) in enumerate(EMERGENCY_CONTACTS):
        EmergencyContact.objects.update_or_create(
            number=number,
            defaults={
                "name_kk": name_kk,
                "name_ru": name_ru,
                "name_en": name_en,
                "sort_order": order,
            },
        )


def _demo_staff_sync() -> list[DemoLogin]:
    logins = []
    user_model = get_user_model()
    for username, role, agency_slug in DEMO_STAFF:
        agency = Agency.objects.get(slug=agency_slug) if agency_slug else None
        password = f"{username}{DEMO_PASSWORD_SUFFIX}"
        user = user_model.objects.filter(username=username).first()
        if user is None:
            user, codes = staff_member_create(
                actor=None,
                username=username,
                email=f"{username}@demo.birge.invalid",
                password=password,
                role=role,
                agency=agency,
            )
        else:
            # Fresh codes on every run: the ones printed last time may have been used.
            codes = staff_backup_codes_issue(actor=None, user=user)
        logins.append(
            DemoLogin(
                username=username,
                password=password,
                role=str(Role(role).label),
                agency=agency.name_en if agency else "all agencies",
                backup_codes=codes,
            )
        )
    return logins


@transaction.atomic
def demo_load() -> DemoCredentials:
    """Load (or refresh) reference and demo data; returns the demo staff logins and API keys."""
    regions_sync(Region, RegionAlias)
    topics_sync(Topic)
    _agencies_sync()
    _emergency_contacts_sync()
    logins = _demo_staff_sync()
    # Each domain loads its own demo data, after the agencies and staff it refers to: every app
    # whose AppConfig has a `demo_load()` is asked, in INSTALLED_APPS order; core names none.
    sections = []
    for config in apps.get_app_configs():
        loader = getattr(config, "demo_load", None)
        if callable(loader):
            section = loader()
            if section is not None:
                sections.append(section)
    return DemoCredentials(logins=logins, sections=sections)
