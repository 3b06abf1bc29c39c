"""Status and RAG: their order, the words users may type, and the colours every chart uses.

Colours come from the Okabe-Ito palette, which stays distinguishable for readers with
the common colour-vision deficiencies. The word is always shown beside the colour.
"""

from __future__ import annotations

STATUSES: tuple[str, ...] = (
    "Not started",
    "In progress",
    "Awaiting national action",
    "Closure proposed",
    "Complete",
    "Superseded",
)
OPEN_STATUSES: tuple[str, ...] = STATUSES[:4]
CLOSED_STATUSES: tuple[str, ...] = STATUSES[4:]

RAGS: tuple[str, ...] = ("Red", "Amber", "Green")

STATUS_COLOURS: dict[str, str] = {
    "Not started": "#6E6E6E",
    "In progress": "#C68900",  # Okabe-Ito orange darkened to 3:1 on white (WCAG 1.4.11)
    "Awaiting national action": "#CC79A7",
    "Closure proposed": "#4B9DCB",  # sky blue darkened to 3:1
    "Complete": "#0072B2",
    "Superseded": "#949494",  # grey darkened to 3:1
}

RAG_COLOURS: dict[str, str] = {
    "Red": "#D55E00",
    "Amber": "#C68900",
    "Green": "#009E73",
    "Blue": "#0072B2",  # BRAG: complete
}

# Other spellings users type, beyond case and spacing, mapped to the word we store.
STATUS_SPELLINGS: dict[str, str] = {"completed": "Complete"}
RAG_SPELLINGS: dict[str, str] = {"r": "Red", "a": "Amber", "g": "Green"}


def spelling_key(word: str) -> str:
    """How a typed word is compared: lower case, with every space removed."""
    return "".join(word.split()).lower()


def status_spellings() -> list[tuple[str, str]]:
    """(key, status) for every accepted spelling of every status."""
    pairs = [(spelling_key(status), status) for status in STATUSES]
    return pairs + [(spelling_key(k), v) for k, v in STATUS_SPELLINGS.items()]


def rag_spellings() -> list[tuple[str, str]]:
    """(key, rag) for every accepted spelling of Red, Amber and Green."""
    pairs = [(spelling_key(rag), rag) for rag in RAGS]
    return pairs + list(RAG_SPELLINGS.items())


# Labels the dashboard shows beside the colours (added for the dashboard).
NO_RAG = "No RAG given"
NO_RAG_COLOUR = "#949494"
RAG_MEANINGS: dict[str, str] = {
    "Red": "off track",
    "Amber": "at risk",
    "Green": "on track",
    NO_RAG: "open, no RAG reported",
}


def rag_label(rag: str | None) -> str:
    """'Red (off track)'; an open item with no RAG reads 'No RAG given'."""
    word = rag or NO_RAG
    meaning = RAG_MEANINGS.get(word)
    return f"{word} ({meaning})" if meaning and word != NO_RAG else word


def rag_colour(rag: str | None) -> str:
    return RAG_COLOURS.get(rag or "", NO_RAG_COLOUR)


def status_rank(status: str) -> int:
    """Position of a status in STATUSES (unknown words last), for sorting."""
    return STATUSES.index(status) if status in STATUSES else len(STATUSES)
