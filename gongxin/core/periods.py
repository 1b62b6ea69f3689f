"""Statistical periods, 序时进度 (time-progress) curves and attainment judgements.

Pure Python: no Django imports, so the analytics query builders and the rules can use it.

A statistical period is a month, written ``YYYY-MM`` (DESIGN.md "Units and periods");
quarters and years derive from it. Year-to-date figures are labelled by their end month:
"2021年1-3月" is the period 2021-03. January and February are published together, so
"2024年1-2月" is the period 2024-02 with ``months_covered == 2``.

序时进度 (DOMAIN.md "Industrial statistics"): the share of an annual target that should be
done by the end of month M. The default curve is linear, M/12 (上半年 50%, 1–11月 91.7%);
a target may instead follow quarterly milestones or a custom curve of 12 cumulative
fractions. Two different tests use it:

- an absolute target (产值、企业数、项目数) is behind when cumulative completion ÷ annual
  target < curve(M);
- a rate target (增速、占比、失业率) is judged on the cumulative figure itself against the
  target rate, with no curve: cumulative YoY growth is already a year-to-date measure.

Numbers are ``Decimal`` throughout; rates and gaps are in percent / percentage points
(``Decimal("6.5")`` means 6.5%), completion ratios and curve values are fractions
(``Decimal("0.25")`` means 25%).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol, runtime_checkable

__all__ = [
    "AHEAD",
    "BEHIND",
    "DONE",
    "LINEAR",
    "NOT_STARTED",
    "ON_TRACK",
    "QUARTERLY",
    "QUARTERLY_Q1_22",
    "STATUSES",
    "Attainment",
    "CumulativeCurve",
    "Curve",
    "LinearCurve",
    "Period",
    "cn_number",
    "describe_curve",
    "explain_zh",
    "judge",
    "judge_absolute",
    "judge_approx",
    "judge_growth",
    "judge_range",
    "judge_upper_bound",
    "linear",
    "period_from_title",
    "quarterly_step",
]

_HUNDRED = Decimal(100)


def _one(value: Decimal) -> str:
    """One decimal, rounded half up as statistical publications do: 23.45 → "23.5"."""
    return str(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _pct(fraction: Decimal) -> str:
    return f"{_one(fraction * _HUNDRED)}%"


# ---------------------------------------------------------------------------------------
# Chinese numerals
# ---------------------------------------------------------------------------------------

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6}
_CN_DIGITS |= {"七": 7, "八": 8, "九": 9}


def cn_number(text: str) -> int:
    """An Arabic or small Chinese numeral (0–99): "3" → 3, "十一" → 11, "二十" → 20.

    Raises ValueError for anything else.
    """
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _CN_DIGITS and ch != "十" for ch in text):
        raise ValueError(f"不是数字：{text!r}")
    if "十" not in text:
        if len(text) != 1:
            raise ValueError(f"不是数字：{text!r}")
        return _CN_DIGITS[text]
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        raise ValueError(f"不是数字：{text!r}")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


# ---------------------------------------------------------------------------------------
# Period
# ---------------------------------------------------------------------------------------

_NUM = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
_DASH = r"(?:-|－|—|–|~|～|至|到)"
_ISO = re.compile(r"^\s*(\d{4})\s*[-/.]\s*(\d{1,2})\s*$")
_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})\s*$")
_CN_MONTH = re.compile(
    rf"^\s*(\d{{4}})\s*年\s*(?:({_NUM})\s*{_DASH}\s*)?({_NUM})\s*月份?\s*(?:底|末)?\s*$"
)


@dataclass(frozen=True, order=True)
class Period:
    """A statistical month. ``str(p)`` is ``YYYY-MM``; ``p.label_zh`` is "2021年3月".

    ``months_covered`` records how many months a cumulative label spans ("1-2月" → 2,
    "1-3月" → 3); it does not take part in equality or ordering: 2024-02 is 2024-02
    however it was written.
    """

    year: int
    month: int
    months_covered: int = field(default=1, compare=False)

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"月份应在1–12之间：{self.month}")
        if not 1 <= self.year <= 9999:
            raise ValueError(f"年份无效：{self.year}")
        if not 1 <= self.months_covered <= self.month:
            raise ValueError(f"累计月数应在1–{self.month}之间：{self.months_covered}")

    # -- parsing -------------------------------------------------------------------------
    @classmethod
    def parse(cls, text: str | Period) -> Period:
        """ "2021-03", "2021/3", "202103", "2021年3月", "2021年3月份", "2021年1-3月" → 2021-03.

        A range ending in month M is the cumulative period ending in M: "2024年1-2月"
        gives 2024-02 with ``months_covered == 2``. Raises ValueError otherwise.
        """
        if isinstance(text, Period):
            return text
        value = text.strip()
        if m := _ISO.match(value) or _COMPACT.match(value):
            return cls(int(m.group(1)), int(m.group(2)))
        if m := _CN_MONTH.match(value):
            year, end = int(m.group(1)), cn_number(m.group(3))
            if m.group(2) is None:
                return cls(year, end)
            start = cn_number(m.group(2))
            if not 1 <= start <= end <= 12:
                raise ValueError(f"月份范围无效：{text!r}")
            return cls(year, end, months_covered=end - start + 1)
        raise ValueError(f"无法识别的统计期：{text!r}")

    # -- derived values ------------------------------------------------------------------
    @property
    def quarter(self) -> int:
        return (self.month - 1) // 3 + 1

    @property
    def is_quarter_end(self) -> bool:
        return self.month % 3 == 0

    @property
    def label_zh(self) -> str:
        """ "2021年3月"; a combined or cumulative period shows its span: "2024年1-2月"."""
        if self.months_covered > 1:
            return f"{self.year}年{self.month - self.months_covered + 1}-{self.month}月"
        return f"{self.year}年{self.month}月"

    @property
    def ytd_label_zh(self) -> str:
        """The year-to-date label used by statistical tables: "2021年1-3月", "2021年1月"."""
        if self.month == 1:
            return f"{self.year}年1月"
        return f"{self.year}年1-{self.month}月"

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    # -- arithmetic ----------------------------------------------------------------------
    def shift(self, months: int) -> Period:
        index = self.year * 12 + (self.month - 1) + months
        return Period(index // 12, index % 12 + 1)

    def next(self) -> Period:
        return self.shift(1)

    def previous(self) -> Period:
        return self.shift(-1)

    def same_month_last_year(self) -> Period:
        return Period(self.year - 1, self.month, self.months_covered)

    def year_months(self) -> Iterator[Period]:
        """January … this month of the same year (the months a YTD figure covers)."""
        return (Period(self.year, m) for m in range(1, self.month + 1))

    @classmethod
    def range(cls, start: Period | str, end: Period | str) -> list[Period]:
        """Every month from start to end inclusive (empty when end < start)."""
        first, last = cls.parse(start), cls.parse(end)
        out = []
        current = Period(first.year, first.month)
        while current <= last:
            out.append(current)
            current = current.next()
        return out


# ---------------------------------------------------------------------------------------
# Periods in document titles
# ---------------------------------------------------------------------------------------

_YEAR = re.compile(r"(\d{4})\s*年")
# Tried in order; the first that matches wins. Explicit months beat quarters and halves,
# which beat 全年 (a title may say "全年目标1-3月份推进情况").
_TITLE_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"({_NUM})\s*{_DASH}\s*({_NUM})\s*月"), "range"),
    (re.compile(rf"截[至止]\s*(?:\d{{4}}\s*年\s*)?({_NUM})\s*月"), "month"),
    (re.compile(r"前三季度"), "9"),
    (re.compile(r"([一二三四1-4])\s*季度"), "quarter"),
    (re.compile(r"上半年"), "6"),
    (re.compile(r"下半年"), "12"),
    (re.compile(rf"(?<![\d一二三四五六七八九十])({_NUM})\s*月(?:份|底|末)?"), "month"),
    (re.compile(r"全年"), "12"),
]


def period_from_title(text: str, year: int | None = None) -> Period | None:
    """The period a plan or report title speaks of, or None.

    "2021年区政府工作报告确定事项1-3月份推进情况" → 2021-03 (3 months covered);
    "截至3月底" → 3; "一季度" → 3; "上半年" → 6; "前三季度" → 9; "1-11月" → 11;
    "全年" → 12. The year is the first "YYYY年" in the text, else ``year``; with neither,
    or without a month expression, the answer is None.
    """
    found_year = _YEAR.search(text)
    the_year = int(found_year.group(1)) if found_year else year
    if the_year is None:
        return None
    # Do not read the year's own digits as a month ("2021年" is not month 21/1).
    rest = _YEAR.sub("年", text)
    for pattern, kind in _TITLE_PATTERNS:
        m = pattern.search(rest)
        if not m:
            continue
        if kind == "range":
            start, end = cn_number(m.group(1)), cn_number(m.group(2))
            if 1 <= start <= end <= 12:
                return Period(the_year, end, months_covered=end - start + 1)
            continue
        if kind == "month":
            month = cn_number(m.group(1))
            if 1 <= month <= 12:
                return Period(the_year, month)
            continue
        if kind == "quarter":
            return Period(the_year, cn_number(m.group(1)) * 3)
        return Period(the_year, int(kind))
    return None


# ---------------------------------------------------------------------------------------
# Time-progress curves
# ---------------------------------------------------------------------------------------


def _month_of(when: Period | int) -> int:
    month = when.month if isinstance(when, Period) else int(when)
    if not 1 <= month <= 12:
        raise ValueError(f"月份应在1–12之间：{month}")
    return month


@runtime_checkable
class Curve(Protocol):
    """序时进度: the cumulative fraction of an annual target due by the end of a month."""

    def at(self, when: Period | int) -> Decimal: ...


def linear(month: int) -> Decimal:
    """month ÷ 12 — the default 序时进度 ("时间过半、任务过半")."""
    return Decimal(_month_of(month)) / Decimal(12)


@dataclass(frozen=True)
class LinearCurve:
    name: str = "按月均衡（M/12）"

    def at(self, when: Period | int) -> Decimal:
        return linear(_month_of(when))


@dataclass(frozen=True)
class CumulativeCurve:
    """A custom curve: 12 cumulative fractions, for the ends of January … December.

    Validated: each between 0 and 1, never decreasing, and the last exactly 1 (the whole
    annual target is due by year end).
    """

    fractions: tuple[Decimal, ...]
    name: str = "自定义"

    def __post_init__(self) -> None:
        values = tuple(Decimal(str(v)) for v in self.fractions)
        object.__setattr__(self, "fractions", values)
        if len(values) != 12:
            raise ValueError(f"序时进度曲线需要12个月的累计比例，收到{len(values)}个。")
        if any(v < 0 or v > 1 for v in values):
            raise ValueError("序时进度曲线的比例应在0到1之间。")
        if any(b < a for a, b in zip(values, values[1:], strict=False)):
            raise ValueError("序时进度曲线不能下降（累计比例应逐月不减）。")
        if values[-1] != 1:
            raise ValueError("序时进度曲线在12月应达到100%。")

    @classmethod
    def of(cls, fractions: Iterable[Decimal | str | int], name: str = "自定义") -> CumulativeCurve:
        return cls(tuple(Decimal(str(v)) for v in fractions), name)

    def at(self, when: Period | int) -> Decimal:
        return self.fractions[_month_of(when) - 1]


def quarterly_step(
    q1: Decimal | str = "0.25",
    h1: Decimal | str = "0.50",
    q3: Decimal | str = "0.75",
    name: str | None = None,
) -> CumulativeCurve:
    """Quarterly milestones as a step function.

    The milestone of a quarter is due at the END of the quarter and stays the requirement
    until the next quarter ends: with the usual 25/50/75/100%, months 1–2 → 0, 3–5 → 25%,
    6–8 → 50%, 9–11 → 75%, 12 → 100%. (A curve that rises inside a quarter is a custom
    curve: pass the 12 fractions to ``CumulativeCurve.of``.)
    """
    a, b, c = Decimal(str(q1)), Decimal(str(h1)), Decimal(str(q3))
    zero, one = Decimal(0), Decimal(1)
    steps = (zero, zero, a, a, a, b, b, b, c, c, c, one)
    label = name or f"季度节点（{_pct(a)}/{_pct(b)}/{_pct(c)}/100%）"
    return CumulativeCurve(steps, label)


LINEAR = LinearCurve()
QUARTERLY = quarterly_step()
# DOMAIN.md: "one province used 22% for Q1" — a lighter first quarter (Spring Festival)
# than the linear 25%. The other milestones are not given by the source; the usual 50%,
# 75% and 100% are assumed here.
QUARTERLY_Q1_22 = quarterly_step("0.22", "0.50", "0.75", name="一季度22%")


# ---------------------------------------------------------------------------------------
# Attainment
# ---------------------------------------------------------------------------------------

AHEAD = "ahead"  # 超进度
ON_TRACK = "on_track"  # 达进度 / 正常推进
BEHIND = "behind"  # 欠进度
DONE = "done"  # 已完成
NOT_STARTED = "not_started"  # 未启动
STATUSES = (AHEAD, ON_TRACK, BEHIND, DONE, NOT_STARTED)

# Published percentages are sometimes 0.1 off their own numbers: differences of up to
# this many percentage points count as equal.
TOLERANCE_POINTS = Decimal("0.1")
# "左右": default band for rates, in percentage points (DOMAIN.md; a setting).
APPROX_BAND_POINTS = Decimal("0.5")


@dataclass(frozen=True)
class Attainment:
    """The outcome of one judgement and the numbers it used, so a page can explain it.

    kind: "absolute" (completion vs 序时), "rate" (a growth rate or other rate vs its
    target), "upper_bound" (below a bound), "approx" (within a band), "range".
    ``completion`` and ``time_progress`` are fractions (absolute targets only);
    ``gap_points`` is in percentage points, positive when ahead of what is required.
    """

    status: str
    kind: str
    comparator: str
    actual: Decimal
    target: Decimal
    target_max: Decimal | None = None
    completion: Decimal | None = None
    time_progress: Decimal | None = None
    gap_points: Decimal | None = None
    band_points: Decimal | None = None
    unit: str = ""
    period: Period | None = None


def _points(ratio: Decimal) -> Decimal:
    return ratio * _HUNDRED


def _year_end(period: Period | int | None) -> bool:
    return period is not None and _month_of(period) == 12


def judge_absolute(
    completed: Decimal,
    annual_target: Decimal,
    period: Period | int,
    *,
    curve: Curve = LINEAR,
    comparator: str = "ge",
    tolerance: Decimal = TOLERANCE_POINTS,
    ahead_margin: Decimal | None = None,
    unit: str = "",
) -> Attainment:
    """An absolute target (e.g. 新增企业15家、产值2400亿元) against 序时进度.

    completion = completed ÷ annual_target; time progress = curve(M);
    gap = (completion − time progress) × 100 percentage points.

    - done: the target is reached (completed ≥ target; > for "gt"; "eq" and "approx"
      count as ≥, as DESIGN.md says for attainment);
    - not_started: nothing completed yet (completed ≤ 0);
    - behind: gap < −tolerance; ahead: gap > ahead_margin (default: the tolerance);
      otherwise on_track.
    """
    if annual_target <= 0:
        raise ValueError("年度目标应大于0。")
    if comparator not in {"ge", "gt", "eq", "approx", "range"}:
        raise ValueError(
            f"绝对量目标不支持比较符 {comparator!r}（上限目标请用 judge_upper_bound）。"
        )
    margin = tolerance if ahead_margin is None else ahead_margin
    completion = completed / annual_target
    progress = curve.at(period)
    gap = _points(completion - progress)
    reached = completed > annual_target if comparator == "gt" else completed >= annual_target
    if reached:
        status = DONE
    elif completed <= 0:
        status = NOT_STARTED
    elif gap < -tolerance:
        status = BEHIND
    elif gap > margin:
        status = AHEAD
    else:
        status = ON_TRACK
    return Attainment(
        status=status,
        kind="absolute",
        comparator=comparator,
        actual=completed,
        target=annual_target,
        completion=completion,
        time_progress=progress,
        gap_points=gap,
        unit=unit,
        period=period if isinstance(period, Period) else None,
    )


def judge_growth(
    growth: Decimal,
    target_rate: Decimal,
    *,
    comparator: str = "ge",
    period: Period | int | None = None,
    tolerance: Decimal = TOLERANCE_POINTS,
    unit: str = "%",
) -> Attainment:
    """A rate target (增长6.5%以上、占比达到30%) judged on the cumulative figure, no curve.

    YoY growth of Jan–M is Σ this year's Jan–M ÷ Σ last year's Jan–M − 1, already a
    year-to-date measure, so it is compared with the annual target rate directly.
    gap = growth − target (percentage points).

    - ge / eq (eq counts as ≥): met when gap ≥ −tolerance;
    - gt (超过/突破, strict): met when growth > target, no tolerance;
    - met → on_track, or ahead when gap > tolerance, or done at year end (month 12);
      not met → behind.
    """
    if comparator not in {"ge", "gt", "eq"}:
        raise ValueError(f"增速目标不支持比较符 {comparator!r}。")
    gap = growth - target_rate
    met = growth > target_rate if comparator == "gt" else gap >= -tolerance
    if not met:
        status = BEHIND
    elif _year_end(period):
        status = DONE
    elif gap > tolerance:
        status = AHEAD
    else:
        status = ON_TRACK
    return Attainment(
        status=status,
        kind="rate",
        comparator=comparator,
        actual=growth,
        target=target_rate,
        gap_points=gap,
        unit=unit,
        period=period if isinstance(period, Period) else None,
    )


def judge_upper_bound(
    actual: Decimal,
    bound: Decimal,
    *,
    comparator: str = "lt",
    period: Period | int | None = None,
    tolerance: Decimal = TOLERANCE_POINTS,
    unit: str = "%",
) -> Attainment:
    """An upper-bound target (失业率低于4.3%、控制在…以内) is met while below the bound.

    - lt (低于, strict): met when actual < bound;
    - le (以内/不超过): met when actual ≤ bound + tolerance.
    gap = bound − actual (percentage points of headroom; negative when over).
    Met → on_track (done at year end); not met → behind.
    """
    if comparator not in {"lt", "le"}:
        raise ValueError(f"上限目标的比较符应为 lt 或 le，收到 {comparator!r}。")
    gap = bound - actual
    met = actual < bound if comparator == "lt" else gap >= -tolerance
    status = (DONE if _year_end(period) else ON_TRACK) if met else BEHIND
    return Attainment(
        status=status,
        kind="upper_bound",
        comparator=comparator,
        actual=actual,
        target=bound,
        gap_points=gap,
        unit=unit,
        period=period if isinstance(period, Period) else None,
    )


def judge_approx(
    actual: Decimal,
    target: Decimal,
    *,
    band: Decimal = APPROX_BAND_POINTS,
    higher_is_better: bool = True,
    period: Period | int | None = None,
    unit: str = "%",
) -> Attainment:
    """A "左右" target (增长6.5%左右): met within target ± band (default ±0.5 point).

    Within the band → on_track (done at year end). Outside it, the direction decides:
    for a quantity where more is better (growth, shares) above the band is ahead and
    below is behind; with ``higher_is_better=False`` (e.g. 能耗下降…左右 written as a
    level) it is the reverse. gap = actual − target.
    """
    gap = actual - target
    if abs(gap) <= band:
        status = DONE if _year_end(period) else ON_TRACK
    elif (gap > 0) == higher_is_better:
        status = AHEAD
    else:
        status = BEHIND
    return Attainment(
        status=status,
        kind="approx",
        comparator="approx",
        actual=actual,
        target=target,
        gap_points=gap,
        band_points=band,
        unit=unit,
        period=period if isinstance(period, Period) else None,
    )


def judge_range(
    actual: Decimal,
    low: Decimal,
    high: Decimal,
    *,
    period: Period | int | None = None,
    tolerance: Decimal = TOLERANCE_POINTS,
    unit: str = "",
) -> Attainment:
    """A range target (高于全省3至5个百分点、新增1至2个): the low end is the requirement.

    Below low − tolerance → behind; within [low, high] (± tolerance) → on_track, done at
    year end; above high → ahead. gap = actual − low.
    """
    if high < low:
        raise ValueError("区间目标的上限不能小于下限。")
    gap = actual - low
    if gap < -tolerance:
        status = BEHIND
    elif actual > high + tolerance:
        status = AHEAD
    else:
        status = DONE if _year_end(period) else ON_TRACK
    return Attainment(
        status=status,
        kind="range",
        comparator="range",
        actual=actual,
        target=low,
        target_max=high,
        gap_points=gap,
        unit=unit,
        period=period if isinstance(period, Period) else None,
    )


RATE_UNITS = frozenset({"%", "个百分点"})


def judge(
    comparator: str,
    value: Decimal,
    actual: Decimal,
    *,
    value_max: Decimal | None = None,
    unit: str = "",
    period: Period | int | None = None,
    curve: Curve = LINEAR,
    tolerance: Decimal = TOLERANCE_POINTS,
    approx_band: Decimal = APPROX_BAND_POINTS,
) -> Attainment:
    """Pick the judgement a target (comparator, value[, value_max], unit) needs.

    - le / lt → upper bound;
    - rates (unit % or 个百分点): approx → band; range → range; ge / gt / eq → rate;
    - otherwise absolute (cumulative completion vs the curve), which needs ``period``;
      a range uses its low end as the annual target.
    """
    if comparator in {"le", "lt"}:
        return judge_upper_bound(
            actual, value, comparator=comparator, period=period, tolerance=tolerance, unit=unit
        )
    if unit in RATE_UNITS:
        if comparator == "approx":
            return judge_approx(actual, value, band=approx_band, period=period, unit=unit)
        if comparator == "range":
            if value_max is None:
                raise ValueError("区间目标缺少上限。")
            return judge_range(
                actual, value, value_max, period=period, tolerance=tolerance, unit=unit
            )
        return judge_growth(
            actual, value, comparator=comparator, period=period, tolerance=tolerance, unit=unit
        )
    if period is None:
        raise ValueError("绝对量目标需要统计期以计算序时进度。")
    return judge_absolute(
        actual,
        value,
        period,
        curve=curve,
        comparator=comparator,
        tolerance=tolerance,
        unit=unit,
    )


# ---------------------------------------------------------------------------------------
# Explanation in Chinese
# ---------------------------------------------------------------------------------------


def _num(value: Decimal) -> str:
    """Without trailing zeros or exponent: Decimal("10.0") → "10"."""
    return format(value.normalize(), "f")


def _rate(value: Decimal, unit: str) -> str:
    return f"{_one(value)}{unit or '%'}"


def _gap_words(gap: Decimal, *, ahead: str = "超前", behind: str = "落后") -> str:
    shown = _one(abs(gap))
    if shown == "0.0":
        return "与序时进度持平"
    return f"{ahead if gap > 0 else behind}{shown}个百分点"


_OPS = {"ge": "不低于", "gt": "超过", "eq": "达到", "le": "不超过", "lt": "低于"}


def explain_zh(result: Attainment) -> str:
    """One sentence for a page, e.g. "完成年度目标的23.5%，序时进度25.0%，落后1.5个百分点"."""
    gap = result.gap_points if result.gap_points is not None else Decimal(0)
    points = f"{_one(abs(gap))}个百分点"
    if result.kind == "absolute":
        done = _pct(result.completion or Decimal(0))
        progress = _pct(result.time_progress or Decimal(0))
        if result.status == DONE:
            return f"已完成年度目标（完成{done}），序时进度{progress}"
        if result.status == NOT_STARTED:
            return f"尚未启动（完成年度目标的{done}），序时进度{progress}"
        words = _gap_words(gap)
        if result.status == ON_TRACK and _one(abs(gap)) != "0.0":
            words += "（在允许误差内）"
        return f"完成年度目标的{done}，序时进度{progress}，{words}"
    actual = _rate(result.actual, result.unit)
    if result.kind == "approx":
        band = result.band_points if result.band_points is not None else APPROX_BAND_POINTS
        target = f"{_num(result.target)}{result.unit or '%'}左右（±{_num(band)}个百分点）"
        if result.status in {ON_TRACK, DONE}:
            verdict = "在目标区间内" + ("，已完成" if result.status == DONE else "")
        else:
            verdict = f"{'高于' if gap > 0 else '低于'}目标{points}"
        return f"实际{actual}，目标{target}，{verdict}"
    if result.kind == "range":
        high = result.target_max if result.target_max is not None else result.target
        unit = result.unit
        target = f"{_num(result.target)}至{_num(high)}{unit}"
        if result.status == BEHIND:
            verdict = f"低于下限{_one(abs(gap))}{'个百分点' if unit in RATE_UNITS else unit}"
        elif result.status == AHEAD:
            verdict = "高于上限"
        else:
            verdict = "在目标区间内" + ("，已完成" if result.status == DONE else "")
        return f"实际{_num(result.actual)}{unit}，目标{target}，{verdict}"
    target = f"{_OPS.get(result.comparator, '')}{_num(result.target)}{result.unit or '%'}"
    if result.kind == "upper_bound":
        if result.status == BEHIND:
            if gap == 0:
                return f"实际{actual}，目标{target}，未达标"
            return f"实际{actual}，目标{target}，超出{points}"
        return f"实际{actual}，目标{target}，{'已完成' if result.status == DONE else '达标'}"
    # a rate judged without a curve
    if result.status == BEHIND:
        if gap >= 0:  # a strict target (超过) met exactly is not met
            return f"累计{actual}，目标{target}，未超过目标"
        return f"累计{actual}，目标{target}，低于目标{points}"
    if result.status == DONE:
        return f"累计{actual}，目标{target}，已完成"
    if _one(abs(gap)) == "0.0":
        return f"累计{actual}，目标{target}，与目标持平"
    return f"累计{actual}，目标{target}，{'高于' if gap > 0 else '低于'}目标{points}"


def describe_curve(curve: Curve, months: Sequence[int] = (3, 6, 9, 12)) -> str:
    """ "3月25.0%、6月50.0%、9月75.0%、12月100.0%" — for a settings page."""
    return "、".join(f"{m}月{_pct(curve.at(m))}" for m in months)
