from __future__ import annotations

import pytest

from gongxin.core import uscc
from gongxin.core.testing import USCC_X, USCC_Y


def test_valid_codes_pass_and_are_normalised():
    assert uscc.validate(USCC_X) == USCC_X
    assert uscc.validate(" 9137 0211-2641-2345-0c ") == USCC_X
    assert uscc.is_valid(USCC_Y)


def test_org_code_check_by_hand():
    # 26412345: 2*3+6*7+4*9+1*10+2*5+3*8+4*4+5*2 = 6+42+36+10+10+24+16+10 = 154; 154 mod 11 = 0
    # 11 - 0 = 11 → "0"
    assert uscc.org_code_check("26412345") == "0"


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("9137021126412345", "应为18位"),
        ("91370211264123450I", "不允许的字符"),
        ("X1370211264123450C", "登记管理部门"),
        ("01370211264123450C", "登记管理部门"),
        ("91370211264123450D", "校验位错误"),
    ],
)
def test_invalid_codes_name_the_reason(code, reason):
    with pytest.raises(uscc.InvalidUSCC, match=reason):
        uscc.validate(code)


def test_a_wrong_embedded_organisation_code_is_caught_even_when_the_last_character_fits():
    from stdnum.cn import uscc as stdnum_uscc

    body = "91370211" + "26412345" + "1"  # org-code check should be 0
    code = body + stdnum_uscc.calc_check_digit(body + "0")
    assert stdnum_uscc.is_valid(code)  # the library alone accepts it
    with pytest.raises(uscc.InvalidUSCC, match="组织机构代码"):
        uscc.validate(code)


def test_letter_authority_codes_that_the_library_rejects_are_accepted():
    from stdnum.cn import uscc as stdnum_uscc

    org = "26412345" + uscc.org_code_check("26412345")
    body = "Y1370211" + org
    code = body + stdnum_uscc.calc_check_digit(body)
    assert not stdnum_uscc.is_valid(code)
    assert uscc.validate(code) == code
