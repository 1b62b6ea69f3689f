"""`gongxin worker`: claims and runs background jobs until stopped."""

from __future__ import annotations

import signal
import time

from django.core.management.base import BaseCommand

from gongxin.core import jobs


class Command(BaseCommand):
    help = "运行后台任务（导入、匹配、评价、报表生成）。"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="处理完当前排队的任务后退出")
        parser.add_argument("--interval", type=float, default=1.0, help="空闲时的轮询间隔（秒）")

    def handle(self, *args, once: bool = False, interval: float = 1.0, **options):
        self._stop = False
        signal.signal(signal.SIGTERM, self._request_stop)
        signal.signal(signal.SIGINT, self._request_stop)
        self.stdout.write(f"后台任务进程 {jobs.worker_name()} 已启动。")
        while not self._stop:
            ran = jobs.run_pending(limit=1)
            if once and ran == 0:
                break
            if ran == 0:
                time.sleep(interval)
        self.stdout.write("后台任务进程已退出。")

    def _request_stop(self, signum, frame):
        self._stop = True
