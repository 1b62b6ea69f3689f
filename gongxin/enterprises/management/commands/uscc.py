"""`gongxin uscc CODE… [--json]`: check 统一社会信用代码 (gongxin.core.uscc).

With --json prints [{"code", "valid", "reason"}] in the order given: code is the
normalised code when valid (spaces, dashes and case removed) and the input as given
otherwise; reason is null when valid and the Chinese reason otherwise. Without --json
prints one line per code. Exits with 1 when any code is invalid.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from gongxin.core import uscc


def check(code: str) -> dict[str, object]:
    try:
        normalised = uscc.validate(code)
    except uscc.InvalidUSCC as error:
        return {"code": code, "valid": False, "reason": str(error)}
    return {"code": normalised, "valid": True, "reason": None}


class Command(BaseCommand):
    help = "校验统一社会信用代码（GB 32100-2015，含组织机构代码校验）。"

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="+", metavar="CODE", help="统一社会信用代码")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")

    def handle(self, *args, codes: list[str], **options):
        results = [check(code) for code in codes]
        if options["json"]:
            self.stdout.write(json.dumps(results, ensure_ascii=False, indent=2))
        else:
            for r in results:
                verdict = "有效" if r["valid"] else f"无效：{r['reason']}"
                self.stdout.write(f"{r['code']}\t{verdict}")
        invalid = sum(1 for r in results if not r["valid"])
        if invalid:
            raise CommandError(f"{len(results)} 个代码中有 {invalid} 个无效。", returncode=1)
