"""The synthetic district panel: enterprises, registers and monthly statistics whose
2024 totals reproduce the headline figures of seed 000 (the West Coast New Area bureau's
2024 work summary). Everything here is SYNTHETIC (DESIGN.md: every number the demo shows
is traceable to a seed or to a generator documented as synthetic); PANEL.md explains it
for users.

What is generated (`build_panel(seed)`, deterministic for a seed, idempotent):

- 1166 above-scale industrial enterprises on the 2024 register (seed 000: "1166家规上工业企业")
  and 300 below-scale ones. 26 of the 1166 entered the register in 2024 (入规: 2023 record
  above_scale=False); 20 of the 300 left it in 2024 (退规: above-scale in 2023), so the 2023
  register holds 1166 − 26 + 20 = 1160 enterprises.
- Names from syllable lists ("青岛" + two syllables + an industry word + 有限公司); USCCs
  valid by GB 32100 with region code 370211 and an organisation code that starts with "Q"
  followed by a tag of the seed: "91370211Q…" marks a panel enterprise.
- Industry codes: real 小类 of 门类 B/C/D, chosen per cluster (below).
- Regions: the existing 镇街/功能区 units (kind town/zone) if there are any, otherwise six
  synthetic units created through accounts.services.create_unit ("模拟一街道"…).
- MonthlyStat for 2024-01…2024-12 for the 1166 and for 2023-01…2023-12 for the 1160 of the
  2023 register: year-to-date values and the prior-year same-period YTD values, in 万元
  (energy in tce, people in 人), Decimal with 4 places. The published convention combines
  January and February (1–2月); the panel still stores a 01 row (January alone), so a page
  may show either; the 02 row is the 1–2月 figure. A continuing enterprise's 2023 row of a
  month equals the prior-year values on its 2024 row of that month (no revisions).
  value_added is left empty: official 增加值 growth is at comparable prices and is imported
  as a published figure (DOMAIN.md), never derived from this panel.
- The "5+3" clusters (Cluster kind=cluster) and the 2024 program 倍增企业 (33 members).
  Seed 000 names 高端化工新材料 and 船舶海工 among the five traditional industries and the
  three emerging ones ("芯屏", 海洋生物医药, 人工智能); 家电电子, 汽车, 食品饮料 are
  assumed (the city's themes in seed 001: 智能家电/家电及电子信息, 汽车 projects, 食品饮料
  expo), not named by seed 000. The clusters are disjoint; 191 enterprises are in none.

Skew: within a cell the enterprises' outputs are a floor (2500万元; 3亿元 for 倍增) plus a
lognormal share of the rest (σ = 2.0; 0.6 for 倍增), drawn with `random.Random(seed)` (no
numpy): a few giants of 100–450亿元, a median near 0.8亿元, over half the register under
1亿元. Growth rates scatter around the cell's rate (σ = 12 points).

CALIBRATION PLAN (万元; the 2024-12 YTD over the 2024 register; seed 000 lines 9–11, 23)

  total     current 47,861,000 (4786.1亿元)     prior 46,968,596.6634 = 47,861,000 ÷ 1.019
            → growth 1.9000%                     Δ = 892,403.3366
  倍增 (33)  current 4,979,000 (497.9亿元)       prior 4,415,376.8400
            Δ = 563,623.1600 = 1.2% × 46,968,596.6634 → 拉动 1.2000 points (growth 12.77%)
  five traditional clusters, current (prior = current ÷ (1 + growth)):
            高端化工新材料 13,600,000 (−3.0%)  船舶海工 5,200,000 (+9.0%)
            家电电子 9,800,000 (+1.2%)  汽车 5,453,000 (+3.0%)  食品饮料 4,000,000 (−2.0%)
            sum 38,053,000 (3805.3亿元); share 38,053,000 ÷ 47,861,000 = 79.507% → 79.5%
  芯屏       current 2,062,500 (206.25亿元)      prior 1,527,777.7778 = 2,062,500 ÷ 1.35
            → growth 35.0000%
  三大新兴   芯屏 2,062,500 + 海洋生物医药 1,050,000 + 人工智能 1,480,000 = 4,592,500
            prior 4,592,500 ÷ 1.208 = 3,801,738.4106 → growth 20.8000%
            人工智能 prior 1,480,000 ÷ 1.08 = 1,370,370.3704 (+8.0%, assumed)
            海洋生物医药 prior = 3,801,738.4106 − 1,527,777.7778 − 1,370,370.3704
                          = 903,590.2624 (+16.2%, follows)
  others    current 47,861,000 − 38,053,000 − 4,592,500 = 5,215,500
            prior = total prior − traditional prior − emerging prior (≈ −1.9%, follows)

  The 33 倍增 enterprises sit inside the clusters (5 化工, 5 船舶, 6 家电, 5 汽车,
  3 食品, 3 芯屏, 2 生物医药, 2 人工智能, 2 others) with current values 1,300,000;
  800,000; 1,000,000; 700,000; 300,000; 400,000; 150,000; 179,000; 150,000 (sum
  4,979,000) and prior values in the common ratio 4,415,376.84 ÷ 4,979,000 (the last
  cell takes the rounding remainder). Every cluster is split into a 倍增 cell and the
  rest; each cell's enterprises are scaled so the cell's sums are exact to 0.0001 万元
  (the largest enterprise of the cell takes the quantisation remainder), hence every
  group above sums exactly to its target and the seed's rounded figures hold with a wide
  margin (SQLite sums decimals as floats: error ~1e-9 relative).

Only 2024-12 is calibrated; other months are shaped by a seasonal profile (Spring Festival
dip in February, year-end peak) with noise per enterprise, cumulative within a year.
Revenue ≈ output × 0.88–1.08; profit = revenue × a margin around 5% (some losses); tax
(应交增值税) = revenue × 1.5–3.5%; energy = output × an intensity per cluster; employees are
averages (not cumulative), from output per worker 80–400万元.

Idempotence: everything is computed in memory from the seed, then only missing rows are
inserted (bulk_create); existing rows are never changed. A database that already holds a
panel from another seed is refused. The 2024 register must hold only the panel for the
calibration to hold (an imported register adds its own enterprises).
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from gongxin.accounts import services as accounts
from gongxin.accounts.choices import UnitKind
from gongxin.accounts.models import Unit
from gongxin.core import audit
from gongxin.core.dbstats import refresh_statistics
from gongxin.core.errors import ServiceError
from gongxin.core.uscc import ALPHABET, org_code_check
from gongxin.enterprises.choices import ClusterKind
from gongxin.enterprises.models import (
    Cluster,
    ClusterMembership,
    Enterprise,
    Program,
    ProgramMembership,
    ScaleRecord,
)
from gongxin.monitoring.models import MonthlyStat

DEFAULT_SEED = 2024
YEAR = 2024
Q = Decimal("0.0001")
USCC_PREFIX = "91370211Q"  # 9 1 (enterprise) · 370211 · organisation code "Q…"

# Seed 000 figures (万元 unless a rate).
TOTAL_CURRENT = Decimal(47_861_000)  # 4786.1亿元
TOTAL_GROWTH = Decimal("1.9")
PROGRAM_CURRENT = Decimal(4_979_000)  # 497.9亿元
PROGRAM_PULL = Decimal("1.2")
TRADITIONAL_CURRENT = Decimal(38_053_000)  # 3805.3亿元, 79.5%
XINPING_CURRENT = Decimal(2_062_500)  # 206.25亿元
XINPING_GROWTH = Decimal("35.0")
EMERGING_GROWTH = Decimal("20.8")

PROGRAM_NAME = "倍增企业"
TRADITIONAL = ("高端化工新材料", "船舶海工", "家电电子", "汽车", "食品饮料")
EMERGING = ("芯屏", "海洋生物医药", "人工智能")
TRADITIONAL_FAMILY = "五大传统优势产业"
EMERGING_FAMILY = "三大战略新兴产业"
OTHERS = ""  # the cell of enterprises in no cluster

ABOVE_SCALE = 1166
BELOW_SCALE = 300
ENTERED_2024 = 26  # 入规 in 2024: below scale in 2023
EXITED_2024 = 20  # 退规 in 2024: above scale in 2023, below in 2024

SYNTHETIC_REGIONS = (
    ("模拟一街道", UnitKind.TOWN),
    ("模拟二街道", UnitKind.TOWN),
    ("模拟三街道", UnitKind.TOWN),
    ("模拟四街道", UnitKind.TOWN),
    ("模拟临港功能区", UnitKind.ZONE),
    ("模拟高新功能区", UnitKind.ZONE),
)


@dataclass(frozen=True)
class ClusterPlan:
    name: str
    current: Decimal  # 2024-12 YTD output, 万元
    growth: Decimal | None  # percent; None: prior follows from the totals
    enterprises: int  # above-scale members, 倍增 included
    program: int  # 倍增 members
    program_current: Decimal
    industries: tuple[str, ...]
    energy: float  # tce per 万元 of output
    words: tuple[str, ...]  # name endings


PLANS = (
    ClusterPlan("高端化工新材料", Decimal(13_600_000), Decimal("-3.0"), 150, 5,
                Decimal(1_300_000), ("2511", "2614", "2619", "2651", "2652", "2659", "2661",
                                     "2662", "2921", "2929"), 0.25,
                ("石化", "化工", "新材料", "高分子材料", "精细化工")),
    ClusterPlan("船舶海工", Decimal(5_200_000), Decimal("9.0"), 130, 5, Decimal(800_000),
                ("3731", "3732", "3734", "3737", "3739"), 0.03,
                ("船舶", "海洋工程", "重工", "船舶配套", "海工装备")),
    ClusterPlan("家电电子", Decimal(9_800_000), Decimal("1.2"), 220, 6, Decimal(1_000_000),
                ("3851", "3852", "3853", "3854", "3855", "3857", "3951", "3952", "3911",
                 "3982"), 0.02, ("电器", "家电", "电子", "智能家居", "电子科技")),
    ClusterPlan("汽车", Decimal(5_453_000), Decimal("3.0"), 160, 5, Decimal(700_000),
                ("3611", "3612", "3620", "3660", "3670"), 0.02,
                ("汽车", "汽车零部件", "新能源汽车", "车辆", "汽车配件")),
    ClusterPlan("食品饮料", Decimal(4_000_000), Decimal("-2.0"), 170, 3, Decimal(300_000),
                ("1513", "1512", "1521", "1523", "1524", "1361", "1353", "1431", "1432",
                 "1491"), 0.05, ("食品", "啤酒", "饮品", "水产", "食品科技")),
    ClusterPlan("芯屏", XINPING_CURRENT, XINPING_GROWTH, 40, 3, Decimal(400_000),
                ("3973", "3974", "3976", "3972", "3979"), 0.04,
                ("半导体", "微电子", "光电", "显示科技", "集成电路")),
    ClusterPlan("海洋生物医药", Decimal(1_050_000), None, 45, 2, Decimal(150_000),
                ("2710", "2720", "2761", "2762", "2770", "1495"), 0.05,
                ("生物", "海洋生物", "医药", "生物科技", "药业")),
    ClusterPlan("人工智能", Decimal(1_480_000), Decimal("8.0"), 60, 2, Decimal(179_000),
                ("3491", "3492", "3914", "3961", "3963", "3964"), 0.01,
                ("智能科技", "机器人", "智能装备", "智能系统", "人工智能")),
    ClusterPlan(OTHERS, Decimal(0), None, 191, 2, Decimal(150_000),
                ("0610", "1011", "1019", "4411", "4412", "4415", "4416", "4430", "4511",
                 "4610", "3311", "3130", "3421", "3441", "3444", "4090", "2231", "3021"),
                0.08, ("精密机械", "机械", "金属制品", "能源", "热电", "建材", "仪器")),
)  # fmt: skip

# Seasonal share of the annual value by month (sums to 1): Spring Festival dip, year-end peak.
SEASON = (0.072, 0.060, 0.085, 0.082, 0.084, 0.088, 0.082, 0.082, 0.087, 0.086, 0.092, 0.100)

PLACES = ("青岛", "青岛", "青岛", "山东", "青岛西海岸")
SYLLABLES = "海岳泰恒润康华鑫盛源丰瑞达宏嘉信诚德远航蓝湾金石琅琊灵珠凤凰胶澜崂辰启明星宇汇通"
SUFFIXES = ("有限公司", "有限公司", "有限公司", "股份有限公司", "集团有限公司")


@dataclass
class PanelSummary:
    seed: int
    enterprises: int = 0
    above_scale_2024: int = 0
    above_scale_2023: int = 0
    below_scale_2024: int = 0
    entered_2024: int = 0
    exited_2024: int = 0
    clusters: int = 0
    cluster_members: int = 0
    program_members: int = 0
    monthly_stats: int = 0
    regions: int = 0
    created: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


# ---------------------------------------------------------------- the plan, in numbers


def _q(value) -> Decimal:
    return Decimal(value).quantize(Q, rounding=ROUND_HALF_UP)


def total_prior() -> Decimal:
    return _q(TOTAL_CURRENT / (1 + TOTAL_GROWTH / 100))


def cell_targets() -> dict[tuple[str, bool], tuple[Decimal, Decimal]]:
    """(cluster, in 倍增) → (current, prior) sums of output at 2024-12, 万元."""
    t_prior = total_prior()
    program_prior = PROGRAM_CURRENT - _q(t_prior * PROGRAM_PULL / 100)
    ratio = program_prior / PROGRAM_CURRENT
    by_plan = {p.name: p for p in PLANS}
    priors: dict[str, Decimal] = {}
    for plan in PLANS:
        if plan.growth is not None:
            priors[plan.name] = _q(plan.current / (1 + plan.growth / 100))
    emerging_current = sum(by_plan[n].current for n in EMERGING)
    emerging_prior = _q(emerging_current / (1 + EMERGING_GROWTH / 100))
    priors["海洋生物医药"] = emerging_prior - priors["芯屏"] - priors["人工智能"]
    currents = {p.name: p.current for p in PLANS}
    currents[OTHERS] = TOTAL_CURRENT - sum(v for k, v in currents.items() if k != OTHERS)
    priors[OTHERS] = t_prior - sum(priors.values())

    cells: dict[tuple[str, bool], tuple[Decimal, Decimal]] = {}
    program_prior_left = program_prior
    for index, plan in enumerate(PLANS):
        last = index == len(PLANS) - 1
        p_cur = plan.program_current
        p_prior = program_prior_left if last else _q(p_cur * ratio)
        program_prior_left -= p_prior
        cells[(plan.name, True)] = (p_cur, p_prior)
        cells[(plan.name, False)] = (currents[plan.name] - p_cur, priors[plan.name] - p_prior)
    return cells


# ---------------------------------------------------------------- generation in memory


@dataclass
class Series:
    """One enterprise's year: December YTD values and the cumulative monthly profile."""

    output: Decimal
    revenue: Decimal
    profit: Decimal
    tax: Decimal
    energy_tce: Decimal
    employees: Decimal
    cumulative: tuple[float, ...]  # 12 fractions, the last 1.0
    headcount: tuple[float, ...]  # 12 factors of the average headcount

    def month(self, m: int) -> dict[str, Decimal]:
        if m == 12:
            flows = {
                k: getattr(self, k) for k in ("output", "revenue", "profit", "tax", "energy_tce")
            }
        else:
            share = Decimal(repr(self.cumulative[m - 1]))
            flows = {
                k: _q(getattr(self, k) * share)
                for k in ("output", "revenue", "profit", "tax", "energy_tce")
            }
        flows["employees"] = Decimal(round(float(self.employees) * self.headcount[m - 1])).quantize(
            Q
        )
        return flows


@dataclass
class Firm:
    n: int
    name: str
    industry: str
    cluster: str  # "" for none; below-scale firms have none
    program: bool
    above_2024: bool
    above_2023: bool
    series: dict[int, Series] = field(default_factory=dict)  # year → series


def _profile(rng: random.Random) -> tuple[tuple[float, ...], tuple[float, ...]]:
    weights = [w * rng.uniform(0.9, 1.1) for w in SEASON]
    total = sum(weights)
    running, cumulative = 0.0, []
    for w in weights:
        running += w
        cumulative.append(round(running / total, 6))
    cumulative[-1] = 1.0
    base = rng.uniform(0.97, 1.03)
    headcount = tuple(base * (1 + rng.uniform(-0.01, 0.01)) for _ in range(12))
    return tuple(cumulative), headcount


def _series(
    rng: random.Random, output: Decimal, energy: float, traits: dict, drift: float = 0.0
) -> Series:
    """A year of one enterprise; `traits` keep its ratios stable across years, `drift`
    moves them a little (used for the earlier years)."""
    revenue = _q(output * Decimal(repr(traits["revenue"] * (1 + drift * rng.uniform(-1, 1)))))
    margin = traits["margin"] + drift * rng.gauss(0, 0.5)
    cumulative, headcount = _profile(rng)
    intensity = energy * traits["energy"] * (1 + abs(drift) * rng.uniform(0, 2))
    employees = max(20, round(float(output) / traits["productivity"] * (1 - drift)))
    return Series(
        output=output,
        revenue=revenue,
        profit=_q(revenue * Decimal(repr(round(margin, 6)))),
        tax=_q(revenue * Decimal(repr(traits["tax"]))),
        energy_tce=_q(output * Decimal(repr(round(intensity, 6)))),
        employees=Decimal(employees).quantize(Q),
        cumulative=cumulative,
        headcount=headcount,
    )


def _split(rng: random.Random, total: Decimal, n: int, sigma: float, floor: Decimal):
    """n positive values summing exactly to `total`: floor + a lognormal(0, σ) share of the
    rest."""
    weights = [rng.lognormvariate(0, sigma) for _ in range(n)]
    rest = total - floor * n
    if rest <= 0:
        raise ValueError("cell too small for its enterprises")
    s = sum(weights)
    values = [_q(floor + rest * Decimal(repr(w / s))) for w in weights]
    biggest = max(range(n), key=values.__getitem__)
    values[biggest] += total - sum(values)
    return values


def _scale_to(values: list[Decimal], total: Decimal) -> list[Decimal]:
    s = sum(values)
    scaled = [_q(v * total / s) for v in values]
    biggest = max(range(len(scaled)), key=scaled.__getitem__)
    scaled[biggest] += total - sum(scaled)
    return scaled


def _names(rng: random.Random, words: tuple[str, ...], taken: set[str]) -> str:
    while True:
        name = (
            rng.choice(PLACES)
            + rng.choice(SYLLABLES)
            + rng.choice(SYLLABLES)
            + rng.choice(words)
            + rng.choice(SUFFIXES)
        )
        if name not in taken and name[-6:-4] != name[-8:-6]:
            taken.add(name)
            return name


def _traits(rng: random.Random) -> dict:
    loss = rng.random() < 0.12
    return {
        "revenue": rng.uniform(0.88, 1.08),
        "margin": rng.uniform(-0.08, -0.005) if loss else rng.gauss(0.055, 0.03),
        "tax": round(rng.uniform(0.015, 0.035), 6),
        "energy": rng.uniform(0.6, 1.4),
        "productivity": rng.uniform(80, 400),
    }


def generate(seed: int = DEFAULT_SEED) -> list[Firm]:
    """The panel's enterprises with their series (pure: no database)."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, reproducible by design
    names_rng = random.Random(f"{seed}-names")  # noqa: S311
    targets = cell_targets()
    taken: set[str] = set()
    firms: list[Firm] = []
    n = 0
    for plan in PLANS:
        for in_program in (True, False):
            count = plan.program if in_program else plan.enterprises - plan.program
            current, prior = targets[(plan.name, in_program)]
            cell_growth = float(current / prior) - 1
            floor = Decimal(30000) if in_program else Decimal(2500)
            sigma = 0.6 if in_program else 2.0
            currents = _split(rng, current, count, sigma, floor)
            raw_priors = [
                c / Decimal(repr(max(0.6, 1 + cell_growth + rng.gauss(0, 0.12)))) for c in currents
            ]
            priors = _scale_to(raw_priors, prior)
            for cur, pri in zip(currents, priors, strict=True):
                n += 1
                traits = _traits(rng)
                firm = Firm(
                    n=n,
                    name=_names(names_rng, plan.words, taken),
                    industry=rng.choice(plan.industries),
                    cluster=plan.name,
                    program=in_program,
                    above_2024=True,
                    above_2023=True,
                )
                firm.series[2024] = _series(rng, cur, plan.energy, traits)
                firm.series[2023] = _series(rng, pri, plan.energy, traits, drift=0.02)
                earlier = pri / Decimal(repr(1 + rng.gauss(0.03, 0.08)))
                firm.series[2022] = _series(rng, _q(earlier), plan.energy, traits, drift=0.04)
                firms.append(firm)
    # 入规 in 2024: the smallest-by-prior enterprises outside 倍增 and outside the clusters'
    # giants, chosen at random among the bottom quarter.
    candidates = sorted((f for f in firms if not f.program), key=lambda f: f.series[2023].output)
    for firm in rng.sample(candidates[: len(candidates) // 4], ENTERED_2024):
        firm.above_2023 = False
    # Below-scale enterprises: no monthly statistics, except the 退规 ones' 2023 year.
    others = next(p for p in PLANS if p.name == OTHERS)
    all_industries = sorted({code for p in PLANS for code in p.industries})
    for index in range(BELOW_SCALE):
        n += 1
        exited = index < EXITED_2024
        firm = Firm(
            n=n,
            name=_names(names_rng, others.words, taken),
            industry=rng.choice(all_industries),
            cluster="",
            program=False,
            above_2024=False,
            above_2023=exited,
        )
        if exited:
            traits = _traits(rng)
            output = _q(Decimal(repr(rng.uniform(2000, 3500))))
            firm.series[2023] = _series(rng, output, others.energy, traits)
            firm.series[2022] = _series(
                rng, _q(output * Decimal(repr(rng.uniform(0.95, 1.2)))), others.energy, traits,
                drift=0.02,
            )  # fmt: skip
        firms.append(firm)
    return firms


def seed_tag(seed: int) -> str:
    return ALPHABET[seed % 31] + ALPHABET[(seed // 31) % 31]


def uscc_for(seed: int, n: int) -> str:
    from stdnum.cn import uscc as stdnum_uscc

    org = "Q" + seed_tag(seed) + f"{n:05d}"
    body = "91370211" + org + org_code_check(org)
    return body + stdnum_uscc.calc_check_digit(body)


# ---------------------------------------------------------------- writing


def _regions(actor) -> tuple[list[Unit], int]:
    units = list(
        Unit.objects.filter(kind__in=(UnitKind.TOWN, UnitKind.ZONE)).order_by("sort_order", "pk")
    )
    if units:
        return units, 0
    created = [
        accounts.create_unit(actor, name=name, kind=kind, sort_order=900 + 10 * i)
        for i, (name, kind) in enumerate(SYNTHETIC_REGIONS)
    ]
    return created, len(created)


def _stat(enterprise_id: int, year: int, m: int, firm: Firm) -> MonthlyStat:
    current, prior = firm.series[year].month(m), firm.series[year - 1].month(m)
    values = {k: v for k, v in current.items()}
    values.update({f"{k}_prior": v for k, v in prior.items()})
    return MonthlyStat(
        enterprise_id=enterprise_id, period=f"{year}-{m:02d}", provenance="synthetic", **values
    )


def build_panel(seed: int = DEFAULT_SEED, *, actor=None) -> PanelSummary:
    """Create the synthetic panel of `seed` (demo mode only); running it again changes
    nothing. Returns the panel's counts and what this run created."""
    from gongxin.demo.services import require_demo_mode

    require_demo_mode()
    firms = generate(seed)
    usccs = {f.n: uscc_for(seed, f.n) for f in firms}
    created: dict[str, int] = {}
    with transaction.atomic():
        existing = dict(
            Enterprise.objects.filter(uscc__startswith=USCC_PREFIX).values_list("uscc", "name")
        )
        expected = {usccs[f.n]: f.name for f in firms}
        if any(expected.get(code) != name for code, name in existing.items()):
            raise ServiceError(
                "数据库中已有用另一个种子生成的模拟企业面板；一个数据库只能有一个模拟面板，"
                "请先清空演示数据库。"
            )
        units, created["regions"] = _regions(actor)
        region_rng = random.Random(f"{seed}-regions")  # noqa: S311
        new = [
            Enterprise(
                uscc=usccs[f.n],
                name=f.name,
                industry_code=f.industry,
                region=region_rng.choice(units),
                employees=int(f.series[2024].employees) if 2024 in f.series else None,
            )
            for f in firms
            if usccs[f.n] not in existing
        ]
        Enterprise.objects.bulk_create(new, batch_size=1000)
        created["enterprises"] = len(new)
        ids = dict(
            Enterprise.objects.filter(uscc__startswith=USCC_PREFIX).values_list("uscc", "pk")
        )
        firm_ids = {f.n: ids[usccs[f.n]] for f in firms}

        have = set(
            ScaleRecord.objects.filter(enterprise_id__in=firm_ids.values()).values_list(
                "enterprise_id", "year"
            )
        )
        records = []
        for f in firms:
            pk = firm_ids[f.n]
            if (pk, 2023) not in have:
                records.append(ScaleRecord(enterprise_id=pk, year=2023, above_scale=f.above_2023))
            if (pk, 2024) not in have:
                records.append(
                    ScaleRecord(
                        enterprise_id=pk,
                        year=2024,
                        above_scale=f.above_2024,
                        entered_on=date(2024, 1, 1) if f.above_2024 and not f.above_2023 else None,
                        exited_on=date(2024, 1, 1) if f.above_2023 and not f.above_2024 else None,
                    )
                )
        ScaleRecord.objects.bulk_create(records, batch_size=2000)
        created["scale_records"] = len(records)

        clusters = {}
        created["clusters"] = 0
        for name in (*TRADITIONAL, *EMERGING):
            family = TRADITIONAL_FAMILY if name in TRADITIONAL else EMERGING_FAMILY
            cluster, made = Cluster.objects.get_or_create(
                name=name, defaults={"kind": ClusterKind.CLUSTER, "family": family}
            )
            if cluster.family != family:  # a demo database built before families existed
                cluster.family = family
                cluster.save(update_fields=["family"])
            clusters[name] = cluster
            created["clusters"] += int(made)
        program, made = Program.objects.get_or_create(name=PROGRAM_NAME, year=YEAR)
        created["programs"] = int(made)

        have_c = set(
            ClusterMembership.objects.filter(enterprise_id__in=firm_ids.values()).values_list(
                "cluster_id", "enterprise_id"
            )
        )
        members = [
            ClusterMembership(cluster=clusters[f.cluster], enterprise_id=firm_ids[f.n])
            for f in firms
            if f.cluster and (clusters[f.cluster].pk, firm_ids[f.n]) not in have_c
        ]
        ClusterMembership.objects.bulk_create(members, batch_size=2000)
        created["cluster_members"] = len(members)
        have_p = set(
            ProgramMembership.objects.filter(program=program).values_list(
                "enterprise_id", flat=True
            )
        )
        program_members = [
            ProgramMembership(program=program, enterprise_id=firm_ids[f.n])
            for f in firms
            if f.program and firm_ids[f.n] not in have_p
        ]
        ProgramMembership.objects.bulk_create(program_members)
        created["program_members"] = len(program_members)

        have_s = set(
            MonthlyStat.objects.filter(enterprise_id__in=firm_ids.values()).values_list(
                "enterprise_id", "period"
            )
        )
        stats = []
        for f in firms:
            pk = firm_ids[f.n]
            for year, on_register in ((2023, f.above_2023), (2024, f.above_2024)):
                if not on_register:
                    continue
                for m in range(1, 13):
                    if (pk, f"{year}-{m:02d}") not in have_s:
                        stats.append(_stat(pk, year, m, f))
        MonthlyStat.objects.bulk_create(stats, batch_size=2000)
        created["monthly_stats"] = len(stats)
        if any(created.values()):
            refresh_statistics(
                Enterprise, ScaleRecord, ClusterMembership, ProgramMembership, MonthlyStat
            )

        if any(created.values()):
            audit.record(
                actor,
                "demo.panel",
                None,
                after={"seed": seed, **created},
                reason="模拟企业面板（合成数据，按种子文件000校准）",
            )
    summary = PanelSummary(seed=seed, created=created, regions=len(units))
    summary.enterprises = len(firms)
    summary.above_scale_2024 = sum(f.above_2024 for f in firms)
    summary.above_scale_2023 = sum(f.above_2023 for f in firms)
    summary.below_scale_2024 = len(firms) - summary.above_scale_2024
    summary.entered_2024 = sum(f.above_2024 and not f.above_2023 for f in firms)
    summary.exited_2024 = sum(f.above_2023 and not f.above_2024 for f in firms)
    summary.clusters = len(clusters)
    summary.cluster_members = sum(bool(f.cluster) for f in firms)
    summary.program_members = sum(f.program for f in firms)
    summary.monthly_stats = 12 * (summary.above_scale_2023 + summary.above_scale_2024)
    return summary
