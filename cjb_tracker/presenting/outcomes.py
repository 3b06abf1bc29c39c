"""Outcome measures as the pages and the pack say them (issue 18): figures in their units,
the milestones of a recommendation, the sentence saying what moved since one, and the
tables under the charts. Every figure from illustrative (demo) data says so beside it.

The sentence states what changed and never why: it reads 'since', never 'because', and
compares the last figure whose period ended before the milestone with the latest whose
period began on or after it. A period that contains the milestone's date (Jan - Mar 2026
for 14 Jan 2026, or any rolling year running across it) counts as neither, and the sentence
says which periods those were.

(About 455 lines, kept as one module: the periods compared, the sentence and the
milestones it is measured from must agree word for word between the page, presenting mode
and the pack, which all read them here.)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd

from cjb_tracker.periods import KIND_WORDS
from cjb_tracker.presenting.shared import uk_date

ILLUSTRATIVE = "illustrative"
ILLUSTRATIVE_NOTE = "Illustrative figures, made up for the demo: not published statistics."
ROLE_WORDS = {
    "own": "the Board's area",
    "national": "national",
    "similar": "most similar group",
    "other": "comparator",
}
HOW_COMPARED = (
    "A figure counts as before a milestone when its whole period ended before the "
    "milestone's date, and as after it when its period began on or after that date; a "
    "period that contains the date (Jan - Mar 2026 for 14 Jan 2026, or a rolling year "
    "running across it) counts as neither. The sentence compares the last figure before with "
    "the latest after. It says what changed, not why."
)


# --- Figures -----------------------------------------------------------------------------


def series_label(name: str, breakdown: Any) -> str:
    """'Charge rate (Adult rape)'; a series with no breakdown is the measure's name."""
    return f"{name} ({breakdown})" if isinstance(breakdown, str) and breakdown else str(name)


def _number(value: float) -> str:
    """At most two decimals, none when the figure is whole: '5', '5.1', '0.45', '1,234'."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def figure(value: Any, unit: str) -> str:
    """A figure in its unit: '7.4%', '320 days', '1,234', '3.2'; a missing one '—'."""
    if value is None or pd.isna(value):
        return "—"
    number = _number(float(value))
    if unit == "%":
        return f"{number}%"
    if unit == "days":
        return f"{number} day" if float(value) == 1 else f"{number} days"
    return number


def marked(text: str, illustrative: Any) -> str:
    """A figure with '(illustrative)' beside it when it comes from demo data."""
    return f"{text} ({ILLUSTRATIVE})" if bool(illustrative) and text != "—" else text


def change_words(change: float, unit: str) -> str:
    """'up 3 percentage points', 'down 20 days', 'no change'."""
    if change == 0:
        return "no change"
    way = "up" if change > 0 else "down"
    size = abs(change)
    if unit == "%":
        points = _number(size)
        return f"{way} {points} percentage point" + ("" if size == 1 else "s")
    return f"{way} {figure(size, unit)}"


def verdict(change: float, better: str) -> str:
    """'better', 'worse' or 'no change', by the measure's own rule (higher or lower)."""
    if change == 0:
        return "no change"
    return "better" if (change > 0) == (better == "higher") else "worse"


def _the(label: str) -> str:
    """'Charge rate (Adult rape)' -> 'the charge rate (Adult rape)'; a name starting with an
    acronym keeps its capitals ('the ISVA referral rate')."""
    first = label.split(" ", 1)[0]
    if len(first) > 1 and first[1:].islower():
        label = label[0].lower() + label[1:]
    return f"the {label}"


# --- Milestones ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Milestone:
    """A date a recommendation's outcomes are read against (recommendation_milestones.sql)."""

    kind: str  # reported | status | completed | superseded | due | revised-due
    on: dt.date
    status: str | None = None
    status_before: str | None = None

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.on.isoformat()}"

    @property
    def label(self) -> str:
        """'Completed (14 Jan 2026)': how a choice of milestone reads."""
        date = uk_date(self.on)
        return {
            "reported": f"First reported: {self.status} ({date})",
            "completed": f"Completed ({date})",
            "superseded": f"Superseded ({date})",
            "status": f"{self.status_before} → {self.status} ({date})",
            "due": f"Original due date ({date})",
            "revised-due": f"Current due date ({date})",
        }.get(self.kind, date)

    @property
    def short(self) -> str:
        """The few words a chart writes beside the milestone's line."""
        return {
            "reported": "First reported",
            "completed": "Completed",
            "superseded": "Superseded",
            "status": f"{self.status}",
            "due": "Original due",
            "revised-due": "Current due",
        }.get(self.kind, "")

    def since(self, rec_id: str) -> str:
        """'RAPE1-R4 was completed (14 Jan 2026)': what 'Since ...' begins with."""
        date = uk_date(self.on)
        return {
            "reported": f"{rec_id} was first reported ({date})",
            "completed": f"{rec_id} was completed ({date})",
            "superseded": f"{rec_id} was superseded ({date})",
            "status": f"{rec_id} moved to {self.status} ({date})",
            "due": f"{rec_id}'s original due date ({date})",
            "revised-due": f"{rec_id}'s current due date ({date})",
        }.get(self.kind, f"{date}")


def milestones_of(frame: pd.DataFrame) -> list[Milestone]:
    """The rows of recommendation_milestones.sql as Milestones, oldest first."""
    return [
        Milestone(
            str(row["kind"]),
            pd.Timestamp(row["on_date"]).date(),
            row["status"] if isinstance(row["status"], str) else None,
            row["status_before"] if isinstance(row["status_before"], str) else None,
        )
        for _, row in frame.iterrows()
        if not pd.isna(row["on_date"])
    ]


def default_milestone(frame: pd.DataFrame) -> Milestone | None:
    """The milestone a sentence reads from unless another is chosen: the latest completion;
    else when the recommendation was first reported; else its original due date."""
    found = milestones_of(frame)
    for kinds in (("completed",), ("reported",), ("due", "revised-due")):
        chosen = [m for m in found if m.kind in kinds]
        if chosen:
            return chosen[-1] if kinds == ("completed",) else chosen[0]
    return None


def milestone_choices(frame: pd.DataFrame) -> dict[str, str]:
    """key -> label of every milestone, oldest first."""
    return {m.key: m.label for m in milestones_of(frame)}


def milestone_by_key(frame: pd.DataFrame, key: str | None) -> Milestone | None:
    """The milestone a choice names; the default one when the key names none."""
    for milestone in milestones_of(frame):
        if milestone.key == key:
            return milestone
    return default_milestone(frame)


# --- What moved ----------------------------------------------------------------------------


def _row_of(compared: pd.DataFrame, role: str) -> pd.Series | None:
    found = compared[compared["series_role"] == role]
    return None if found.empty else found.iloc[0]


def _moved(row: pd.Series, unit: str) -> str:
    before, after = float(row["before_value"]), float(row["after_value"])
    if after == before:
        return f"stayed at {figure(after, unit)}"
    verb = "rose" if after > before else "fell"
    return f"{verb} from {figure(before, unit)} to {figure(after, unit)}"


def _where(row: pd.Series) -> str:
    role, area = row["role"], row["area"]
    if role == "national":
        return f"nationally ({area})"
    if role == "similar":
        return f"in the most similar group ({area})"
    return f"in {area}"


def _both_sides(row: pd.Series | None) -> bool:
    return row is not None and not pd.isna(row["before_value"]) and not pd.isna(row["after_value"])


def change_sentence(
    rec_id: str, milestone: Milestone | None, link: pd.Series, compared: pd.DataFrame
) -> str:
    """What moved in a linked series since a milestone, here and in the comparator
    (measure_before_after.sql's rows), and which figures were compared; never why."""
    label = series_label(link["name"], link["breakdown"])
    subject, unit = _the(label), str(link["unit"])
    if milestone is None:
        return (
            f"{rec_id} has no report and no due date yet, so there is no date to compare "
            f"{subject} before and after."
        )
    own = _row_of(compared, "own")
    date = uk_date(milestone.on)
    since = milestone.since(rec_id)
    if own is None:
        return (
            f"No figures of {subject} are held for the Board's own area, so nothing can be "
            f"said about what moved since {since}."
        )
    kind = KIND_WORDS.get(str(own["period_kind"]), "period")
    if pd.isna(own["before_value"]):
        return _with_note(
            f"Since {since}: no figure of {subject} for {own['area']} covers only the time "
            "before it, so there is nothing to compare with.",
            compared,
        )
    if pd.isna(own["after_value"]):
        latest = own["latest_period"]
        return _with_note(
            f"Since {since}: no figure of {subject} for {own['area']} yet covers only the "
            f"time since; the latest, {latest}, contains {date} and counts as neither. "
            f"The last {kind} wholly before was {own['before_period']}: "
            f"{figure(own['before_value'], unit)}.",
            compared,
        )
    sentence = f"Since {since}, {subject} in {own['area']} {_moved(own, unit)}"
    change = float(own["after_value"]) - float(own["before_value"])
    if change != 0:
        meant = ("rise" if change > 0 else "fall") == link["expected"]
        sentence += (
            f" ({verdict(change, str(link['better']))}; "
            f"{'the' if meant else 'not the'} way it was meant to move)"
        )
    comparator = _row_of(compared, "comparator")
    if _both_sides(comparator):
        assert comparator is not None
        sentence += f"; {_where(comparator)} it {_moved(comparator, unit)}"
    elif comparator is not None:
        sentence += f"; {_where(comparator)} there is no figure on both sides to compare"
    how = (
        f" Compared: {own['before_period']}, the last {kind} wholly before {date}, with "
        f"{own['after_period']}, the latest"
    )
    if isinstance(own["straddling"], str) and own["straddling"]:
        many = ";" in own["straddling"]
        how += (
            f"; {own['straddling']} {'contain' if many else 'contains'} {date} and "
            f"{'count' if many else 'counts'} as neither"
        )
    return _with_note(sentence + "." + how + ".", compared)


def _with_note(sentence: str, compared: pd.DataFrame) -> str:
    if len(compared) and bool(compared["illustrative"].any()):
        return f"{sentence} {ILLUSTRATIVE_NOTE}"
    return sentence


# --- Tables under the charts, and the Outcomes page's table ---------------------------


def area_label(area: str, role: str) -> str:
    """'England and Wales (national)'; an area already named for its kind ('Most similar
    group') as it is."""
    words = ROLE_WORDS.get(role, role)
    return area if words.lower() in area.lower() else f"{area} ({words})"


def against(start: Any, end: Any, milestone: Milestone | None) -> str:
    """Where a period stands against a milestone: 'before', 'after' or 'contains 14 Jan
    2026: neither'."""
    if milestone is None:
        return ""
    if pd.Timestamp(end).date() < milestone.on:
        return "before"
    if pd.Timestamp(start).date() >= milestone.on:
        return "after"
    return "neither (contains it)"


def trend_numbers(series: pd.DataFrame, milestone: Milestone | None = None) -> pd.DataFrame:
    """The numbers under a series' chart (measure_series.sql): one row per period, oldest
    first, one column per area (own area first), each figure in its unit and marked when
    illustrative; with a milestone, where each period stands against it."""
    if series.empty:
        return pd.DataFrame(columns=["period"])
    unit = str(series["unit"].iloc[0])
    shown = series.assign(
        column=[area_label(a, r) for a, r in zip(series["area"], series["role"], strict=True)],
        shown=[
            marked(figure(v, unit), i)
            for v, i in zip(series["value"], series["illustrative"], strict=True)
        ],
    )
    areas = list(dict.fromkeys(shown["column"]))
    periods = (
        shown[["period_label", "period_start", "period_end"]]
        .drop_duplicates()
        .sort_values(["period_end", "period_start"])
    )
    wide = shown.pivot_table(
        index=["period_label", "period_start", "period_end"],
        columns="column",
        values="shown",
        aggfunc="first",
    ).reindex(columns=areas)
    table = periods.merge(
        wide.reset_index(), on=["period_label", "period_start", "period_end"], how="left"
    )
    out = pd.DataFrame({"period": table["period_label"]})
    for area in areas:
        out[area] = table[area].fillna("—").to_numpy()
    if milestone is not None:
        out[f"against {uk_date(milestone.on)}"] = [
            against(s, e, milestone)
            for s, e in zip(table["period_start"], table["period_end"], strict=True)
        ]
    return out.reset_index(drop=True)


def _latest(row: pd.Series) -> str:
    if pd.isna(row["latest_value"]):
        return "no figures yet"
    text = marked(figure(row["latest_value"], row["unit"]), row["latest_illustrative"])
    return f"{text}, {row['latest_period']}"


def _change(row: pd.Series) -> tuple[str, str]:
    if pd.isna(row["latest_value"]) or pd.isna(row["earlier_value"]):
        return "fewer than five periods held", "—"
    change = float(row["latest_value"]) - float(row["earlier_value"])
    arrow = "▲ " if change > 0 else "▼ " if change < 0 else ""
    words = marked(
        change_words(change, str(row["unit"])),
        bool(row["latest_illustrative"]) or bool(row["earlier_illustrative"]),
    )
    return (
        f"{arrow}{words} since {row['earlier_period']}",
        verdict(change, str(row["better"])).capitalize(),
    )


def _comparator(row: pd.Series) -> str:
    if pd.isna(row["comparator_value"]):
        return "none held"
    text = marked(figure(row["comparator_value"], row["unit"]), row["comparator_illustrative"])
    where = area_label(str(row["comparator_area"]), str(row["comparator_role"]))
    if row["comparator_period"] != row["latest_period"]:
        text += f", {row['comparator_period']}"
    return f"{where}: {text}"


def illustrative_notice(outcomes: pd.DataFrame) -> str | None:
    """What to say above figures that include illustrative ones (None when there are
    none)."""
    if len(outcomes) and bool(outcomes["illustrative"].any()):
        return f"{ILLUSTRATIVE_NOTE} Each such figure is marked ({ILLUSTRATIVE})."
    return None


def rule_words(unit: str, better: str) -> str:
    """'%, higher is better'."""
    return f"{unit}, {better} is better"


def outcomes_table(outcomes: pd.DataFrame) -> pd.DataFrame:
    """The Outcomes page's table (outcome_measures.sql), one row per series: its latest
    figure in the Board's area, the change over the last four periods and whether that is
    better or worse by the measure's own rule (in words), the comparator, the linked
    recommendations. The index is kept, so rows can be matched back."""
    changes = [_change(row) for _, row in outcomes.iterrows()]
    return pd.DataFrame(
        {
            "measure": [
                series_label(n, b)
                for n, b in zip(outcomes["name"], outcomes["breakdown"], strict=True)
            ],
            "direction": [d for _, d in changes],
            "latest": [_latest(row) for _, row in outcomes.iterrows()],
            "change over four periods": [c for c, _ in changes],
            "comparator": [_comparator(row) for _, row in outcomes.iterrows()],
            "linked recommendations": outcomes["recommendations"].fillna("none"),
            "rule": [
                rule_words(u, b) for u, b in zip(outcomes["unit"], outcomes["better"], strict=True)
            ],
            "area": outcomes["own_area"].fillna("—"),
        },
        index=outcomes.index,
    )


def measures_on_screen(outcomes: pd.DataFrame) -> pd.DataFrame:
    """Presenting mode's outcome measures of one recommendation (outcome_measures.sql with
    $rec_ids its id, as at the meeting): each series' latest figure in the Board's area, its
    change over four periods, better or worse in words, and the comparator."""
    table = outcomes_table(outcomes)
    columns = ["measure", "latest", "change over four periods", "direction", "comparator"]
    return table[columns].reset_index(drop=True)


def series_choices(choices: pd.DataFrame) -> dict[str, str]:
    """'measure_id<TAB>breakdown' -> 'Charge rate (Adult rape)' for each series a link may
    name (measure_choices.sql)."""
    return {
        series_key(m, b): series_label(n, b)
        for m, b, n in zip(
            choices["measure_id"], choices["breakdown"], choices["name"], strict=True
        )
    }


def series_key(measure_id: str, breakdown: str) -> str:
    return f"{measure_id}\t{breakdown}"


def split_series_key(key: str) -> tuple[str, str]:
    measure_id, _, breakdown = key.partition("\t")
    return measure_id, breakdown


def link_message(rec_id: str, label: str, batch_id: int, linked: bool) -> str:
    """The sentence shown once a link is written."""
    done = (
        f"{rec_id} is linked to {label}" if linked else f"{rec_id} is no longer linked to {label}"
    )
    return f"{done} (batch {batch_id}; undo it on the Upload page)."
