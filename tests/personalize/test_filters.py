"""Personalize's filter expression language on a small catalogue, without a trained model."""

from __future__ import annotations

import numpy as np
import pytest

from core.errors import InvalidInput
from personalize.filters import FilterContext, apply_filter, parse_filter, parse_values

ITEMS = ["a", "b", "c", "d", "e"]
METADATA = {"GENRES": ["Comedy|Drama", "Horror", "Comedy", None, "Drama"], "PRICE": [5.0, 15.0, 25.0, 35.0, 45.0]}
INTERACTED = {"click": np.array([0, 1]), "purchase": np.array([2])}


def allowed(expression: str, **values: str) -> list[str]:
    context = FilterContext(len(ITEMS), INTERACTED, METADATA,
                            {name: parse_values(text) for name, text in values.items()})
    mask = apply_filter(parse_filter(expression), context)
    return [item for item, keep in zip(ITEMS, mask) if keep]


@pytest.mark.parametrize(("expression", "expected"), [
    ('EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")', ["a", "b", "d", "e"]),
    ('EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("*")', ["d", "e"]),
    ('INCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click", "purchase")', ["a", "b", "c"]),
    ('INCLUDE ItemID WHERE Items.GENRES IN ("Comedy")', ["a", "c"]),
    ('INCLUDE ItemID WHERE Items.GENRES = "Drama"', ["a", "e"]),
    ('EXCLUDE ItemID WHERE Items.GENRES NOT IN ("Comedy", "Horror")', ["a", "b", "c", "d"]),
    ("INCLUDE ItemID WHERE Items.PRICE < 20", ["a", "b"]),
    ("INCLUDE ItemID WHERE Items.PRICE >= 35 OR Items.GENRES IN (\"Horror\")", ["b", "d", "e"]),
    ('INCLUDE ItemID WHERE Items.PRICE > 10 AND Items.PRICE <= 35 AND Items.GENRES IN ("Comedy", "Horror")',
     ["b", "c"]),
    ('INCLUDE ItemID WHERE Items.PRICE > 10 | EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click")',
     ["c", "d", "e"]),
    ("include itemid where items.price < 20", ["a", "b"]),
])
def test_expressions(expression: str, expected: list[str]) -> None:
    assert allowed(expression) == expected


def test_placeholders_take_request_values_or_skip_their_statement() -> None:
    expression = "INCLUDE ItemID WHERE Items.GENRES IN ($GENRES) | EXCLUDE ItemID WHERE Items.PRICE > $MAX"
    assert allowed(expression, GENRES='"Comedy","Horror"', MAX="20") == ["a", "b"]
    assert allowed(expression, MAX="20") == ["a", "b"]
    assert allowed(expression, GENRES='"Drama"') == ["a", "e"]
    assert allowed(expression) == ITEMS


@pytest.mark.parametrize("expression", [
    "", "EXCLUDE", "EXCLUDE ItemID WHERE", "EXCLUDE UserID WHERE Items.PRICE > 3",
    'INCLUDE ItemID WHERE Items.GENRES IN ("a"', "INCLUDE ItemID WHERE Items.PRICE ~ 3",
    "INCLUDE ItemID WHERE Users.AGE > 3", "INCLUDE ItemID WHERE Interactions.EVENT_VALUE > 3",
    'INCLUDE ItemID WHERE Items.GENRES IN ("a") extra', "INCLUDE ItemID WHERE Items.PRICE > Items",
    "INCLUDE ItemID WHERE Items.PRICE > 3 |",
])
def test_expressions_that_do_not_parse(expression: str) -> None:
    with pytest.raises(InvalidInput):
        parse_filter(expression)
