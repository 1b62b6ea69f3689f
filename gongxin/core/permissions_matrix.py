"""Walks the URLconf so the permission tests can prove every URL has an expected outcome.

Each app's tests/test_permissions.py declares MATRIX: {(url_name, method): "outcomes"},
one status code per persona in PERSONA_ORDER; methods are GET, POST, HTMX (a GET with
the HX-Request header, or an htmx POST written "HTMX-POST") and EXPORT (GET ?export=xlsx).
"""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver

PERSONA_ORDER = [
    "anon",
    "supervisor",
    "leader",
    "reporter_a",
    "reporter_b",
    "analyst",
    "enterprise_x",
    "enterprise_y",
    "sysadmin",
    "secadmin",
    "auditadmin",
]
REQUIRED_METHODS = ("GET", "POST")


def url_names(patterns=None, namespace: str = "") -> set[str]:
    """Every named URL of the project, with its namespace ("accounts:user_list")."""
    patterns = get_resolver().url_patterns if patterns is None else patterns
    names: set[str] = set()
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= url_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(f"{namespace}{entry.name}")
    return names


def expand(matrix: dict[tuple[str, str], str]) -> list[tuple[str, str, str, int]]:
    """(url_name, method, persona, expected status) for every cell of a matrix."""
    cells = []
    for (name, method), row in matrix.items():
        codes = row.split()
        if len(codes) != len(PERSONA_ORDER):
            raise ValueError(
                f"{name} {method}: {len(codes)} outcomes for {len(PERSONA_ORDER)} personas"
            )
        cells += [(name, method, p, int(c)) for p, c in zip(PERSONA_ORDER, codes, strict=True)]
    return cells


def request_cell(client, personas, name: str, method: str, persona: str, kwargs: dict) -> int:
    """Send one request of the matrix as the persona; return the status code."""
    from django.urls import reverse

    from gongxin.core.testing import login_as

    client.logout()
    if persona != "anon":
        login_as(client, personas[persona])
    url = reverse(name, kwargs=kwargs)
    if method == "GET":
        response = client.get(url)
    elif method == "HTMX":
        response = client.get(url, headers={"HX-Request": "true"})
    elif method == "EXPORT":
        response = client.get(url, {"export": "xlsx"})
    elif method == "POST":
        response = client.post(url, {})
    elif method == "HTMX-POST":
        response = client.post(url, {}, headers={"HX-Request": "true"})
    else:
        raise ValueError(method)
    return response.status_code


def check_matrix_row(client, personas, name: str, method: str, row: str, kwargs: dict) -> list[str]:
    """Mismatches of one (url, method) row, as readable lines."""
    wrong = []
    for url_name, meth, persona, expected in expand({(name, method): row}):
        got = request_cell(client, personas, url_name, meth, persona, kwargs)
        if got != expected:
            wrong.append(f"{url_name} {meth} as {persona}: expected {expected}, got {got}")
    return wrong
