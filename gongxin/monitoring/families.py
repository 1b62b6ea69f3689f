"""Cluster families as the bureau reports them ("五大传统优势产业", "三大战略新兴产业"):
one engine row per family over the union of its clusters' members, each enterprise
counted once even when it belongs to two clusters of the family."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings

from gongxin.analytics import lists, runners, suppression
from gongxin.analytics.runners import IndicatorRow


@dataclass
class Family:
    name: str
    clusters: list[str] = field(default_factory=list)  # in the order they were registered
    members: set[int] = field(default_factory=set)

    def lead_names(self) -> str:
        """ "芯屏、海洋生物医药、人工智能" for up to three clusters, else the first two and 等."""
        if len(self.clusters) <= 3:
            return "、".join(self.clusters)
        return "、".join(self.clusters[:2]) + "等"


def families() -> list[Family]:
    from gongxin.enterprises.choices import ClusterKind
    from gongxin.enterprises.models import Cluster

    found: dict[str, Family] = {}
    clusters = (
        Cluster.objects.filter(kind=ClusterKind.CLUSTER)
        .exclude(family="")
        .order_by("pk")
        .prefetch_related("memberships")
    )
    for cluster in clusters:
        family = found.setdefault(cluster.family, Family(cluster.family))
        family.clusters.append(cluster.name)
        family.members |= {m.enterprise_id for m in cluster.memberships.all()}
    return list(found.values())


def family_rows(
    period: str, measure: str = "output", *, suppress: bool = False
) -> list[tuple[Family, IndicatorRow]]:
    """Each family's row against the whole register.

    With `suppress` (roles other than the analyst), a family is hidden when it is
    sensitive itself, or when one of its clusters is hidden on the cluster table: the
    family minus its other, visible clusters would give that cluster's value back."""
    hidden_clusters: set[str] = set()
    if suppress:
        cluster_rows = runners.indicator_table("cluster", period, measure, suppress=True)
        hidden_clusters = {r.name for r in cluster_rows if r.suppressed}
    out = []
    for family in families():
        row = lists.list_row(sorted(family.members), period, measure)
        row.group, row.name = family.name, family.name
        if suppress:
            row.suppressed = bool(hidden_clusters & set(family.clusters)) or suppression.is_sensitive(
                row.enterprises, Decimal(row.ytd or 0), Decimal(row.largest or 0),
                min_count=settings.SUPPRESSION_MIN_ENTERPRISES,
                dominance=Decimal(str(settings.SUPPRESSION_DOMINANCE)),
            )  # fmt: skip
        out.append((family, row))
    return out
