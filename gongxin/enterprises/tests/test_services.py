"""Registry writes: checked, audited in the same transaction, analyst only."""

from __future__ import annotations

import pytest

from gongxin.accounts.choices import UnitKind
from gongxin.accounts.models import Unit
from gongxin.core.errors import ConflictError, ServiceError
from gongxin.core.models import AuditEvent
from gongxin.core.testing import USCC_X
from gongxin.enterprises import services
from gongxin.enterprises.choices import HonorKind, HonorLevel


@pytest.fixture
def analyst(personas):
    return personas["analyst"]


def test_an_enterprise_is_created_with_its_industry_without_letter_and_audited(analyst):
    town = Unit.objects.create(name="黄岛街道", kind=UnitKind.TOWN)
    e = services.create_enterprise(
        analyst, uscc=USCC_X.lower(), name="青岛 甲机械", industry_code="C3442", region=town
    )
    assert (e.uscc, e.name, e.industry_code, e.region) == (USCC_X, "青岛甲机械", "3442", town)
    event = AuditEvent.objects.get(action="enterprise.create")
    assert event.after["industry_code"] == "3442"
    assert event.after["region"] == town.pk


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"uscc": "91370211264123450D"}, "校验位错误"),
        ({"industry_code": "9999"}, "不在《国民经济行业分类》"),
        ({"name": " "}, "企业名称不能为空"),
    ],
)
def test_bad_fields_are_refused_in_chinese(analyst, fields, message):
    with pytest.raises(ServiceError, match=message):
        services.create_enterprise(analyst, **{"uscc": USCC_X, "name": "甲", **fields})
    assert AuditEvent.objects.count() == 0


def test_a_department_is_not_a_region(analyst, personas):
    with pytest.raises(ServiceError, match="不是镇街或功能区"):
        services.create_enterprise(analyst, uscc=USCC_X, name="甲", region=personas.unit_a)


def test_only_the_analyst_changes_the_registry(personas):
    for name in ("supervisor", "leader", "enterprise_x", "sysadmin"):
        with pytest.raises(ServiceError, match="无权修改企业库"):
            services.create_enterprise(personas[name], uscc=USCC_X, name="甲")


def test_update_audits_only_the_difference_and_checks_the_version(analyst):
    e = services.create_enterprise(analyst, uscc=USCC_X, name="甲", employees=10)
    services.update_enterprise(analyst, e, expected_version=1, employees=12, name="甲")
    event = AuditEvent.objects.get(action="enterprise.update")
    assert (event.before, event.after) == ({"employees": 10}, {"employees": 12})
    with pytest.raises(ConflictError):
        services.update_enterprise(analyst, e, expected_version=1, employees=13)
    services.update_enterprise(analyst, e, employees=12)  # unchanged: no audit row
    assert AuditEvent.objects.filter(action="enterprise.update").count() == 1


def test_honors_once_per_kind_level_year(analyst):
    e = services.create_enterprise(analyst, uscc=USCC_X, name="甲")
    services.add_honor(analyst, e, kind=HonorKind.SRDI, level=HonorLevel.PROVINCIAL, year=2024)
    with pytest.raises(ServiceError, match="已有2024年省级专精特新中小企业称号记录"):
        services.add_honor(analyst, e, kind=HonorKind.SRDI, level=HonorLevel.PROVINCIAL, year=2024)
    assert AuditEvent.objects.filter(action="honor.create").count() == 1


def test_scale_record_upserts_and_audits_changes_only(analyst):
    e = services.create_enterprise(analyst, uscc=USCC_X, name="甲")
    services.set_scale_record(analyst, e, year=2024, above_scale=False)
    services.set_scale_record(analyst, e, year=2024, above_scale=False)
    services.set_scale_record(analyst, e, year=2024, above_scale=True)
    assert e.scale_records.get(year=2024).above_scale is True
    actions = list(
        AuditEvent.objects.filter(action__startswith="scale.").order_by("id").values_list("action")
    )
    assert actions == [("scale.create",), ("scale.update",)]
