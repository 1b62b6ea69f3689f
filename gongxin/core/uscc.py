"""统一社会信用代码 (GB 32100-2015) validation.

python-stdnum's `cn.uscc` checks the 18th character but requires the first 8 characters to
be digits (rejecting authority codes such as A, N, Y) and skips the embedded organisation
code's own check (GB 11714). This wrapper does both checks itself, with Chinese messages.
"""

from __future__ import annotations

from stdnum.cn import uscc as stdnum_uscc

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 symbols: no I, O, S, V, Z
AUTHORITIES = set("123456789ANY")
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


class InvalidUSCC(ValueError):
    pass


def org_code_check(code8: str) -> str:
    """The 9th character of an organisation code from its first 8 (mod 11)."""
    total = sum(
        (int(c) if c.isdigit() else ord(c) - 55) * w
        for c, w in zip(code8, ORG_WEIGHTS, strict=True)
    )
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def validate(value: str) -> str:
    """The normalised code, or InvalidUSCC with the reason in Chinese."""
    code = stdnum_uscc.compact(value or "")
    if len(code) != 18:
        raise InvalidUSCC(f"统一社会信用代码应为18位，实际为{len(code)}位。")
    bad = [c for c in code if c not in ALPHABET]
    if bad:
        raise InvalidUSCC(f"统一社会信用代码含有不允许的字符“{bad[0]}”。")
    if code[0] not in AUTHORITIES:
        raise InvalidUSCC("统一社会信用代码第1位（登记管理部门）不正确。")
    if not code[2:8].isdigit():
        raise InvalidUSCC("统一社会信用代码第3-8位（行政区划码）应为数字。")
    if code[-1] != stdnum_uscc.calc_check_digit(code):
        raise InvalidUSCC("统一社会信用代码校验位错误，请核对是否抄错。")
    org = code[8:17]
    if org[-1] != org_code_check(org[:8]):
        raise InvalidUSCC("统一社会信用代码中的组织机构代码（第9-17位）校验位错误。")
    return code


def is_valid(value: str) -> bool:
    try:
        validate(value)
    except InvalidUSCC:
        return False
    return True
