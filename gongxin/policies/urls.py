"""The policies app's pages. Each views module keeps its own `urlpatterns`, so the
library, editor and ledger pages can grow without touching one shared list."""

from __future__ import annotations

from gongxin.policies.views import declare, editor, ledger, library

app_name = "policies"
urlpatterns = [
    *library.urlpatterns,
    *editor.urlpatterns,
    *ledger.urlpatterns,
    *declare.urlpatterns,
]
