from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from stdnum.cn import uscc as stdnum_uscc

from gongxin.core.testing import USCC_X, USCC_Y

# Embedded organisation code 26412345 with a wrong own check "1" (it should be "0"), and a
# last character recomputed so that the 18th-character check alone would accept it.
BODY = "91370211" + "26412345" + "1"
WRONG_ORG_CODE = BODY + stdnum_uscc.calc_check_digit(BODY + "0")
WRONG_CHECK_CHAR = USCC_X[:-1] + "D"  # USCC_X ends in C


def run(*args):
    out = StringIO()
    call_command("uscc", *args, stdout=out)
    return out.getvalue()


def test_valid_codes_come_back_normalised_with_no_reason():
    result = json.loads(run(USCC_X, USCC_Y, "9137 0211-2641-2345-0c", "--json"))
    assert result == [
        {"code": USCC_X, "valid": True, "reason": None},
        {"code": USCC_Y, "valid": True, "reason": None},
        {"code": USCC_X, "valid": True, "reason": None},
    ]


def test_invalid_codes_carry_the_chinese_reason_and_fail_the_command():
    assert stdnum_uscc.is_valid(WRONG_ORG_CODE)  # the library alone would accept it
    out = StringIO()
    with pytest.raises(CommandError, match="3 个代码中有 2 个无效") as raised:
        call_command("uscc", "--json", USCC_X, WRONG_CHECK_CHAR, WRONG_ORG_CODE, stdout=out)
    assert raised.value.returncode == 1
    valid, check_char, org_code = json.loads(out.getvalue())
    assert valid == {"code": USCC_X, "valid": True, "reason": None}
    assert check_char["code"] == WRONG_CHECK_CHAR
    assert check_char["valid"] is False
    assert "校验位错误" in check_char["reason"]
    assert org_code["valid"] is False
    assert "组织机构代码" in org_code["reason"]


def test_without_json_one_line_per_code():
    assert run(USCC_Y).strip() == f"{USCC_Y}\t有效"
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("uscc", "123", stdout=out)
    assert out.getvalue().strip() == "123\t无效：统一社会信用代码应为18位，实际为3位。"


def test_at_least_one_code_is_required():
    with pytest.raises(CommandError):
        call_command("uscc", "--json")
