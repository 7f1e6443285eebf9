"""Categorical values as one-hot rows, one column per `NAME=value`: items' metadata (at training, and
for items added since with the columns training found) and the contextual metadata of interactions
(DEVICE=mobile). A categorical field holds several values joined by "|", as Personalize's CSVs do."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
from scipy import sparse


def column_key(name: str, value: Any) -> str:
    # Avro field names cannot hold "=", so the first one splits a key back into name and value.
    return f"{name}={value}"


def field_of(key: str) -> str:
    return key.split("=", 1)[0]


def one_hot(records: Iterable[dict[str, Any]], fields: dict[str, bool], columns: dict[str, int], *,
            grow: bool) -> sparse.csr_matrix:
    """A row per record: 1 in the column of each value of the `fields` (name -> categorical, whose
    values split on "|"). `grow` adds columns for new values to `columns`; otherwise they are left out."""
    rows, cols = [], []
    count = 0
    for count, record in enumerate(records, start=1):
        for name, categorical in fields.items():
            value = record.get(name)
            if value is None or value == "":
                continue
            for part in str(value).split("|") if categorical else [str(value)]:
                key = column_key(name, part)
                if key not in columns and grow and part:
                    columns[key] = len(columns)
                if key in columns:
                    rows.append(count - 1)
                    cols.append(columns[key])
    return sparse.csr_matrix((np.ones(len(rows), np.float64), (rows, cols)), shape=(count, len(columns)))


def l2_rows(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    """Rows scaled to unit length (empty rows stay empty): their dot products are cosine similarities."""
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    return (sparse.diags(1.0 / np.maximum(norms, 1e-12)) @ matrix).tocsr()
