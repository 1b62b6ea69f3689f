"""Quantitative target extraction from Chinese task text and documents.

A target is (indicator, comparator, value[, value_max], unit, hedge) — DESIGN.md "Targets".
``extract_targets(text)`` reads item content, target columns or whole documents and
returns the targets it finds, each with the clause it came from. Pure Python: the rules
below are the whole story, and docs/targets.md tells them in Chinese.

How a text is read
------------------
1. Normalised: full-width digits and ％ folded; Markdown emphasis and ★ dropped; lines
   wrapped mid-sentence (PDF copies, newspaper columns, page breaks) are joined; spaces
   between Chinese characters removed.
2. Split into sentences (。；！？ and hard line breaks) and clauses (，：… and half-width
   commas).
3. In each clause, quantities are found: an Arabic number, optional 万/亿, a known unit
   (``%``, ``个百分点``, counts such as 个/家/项/场次, measures such as 元/千瓦/吨), an optional
   range (``1至2个``, ``3-5个百分点``, ``1000万元至2000万元``) and an optional qualifier
   (以上/以下/以内/左右). A number without a known unit is never a target: dates (1月21日),
   years (2021年度), list numbers (1.), document numbers (〔2018〕5号), 5G, 10余家.
4. What follows a quantity decides its role:
   - punctuation, a conjunction (、和及与或且并) or "的目标": the quantity closes a target
     phrase whose indicator is the text before it ("新增省级以上绿色制造示范企业15家以上");
   - a noun after a count ("打造5个智能工厂"): the count is the target when a work verb
     (打造、新增、培育、实施、推动 …) governs it directly, or through an enumeration ending
     in 等 ("培育工业互联网、船舶海工等6-8个科技创新中心"); the indicator is verb + noun;
   - "的" or a noun after money or a rate ("总投资512亿元的27个重点项目",
     "新增产值5亿元以上企业", "最高100万元奖励"): an attribute or a policy criterion, not a
     target; a list ending in such a quantity is all criteria
     ("新增工业产值超过3亿元、增速不低于15%的工业企业").
5. Not targets either: quantities after a past, ongoing, reporting or forecast marker in
   the same sentence (已、已经、了、正在、目前、截至、累计、预计、梳理、汇总) unless a future
   marker comes between them (要、将、力争、确保、计划、下步): "已建成5G基站1812个，…，3年内
   要再建设1万个" gives only the 1万个; asides in parentheses ("（占比24.4%）"); amounts
   right after 总投资/计划投资 (the scale of a project set); approximate counts (10余家,
   4个多百分点).

Comparators (before the number, after it, or both):
以上/不低于/不少于/至少 → ge · 左右/上下 → approx · 突破/超过/高于/大于 → gt (strict) ·
以内/以下/不超过/不高于/控制在 → le · 低于/少于 → lt · 至 / - between two numbers → range ·
达到/达/plain "增长N%" → eq. A qualifier after the number wins over 达到 (达到13%以上 → ge);
突破/超过 stay strict. 力争 before the quantity in the sentence sets hedge = "力争" (确保
after it ends the hedge); it never changes the comparator.

Indicator rule
--------------
The indicator names the measured quantity in the document's own words: the phrase before
the number (or verb + noun, see 4), with the comparator word removed and trimmed of
- time words (今年、全年、年内、三年内、2024年 at the start), hedges and frames (力争、确保、
  争取、要达到、实现), adverbs (加快、全力、大力、积极、持续、进一步、滚动、切实、再、要、将),
  connectives (其中、同时、即、并), a leading 推动 (推动X达到N → X), 分别 and locatives before
  a work verb (在全区打造 → 打造); a leading 至少/不少于 becomes the comparator ge;
- growth words are kept, since they are what is measured: "规模以上工业增加值同比增长" (the
  growth rate), "核心产业占比提高" (an increase in points);
- a relative reference stays in the indicator: "工业投资增速高于全省" 3至5个百分点.
Three small completions, all within one sentence:
- 占…比重 without a subject, or a bare 同比增长/增速, takes the previous target's subject
  ("工业投资同比增长10%左右，占全部投资比重达到30%左右" → "工业投资占全部投资比重");
- list items without a verb take 新增/新增培育 from the previous target ("新增A5家以上、
  B10家以上" → "新增B"); items without any words repeat the previous indicator
  ("产值超过1亿、3亿、5亿元");
- a bare work verb takes the object of the previous quantity ("已建成5G基站1812个，…，
  要再建设1万个" → "建设5G基站").
"分别" zips subjects with values ("A、B、C分别达90%、80%、50%以上"), or shares one value
among subjects, or one subject among values.

Values are Decimal. Counts absorb 万/亿 (1万个 → 10000 个); money and physical measures keep
them in the unit (2400亿元 → 2400 亿元, 万元, 万千瓦, 万吨). Repeats of the same (indicator,
comparator, value, value_max, unit) in one text are reported once, at their first clause.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

__all__ = ["Target", "extract_targets", "normalise_text", "split_sentences", "targets_json"]

COMPARATORS = ("ge", "gt", "le", "lt", "approx", "eq", "range")
HEDGE = "力争"


@dataclass(frozen=True)
class Target:
    """One quantitative target and the clause it was read from."""

    text: str
    indicator: str
    comparator: str
    value: Decimal
    value_max: Decimal | None
    unit: str
    hedge: str | None = None

    @property
    def key(self) -> tuple:
        return (self.indicator, self.comparator, self.value, self.value_max, self.unit)

    def as_tuple(self) -> tuple:
        """(indicator, comparator, value, value_max, unit, hedge) — handy in tests."""
        return (self.indicator, self.comparator, self.value, self.value_max, self.unit, self.hedge)

    def as_json(self) -> dict:
        return {
            "text": self.text,
            "indicator": self.indicator,
            "comparator": self.comparator,
            "value": _json_number(self.value),
            "value_max": None if self.value_max is None else _json_number(self.value_max),
            "unit": self.unit,
            "hedge": self.hedge,
        }


def _json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


# ---------------------------------------------------------------------------------------
# Normalisation and splitting
# ---------------------------------------------------------------------------------------

_FULLWIDTH = str.maketrans("０１２３４５６７８９％．", "0123456789%.")
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_SPACE_BETWEEN = re.compile(
    rf"(?<=[{_CJK}\d%“”（）《》、，。；：！？·\-—…]) +|[ \u3000]+(?=[{_CJK}“”（）《》、，。；：！？])"
)
_BLOCK_START = re.compile(r"^(?:#|[-*+] |■|□|●|◆|\||\t)")
_BLOCK_MARK = re.compile(r"^(?:#+\s*|[-*+]\s+|\|\s*)")
_TERMINAL = "。！？；!?;：:"


def normalise_text(text: str) -> str:
    """The text as extraction reads it: one sentence-ish unit per line.

    Full-width digits folded; ``**`` and ★ dropped; a line that does not end a sentence
    is joined with the next one (also across blank lines) unless either is a heading,
    list bullet, picture caption or table cell; spaces between Chinese characters removed.
    """
    text = text.translate(_FULLWIDTH).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("**", "").replace("★", "").replace("☆", "")
    out: list[str] = []
    previous_joinable = False
    for raw in text.split("\n"):
        line = raw.rstrip()
        stripped = line.strip(" \u3000")
        if not stripped.strip():
            continue
        block = bool(_BLOCK_START.match(line.lstrip(" \u3000")) or line.startswith("\t"))
        content = _BLOCK_MARK.sub("", stripped.strip()) if block else stripped.strip()
        if not content:
            continue
        if out and previous_joinable and not block:
            out[-1] += content
        else:
            out.append(content)
        previous_joinable = not block and content[-1] not in _TERMINAL
    return "\n".join(_SPACE_BETWEEN.sub("", line) for line in out)


_SENTENCE_END = re.compile(r"[。！？；;!?\n]+")
_CLAUSE_END = re.compile(r"(?:[，：:]|……|…|,(?!\d{3}))")


def split_sentences(text: str) -> list[str]:
    """Sentences of an already normalised text (。；！？ and line breaks)."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def _clauses(sentence: str) -> list[tuple[int, str]]:
    """(offset in the sentence, clause) pairs."""
    out, start = [], 0
    for m in _CLAUSE_END.finditer(sentence):
        out.append((start, sentence[start : m.start()]))
        start = m.end()
    out.append((start, sentence[start:]))
    return [(offset, clause) for offset, clause in out if clause.strip()]


# ---------------------------------------------------------------------------------------
# Quantities
# ---------------------------------------------------------------------------------------

_RATE_UNITS = (("个百分点", "个百分点"), ("百分点", "个百分点"), ("%", "%"))
_MEASURE_UNITS = ("千瓦时", "千瓦", "平方米", "立方米", "公里", "吨标准煤", "吨", "亩", "元")
_COUNT_UNITS = (
    "场次", "人次", "个", "家", "项", "人", "名", "场", "次", "台", "套", "座", "条", "件",
    "户", "所", "款", "处", "辆", "艘", "批", "种", "部",
)  # fmt: skip
_MAGNITUDE = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}
_QUALIFIERS: tuple[tuple[str, str], ...] = (
    ("及以上", "ge"), ("以上", "ge"), ("以下", "le"), ("以内", "le"), ("之内", "le"),
    ("左右", "approx"), ("上下", "approx"),
)  # fmt: skip
_RANGE_SEP = "至到-－—–~～"
_NUMBER = re.compile(r"(?<![\d.A-Za-z第])\d+(?:\.\d+)?")
_LIST_SEPARATORS = "、和及与或且并"


@dataclass
class _Quantity:
    start: int
    end: int  # after the unit and qualifier
    value: Decimal
    value_max: Decimal | None
    unit: str | None  # None: a bare 万/亿 waiting for the unit of a later list item
    magnitude: str | None
    kind: str  # rate | measure | count | bare
    qualifier: str | None
    follow: str  # closed | noun | attr | skip
    separator_end: int | None = None  # after a list separator right behind it


def _read_unit(s: str, i: int) -> tuple[str | None, str | None, str, int]:
    """(magnitude, unit, kind, end) of what follows a number at i."""
    magnitude = s[i] if i < len(s) and s[i] in _MAGNITUDE else None
    j = i + (1 if magnitude else 0)
    if magnitude is None:
        for written, unit in _RATE_UNITS:
            if s.startswith(written, j):
                return None, unit, "rate", j + len(written)
    for base in _MEASURE_UNITS:
        if s.startswith(base, j):
            return magnitude, (magnitude or "") + base, "measure", j + len(base)
    for base in _COUNT_UNITS:
        if s.startswith(base, j):
            return magnitude, base, "count", j + len(base)
    if magnitude:
        return magnitude, None, "bare", j
    return None, None, "none", i


def _scaled(value: Decimal, magnitude: str | None, kind: str) -> Decimal:
    if magnitude and kind == "count":
        return _tidy(value * _MAGNITUDE[magnitude])
    return value


def _tidy(value: Decimal) -> Decimal:
    """1.2 × 10000 → 12000, not 12000.0."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def _follow(clause: str, j: int, kind: str) -> str:
    rest = clause[j:]
    if not rest or rest[0] in "、）)”』」" or rest[0] in _LIST_SEPARATORS:
        return "closed"
    if re.match(r"的(?:年度|工作)?(?:目标|任务)", rest):
        return "closed"
    if rest[0] == "的":
        return "attr"
    if rest[0] in "级倍":
        return "skip"
    return "noun" if kind == "count" else "attr"


def _quantities(clause: str) -> list[_Quantity]:
    found: list[_Quantity] = []
    pos = 0
    while m := _NUMBER.search(clause, pos):
        pos = m.end()
        if m.start() < (found[-1].end if found else 0):
            continue
        if _inside_title(clause, m.start()):
            continue
        value = Decimal(m.group())
        magnitude, unit, kind, j = _read_unit(clause, m.end())
        if j < len(clause) and clause[j] in "余多":
            continue  # 10余家, 3000多人: narrative counts, never targets
        value_max = None
        m2 = _NUMBER.match(clause, j + 1) if j < len(clause) and clause[j] in _RANGE_SEP else None
        if m2 and kind in {"none", "bare", "measure"}:
            mag2, unit2, kind2, j2 = _read_unit(clause, m2.end())
            if kind2 in {"none", "bare"}:
                continue  # 20-22日, 1-3月份, 2021-2025年
            value = _scaled(value, magnitude or mag2, kind2)
            value_max = _scaled(Decimal(m2.group()), mag2, kind2)
            magnitude, unit, kind, j = mag2, unit2, kind2, j2
        elif kind != "none":
            value = _scaled(value, magnitude, kind)
        if kind == "none" or clause.startswith(("多", "余"), j):
            continue  # 4个多百分点: an approximate, narrative figure
        qualifier = None
        for written, comparator in _QUALIFIERS:
            if clause.startswith(written, j):
                qualifier, j = comparator, j + len(written)
                break
        follow = _follow(clause, j, kind)
        q = _Quantity(m.start(), j, value, value_max, unit, magnitude, kind, qualifier, follow)
        if follow == "closed" and j < len(clause) and clause[j] in _LIST_SEPARATORS:
            q.separator_end = j + 1
        found.append(q)
        pos = j
    return found


def _inside_title(clause: str, i: int) -> bool:
    """Inside 《…》: a document or book title, never a target."""
    return clause.rfind("《", 0, i) > clause.rfind("》", 0, i)


# ---------------------------------------------------------------------------------------
# Words
# ---------------------------------------------------------------------------------------

_WORK_VERBS = (
    "新增培育", "新增认定", "新增", "培育", "打造", "新建", "建设", "建成", "突破", "实施",
    "推进", "推动", "开放", "发布", "带动", "引进", "招引", "引育", "认定", "创建", "完成",
    "举办", "开展", "攻克", "培训", "改造", "服务", "帮扶", "扶持", "支持", "走访", "孵化",
    "签约", "落地", "开工", "竣工", "投产", "上线",
)  # fmt: skip
_VERB_ALT = "|".join(_WORK_VERBS)
_GOVERNING_VERB = re.compile(rf"^({_VERB_ALT})(?:(?:[^，、]*、)*[^，、]*?等)?$")
_CARRIED_VERB = re.compile(r"^(新增培育|新增认定|新增)")
_PRE_COMPARATORS = (
    ("不低于", "ge"), ("不少于", "ge"), ("至少", "ge"), ("不超过", "le"), ("不高于", "le"),
    ("不大于", "le"), ("控制在", "le"), ("超过", "gt"), ("突破", "gt"), ("高于", "gt"),
    ("大于", "gt"), ("多于", "gt"), ("低于", "lt"), ("少于", "lt"), ("小于", "lt"),
    ("提高到", "eq"), ("提升到", "eq"), ("达到", "eq"), ("保持在", "eq"), ("达", "eq"),
)  # fmt: skip
_TIME_WORDS = re.compile(r"全年|今年|当年|年内|[\d一二三四五]年内")
_LEADING_YEAR = re.compile(r"^(?:到|至)?20\d\d年(?:度|底|末)?")
_HEDGES = re.compile(r"力争|确保|争取|努力")
_FRAME = re.compile(r"^.*(?:要达到|要实现|达到|实现)(?=.)")
_ADVERBS = re.compile(
    r"^(?:其中|同时|并且|即|切实|加快|全力|大力|积极|持续|进一步|滚动|着力|要(?![素求])|将|再|还|并|且)+"
)
_GROWTH_TAIL = re.compile(r"(?:同比|年均)?(?:增长|增速|提高|提升|下降|降低|增加|减少)$")
_PAST = re.compile(r"已经|已|(?<![为除])了|正在|目前|截至|截止|累计|预计|曾|梳理|汇总|摸排")
_SCALE = re.compile(r"(?:总投资|计划投资)(?:超过|约|达)?$")
_FUTURE = re.compile(r"(?<![重主需只])要(?![素求点])|将|力争|确保|计划|下步|下一步|拟|争取")
_GROWTH_ONLY = re.compile(r"^(?:同比|年均|比上年)?(?:增长|增速|提高|提升|下降|降低|增加|减少)$")
_VERB_OR_PAST = re.compile(rf"(?:已经?|正在)?(?:{_VERB_ALT})")
_LOCATIVE = re.compile(r"^在[^，]{1,12}?(?=" + _VERB_ALT + ")")


def _clean(phrase: str, *, frame: bool = True) -> str:
    """Trim a phrase to the indicator (see the module docstring)."""
    text = phrase.strip(" 　、，")
    text = _HEDGES.sub("", text)
    text = _TIME_WORDS.sub("", text)
    text = _LEADING_YEAR.sub("", text)
    if frame:
        text = _FRAME.sub("", text)
    if (stripped := _ADVERBS.sub("", text)) or not text:
        text = stripped
    text = _LOCATIVE.sub("", text)
    if text.endswith("分别"):
        text = text[:-2]
    return text.strip(" 　、")


def _split_comparator(leading: str) -> tuple[str, str | None]:
    """("高技术…比重达到", …) → ("高技术…比重", "eq")."""
    for word, comparator in _PRE_COMPARATORS:
        if leading.endswith(word):
            return leading[: -len(word)], comparator
    return leading, None


def _comparator(pre: str | None, q: _Quantity) -> str:
    if q.value_max is not None:
        return "range"
    if q.qualifier == "approx":
        return "approx"
    if q.qualifier == "ge":
        return "gt" if pre == "gt" else "ge"
    if q.qualifier == "le":
        return "lt" if pre == "lt" else "le"
    return pre or "eq"


def _object_noun(leading: str, trailing: str) -> str:
    """What a quantity counts, for a later bare verb: "新区已建成5G基站" → "5G基站"."""
    if trailing:
        return trailing
    text = _clean(leading, frame=False)
    ends = [m.end() for m in _VERB_OR_PAST.finditer(text)]
    return text[ends[-1] :] if ends else text


# ---------------------------------------------------------------------------------------
# Extraction
# ---------------------------------------------------------------------------------------


@dataclass
class _Sentence:
    text: str
    targets: list[Target] = field(default_factory=list)
    object_noun: str = ""


def _narrative(sentence: str, position: int) -> bool:
    """A past, ongoing, reported or forecast figure, or an aside in parentheses.

    Narrative: a marker before it in the sentence (已、正在、累计、预计、梳理 …) and no future
    word (要、将、力争、计划 …) since. An aside: inside （…）. A project set's scale: right
    after 总投资/计划投资.
    """
    before = sentence[:position]
    if max(before.rfind("（"), before.rfind("(")) > max(before.rfind("）"), before.rfind(")")):
        return True
    if _SCALE.search(before):
        return True
    past = [m.end() for m in _PAST.finditer(before)]
    future = [m.end() for m in _FUTURE.finditer(before)]
    return bool(past) and (not future or past[-1] > future[-1])


def _hedge(sentence: str, position: int) -> str | None:
    before = sentence[:position]
    hedge_at = before.rfind(HEDGE)
    return HEDGE if hedge_at >= 0 and before.rfind("确保") < hedge_at else None


def _unit_of(q: _Quantity, later: list[_Quantity]) -> str | None:
    if q.unit is not None:
        return q.unit
    for other in later:  # "1亿、3亿、5亿元": the last item names the unit
        if other.unit is not None:
            if other.kind == "measure" and q.magnitude and not other.magnitude:
                return None
            if other.kind == "measure":
                return q.magnitude + other.unit.lstrip("万亿") if q.magnitude else other.unit
            if other.kind == "count" and q.magnitude:
                q.value = _tidy(q.value * _MAGNITUDE[q.magnitude])
                q.magnitude = None
            return other.unit
        if other.separator_end is None:
            break
    return None


def _extract_respectively(sentence: _Sentence, offset: int, clause: str) -> list[Target] | None:
    """ "A、B分别达90%、80%以上" and friends; None when the clause does not fit the shape."""
    at = clause.find("分别")
    if at < 0:
        return None
    quantities = _quantities(clause)
    if not quantities or quantities[0].start < at:
        return None
    for q, nxt in zip(quantities, quantities[1:], strict=False):
        if q.separator_end is None or clause[q.separator_end : nxt.start].strip():
            return None
    last = quantities[-1]
    if last.follow not in {"closed"}:
        return [] if last.follow == "attr" else None
    subjects = [s for s in (_clean(p) for p in clause[:at].split("、")) if s]
    predicate, pre = _split_comparator(clause[at + 2 : quantities[0].start])
    if not subjects:
        return None
    if len(quantities) == len(subjects):
        pairs = list(zip(subjects, quantities, strict=True))
    elif len(quantities) == 1:
        pairs = [(s, quantities[0]) for s in subjects]
    elif len(subjects) == 1:
        pairs = [(subjects[0], q) for q in quantities]
    else:
        return None
    out = []
    for subject, q in pairs:
        position = offset + q.start
        if _narrative(sentence.text, position):
            continue
        unit = _unit_of(q, quantities[quantities.index(q) + 1 :])
        if unit is None:
            continue
        qualified = replace(q, qualifier=q.qualifier or last.qualifier)
        out.append(
            Target(
                text=clause,
                indicator=subject + predicate,
                comparator=_comparator(pre, qualified),
                value=q.value,
                value_max=q.value_max,
                unit=unit,
                hedge=_hedge(sentence.text, position),
            )
        )
    sentence.targets.extend(out)
    return out


def _extract_clause(sentence: _Sentence, offset: int, clause: str) -> list[Target]:
    respectively = _extract_respectively(sentence, offset, clause)
    if respectively is not None:
        return respectively
    quantities = _quantities(clause)
    # Item boundaries: a quantity closed by a list separator ends its item; a quantity
    # followed by a noun ends at the last list separator before the next quantity; with
    # no separator in between the earlier quantity is part of the later one's phrase.
    starts: list[int] = []
    ends: list[int] = []
    embedded: list[bool] = []
    item_start = 0
    for k, q in enumerate(quantities):
        starts.append(item_start)
        nxt = quantities[k + 1] if k + 1 < len(quantities) else None
        if nxt is None:
            ends.append(len(clause))
            embedded.append(False)
            continue
        if q.separator_end is not None:
            ends.append(q.separator_end - 1)
            embedded.append(False)
            item_start = q.separator_end
            continue
        between = clause[q.end : nxt.start]
        cut = _last_separator(between)
        if cut is None:
            ends.append(q.end)
            embedded.append(True)
        else:
            ends.append(q.end + cut)
            embedded.append(False)
            item_start = q.end + cut + 1
    # A list that ends in a criterion ("超过3亿元、增速不低于15%的工业企业") is all criteria.
    attr = [q.follow in {"attr", "skip"} for q in quantities]
    for k in range(len(quantities) - 2, -1, -1):
        if quantities[k].separator_end is not None and attr[k + 1]:
            attr[k] = True

    out: list[Target] = []
    previous: Target | None = None
    previous_verb: str | None = None
    for k, q in enumerate(quantities):
        leading_raw = clause[starts[k] : q.start]
        trailing = clause[q.end : ends[k]] if q.follow == "noun" else ""
        position = offset + q.start
        noun = _object_noun(leading_raw, trailing)
        if embedded[k] or attr[k]:
            sentence.object_noun = noun or sentence.object_noun
            continue
        if _narrative(sentence.text, position):
            sentence.object_noun = noun or sentence.object_noun
            continue
        unit = _unit_of(q, quantities[k + 1 :])
        if unit is None:
            continue
        hedge = _hedge(sentence.text, position)
        leading = _clean(leading_raw)
        if q.follow == "noun":
            if not leading and previous is not None and previous_verb:
                verb_phrase = previous_verb
            else:
                governed = _GOVERNING_VERB.search(_clean(leading_raw, frame=False))
                if not governed:
                    sentence.object_noun = noun or sentence.object_noun
                    continue
                verb_phrase = governed.group(0)
                previous_verb = governed.group(1)
            indicator = verb_phrase + trailing.strip()
            comparator = _comparator(None, q)
        elif not leading_raw.strip() and previous is not None:
            indicator = previous.indicator  # "产值超过1亿、3亿、5亿元"
            comparator = _comparator(_pre_of(previous), q) if q.qualifier else previous.comparator
            if q.value_max is not None:
                comparator = "range"
        else:
            phrase, pre = _split_comparator(_clean(leading_raw))
            phrase = _clean(phrase)
            if pre is None and phrase.startswith(("至少", "不少于")):  # 至少新增3家
                phrase, pre = phrase.removeprefix("至少").removeprefix("不少于"), "ge"
            if phrase.startswith("推动") and len(phrase) > 2:
                phrase = phrase[2:]
            comparator = _comparator(pre, q)
            indicator = _complete(sentence, phrase, pre, q)
        target = Target(clause, indicator, comparator, q.value, q.value_max, unit, hedge)
        out.append(target)
        sentence.targets.append(target)
        previous = target
        sentence.object_noun = noun or sentence.object_noun
    return out


def _pre_of(target: Target) -> str | None:
    return None if target.comparator in {"eq", "range"} else target.comparator


def _last_separator(between: str) -> int | None:
    """Index of the list separator that ends a noun phrase before the next quantity."""
    cut = between.rfind("、")
    if cut >= 0:
        return cut
    if between and between[-1] in "和及与或":
        return len(between) - 1
    return None


def _complete(sentence: _Sentence, phrase: str, pre: str | None, q: _Quantity) -> str:
    """Fill in a subject, a carried 新增 or an elided object within the sentence."""
    earlier = sentence.targets
    if earlier and (phrase.startswith("占") or _GROWTH_ONLY.match(phrase)):
        # "营业收入达到100亿元，同比增长20%，占全市比重提高2个百分点"
        subject = _GROWTH_TAIL.sub("", earlier[-1].indicator.split("占", 1)[0])
        return subject + phrase
    if phrase in _WORK_VERBS and sentence.object_noun:
        return phrase + sentence.object_noun
    if (
        earlier
        and pre is None
        and q.kind == "count"
        and phrase
        and not re.match(rf"(?:{_VERB_ALT})", phrase)
        and (carried := _CARRIED_VERB.match(earlier[-1].indicator))
    ):
        return carried.group(1) + phrase
    return phrase


def extract_targets(text: str) -> list[Target]:
    """The quantitative targets in ``text``, in order of first appearance, each once."""
    seen: set[tuple] = set()
    out: list[Target] = []
    for raw in split_sentences(normalise_text(text)):
        sentence = _Sentence(raw)
        for offset, clause in _clauses(raw):
            for target in _extract_clause(sentence, offset, clause):
                if target.key not in seen:
                    seen.add(target.key)
                    out.append(target)
    return out


def targets_json(text: str) -> str:
    """``extract_targets`` as a JSON list (UTF-8 text, Chinese kept as is)."""
    return json.dumps([t.as_json() for t in extract_targets(text)], ensure_ascii=False, indent=2)
