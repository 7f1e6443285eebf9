"""Personalize's filter expressions, parsed once at CreateFilter and applied to every recommendation:

    EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("watch", "purchase")
    INCLUDE ItemID WHERE Items.GENRES IN ($GENRES) AND Items.PRICE < 20 | EXCLUDE ItemID WHERE ...

Statements joined by "|" apply in order (INCLUDE keeps matching items, EXCLUDE removes them);
conditions join with AND (binding tighter) and OR. Values are quoted strings, numbers or `$NAME`
placeholders that requests fill through filterValues; a statement whose placeholders get no value
is skipped, as AWS skips it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from core.errors import InvalidInput

if TYPE_CHECKING:
    import numpy as np

_TOKEN = re.compile(r'\s*(?:(?P<string>"(?:[^"\\]|\\.)*")|(?P<number>-?\d+(?:\.\d+)?)|(?P<param>\$[A-Za-z_]\w*)'
                    r'|(?P<op><=|>=|!=|=|<|>|\(|\)|,|\||\.)|(?P<word>[A-Za-z_*][\w*]*))')
_COMPARISONS = {"IN", "NOT IN", "=", "!=", "<", ">", "<=", ">="}


@dataclass(frozen=True)
class Condition:
    dataset: str  # "Interactions" or "Items"
    field: str
    op: str
    values: tuple[Any, ...] | str  # literals, or the name of a $placeholder


@dataclass(frozen=True)
class Statement:
    include: bool
    groups: tuple[tuple[Condition, ...], ...]  # OR of ANDs


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise InvalidInput(f"The filter expression does not parse at {text[pos:pos + 20]!r}.")
        kind = match.lastgroup
        tokens.append((kind, match.group(kind)))
        pos = match.end()
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens, self.at = _tokens(text), 0

    def peek(self) -> str | None:
        return self.tokens[self.at][1] if self.at < len(self.tokens) else None

    def take(self, *expected: str) -> tuple[str, str]:
        if self.at >= len(self.tokens):
            raise InvalidInput(f"The filter expression ends early; expected {' or '.join(expected) or 'more'}.")
        token = self.tokens[self.at]
        if expected and token[1].upper() not in expected:
            raise InvalidInput(f"The filter expression has {token[1]!r} where {' or '.join(expected)} belongs.")
        self.at += 1
        return token

    def statements(self) -> list[Statement]:
        statements = [self.statement()]
        while self.peek() == "|":
            self.take("|")
            statements.append(self.statement())
        if self.peek() is not None:
            raise InvalidInput(f"Unexpected {self.peek()!r} in the filter expression.")
        return statements

    def statement(self) -> Statement:
        action = self.take("INCLUDE", "EXCLUDE")[1].upper()
        self.take("ITEMID")
        self.take("WHERE")
        groups, group = [], [self.condition()]
        while (self.peek() or "").upper() in ("AND", "OR"):
            if self.take("AND", "OR")[1].upper() == "OR":
                groups.append(tuple(group))
                group = []
            group.append(self.condition())
        groups.append(tuple(group))
        return Statement(action == "INCLUDE", tuple(groups))

    def condition(self) -> Condition:
        dataset = self.take("INTERACTIONS", "ITEMS")[1]
        self.take(".")
        kind, field = self.take()
        if kind != "word":
            raise InvalidInput(f"{field!r} is not a field name.")
        dataset = "Items" if dataset.upper() == "ITEMS" else "Interactions"
        if dataset == "Interactions" and field.upper() != "EVENT_TYPE":
            raise InvalidInput("Interactions conditions filter on EVENT_TYPE only.")
        op = self.take()[1].upper()
        if op == "NOT":
            self.take("IN")
            op = "NOT IN"
        if op not in _COMPARISONS:
            raise InvalidInput(f"{op!r} is not a filter comparison; use IN, NOT IN, =, !=, <, >, <= or >=.")
        return Condition(dataset, field.upper(), op, self.values(list_allowed=op.endswith("IN")))

    def values(self, list_allowed: bool) -> tuple[Any, ...] | str:
        if list_allowed and self.peek() == "(":
            self.take("(")
            values = [self.value()]
            while self.peek() == ",":
                self.take(",")
                values.append(self.value())
            self.take(")")
            if len(values) == 1 and isinstance(values[0], str) and values[0].startswith("$"):
                return values[0][1:].upper()
            return tuple(values)
        value = self.value()
        return value[1:].upper() if isinstance(value, str) and value.startswith("$") else (value,)

    def value(self) -> Any:
        kind, text = self.take()
        if kind == "string":
            return text[1:-1].replace('\\"', '"')
        if kind == "number":
            return float(text)
        if kind == "param":
            return text
        raise InvalidInput(f"{text!r} is not a value: quote strings, or use a number or a $PARAMETER.")


def parse_filter(text: str) -> list[Statement]:
    """The statements of a filter expression, or InvalidInputException saying where it fails."""
    if not text or not text.strip():
        raise InvalidInput("The filter expression is empty.")
    return _Parser(text).statements()


def parse_values(text: str) -> tuple[Any, ...]:
    """A filterValues entry: `"Comedy","Drama"` or `20`."""
    parser = _Parser(text)
    values = [parser.value()]
    while parser.peek() == ",":
        parser.take(",")
        values.append(parser.value())
    return tuple(values)


@dataclass
class FilterContext:
    """What a filter is applied with: the user's interacted items by event type, item metadata
    (field -> per-item values), and the request's placeholder values."""

    n_items: int
    interacted: dict[str, np.ndarray]  # event type ("" when none) -> item indices
    metadata: dict[str, list[Any]]
    values: dict[str, tuple[Any, ...]]


def apply_filter(statements: list[Statement], context: FilterContext) -> np.ndarray:
    """The boolean mask of the items the filter lets through."""
    import numpy as np

    allowed = np.ones(context.n_items, dtype=bool)
    for statement in statements:
        try:
            mask = np.zeros(context.n_items, dtype=bool)
            for group in statement.groups:
                part = np.ones(context.n_items, dtype=bool)
                for condition in group:
                    part &= _condition_mask(condition, context)
                mask |= part
        except _Unfilled:
            continue
        allowed = allowed & mask if statement.include else allowed & ~mask
    return allowed


class _Unfilled(Exception):
    """A placeholder the request gave no value for."""


def _condition_mask(condition: Condition, context: FilterContext) -> np.ndarray:
    import numpy as np

    values = condition.values
    if isinstance(values, str):
        if values not in context.values:
            raise _Unfilled(values)
        values = context.values[values]
    mask = np.zeros(context.n_items, dtype=bool)
    if condition.dataset == "Interactions":
        types = {str(v) for v in values}
        for event_type, items in context.interacted.items():
            if "*" in types or event_type in types:
                mask[items] = True
        return ~mask if condition.op in ("NOT IN", "!=") else mask
    column = context.metadata.get(condition.field)
    if column is None:
        return mask
    for i, item_value in enumerate(column):
        mask[i] = item_value is not None and _compare(item_value, condition.op, values)
    return mask


def _compare(item_value: Any, op: str, values: tuple[Any, ...]) -> bool:
    if op in ("IN", "=", "NOT IN", "!="):
        # Categorical values hold several choices joined by "|": any one matches.
        have = set(item_value.split("|")) if isinstance(item_value, str) else {item_value}
        wanted = {v if isinstance(v, str) else float(v) for v in values}
        have = {float(h) if isinstance(h, (int, float)) else h for h in have}
        found = bool(have & wanted)
        return found if op in ("IN", "=") else not found
    try:
        left, right = float(item_value), float(values[0])
    except (TypeError, ValueError):
        return False
    return {"<": left < right, ">": left > right, "<=": left <= right, ">=": left >= right}[op]
