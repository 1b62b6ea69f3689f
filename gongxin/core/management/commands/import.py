"""`gongxin import <importer> <file> [--dry-run] [--user USERNAME]`.

Prints the result as JSON — {"file", "rows", "created", "updated", "unchanged",
"errors": [{"row", "column", "message"}], …} — and exits with 1 when there are errors
(then nothing was written). Under --dry-run the counts are what a commit would do.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from gongxin.core.imports import services
from gongxin.core.imports.base import all_importers, get_importer
from gongxin.core.imports.exceptions import ImportRefused
from gongxin.core.imports.gate import MB


class Command(BaseCommand):
    help = "导入文件（先校验；--dry-run 只预览不写入），以 JSON 输出结果。"

    def add_arguments(self, parser):
        parser.add_argument("importer", help="导入类型，例如 units")
        parser.add_argument("file", help="要导入的文件路径")
        parser.add_argument("--dry-run", action="store_true", help="只预览，不写入数据库")
        parser.add_argument("--user", help="以该用户的身份导入（记入审计日志）")

    def handle(self, *args, importer: str, file: str, dry_run: bool, user: str | None, **opts):
        try:
            cls = get_importer(importer)
        except ImportRefused:
            known = "、".join(c.slug for c in all_importers()) or "（无）"
            raise CommandError(f"没有名为“{importer}”的导入类型。可用：{known}") from None
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user, is_active=True).first()
            if actor is None:
                raise CommandError(f"用户“{user}”不存在或已停用。")
            if not cls.allows(actor):
                raise CommandError(f"用户“{user}”的角色无权使用“{cls.label}”导入。")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"文件“{file}”不存在。")
        if path.stat().st_size > settings.IMPORT_MAX_BYTES:
            # Refused without reading it into memory; same shape as every other result.
            limit = settings.IMPORT_MAX_BYTES / MB
            result = services.refused_result(
                path.name, ImportRefused(f"文件超过上限 {limit:.0f} MB。")
            )
        else:
            try:
                result = services.run_import(
                    cls.slug, path.name, path.read_bytes(), user=actor, commit=not dry_run
                )
            except ImportRefused as refusal:  # e.g. a row changed by someone while writing
                result = services.refused_result(path.name, refusal)
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
        if result["errors"]:
            raise CommandError(f"有 {len(result['errors'])} 处错误，未写入任何数据。", returncode=1)
