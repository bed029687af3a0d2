from typing import Any

import factory
from django.contrib.auth import get_user_model
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from birge.core.models import Agency, AuditEntry, Region, StaffRole
from birge.core.services import staff_role_grant

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory[Any]):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.kz")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            self.save()


class AgencyFactory(factory.django.DjangoModelFactory[Agency]):
    class Meta:
        model = Agency

    slug = factory.Sequence(lambda n: f"agency-{n}")
    kind = Agency.Kind.MINISTRY
    region = factory.LazyFunction(lambda: Region.objects.get(code="KZ"))
    name_kk = factory.Sequence(lambda n: f"Агенттік {n}")
    name_ru = factory.Sequence(lambda n: f"Агентство {n}")
    name_en = factory.Sequence(lambda n: f"Agency {n}")


class StaffRoleFactory(factory.django.DjangoModelFactory[StaffRole]):
    class Meta:
        model = StaffRole

    user = factory.SubFactory(UserFactory)
    role = StaffRole.Role.AGENCY_OFFICER
    agency = factory.SubFactory(AgencyFactory)


class AuditEntryFactory(factory.django.DjangoModelFactory[AuditEntry]):
    class Meta:
        model = AuditEntry

    actor_label = "system"
    action = "core.test.done"
    target_type = "core.agency"
    target_id = "1"
    summary = "changed: name_en"


def staff_member(role: str, agency: Agency | None = None, **user_fields: Any) -> Any:
    """A user holding one role (tied to `agency` unless the role is global)."""
    user = UserFactory(**user_fields)
    staff_role_grant(actor=None, user=user, role=role, agency=agency)
    return user


def confirmed_totp(user: Any) -> TOTPDevice:
    device: TOTPDevice = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    return device


def current_totp_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def sign_in_verified(client: Any, user: Any) -> None:
    """Sign `user` in as if they had passed both factors."""
    device = confirmed_totp(user)
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
