"""Check digits and issuing rules: a number that fails them is not that identifier, however it looks."""

from __future__ import annotations

# First two digits of a routing number: Federal Reserve districts (00-12), thrifts (21-32),
# electronic-only (61-72) and traveller's cheques (80). Anything else was never issued.
_ABA_PREFIXES = frozenset(f"{n:02d}" for n in [*range(0, 13), *range(21, 33), *range(61, 73), 80])


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def aba_valid(digits: str) -> bool:
    if len(digits) != 9 or digits[:2] not in _ABA_PREFIXES:
        return False
    return sum(int(d) * w for d, w in zip(digits, (3, 7, 1) * 3, strict=True)) % 10 == 0


def ssn_valid(digits: str) -> bool:
    """The SSA never issues area 000, 666 or 900-999 (the 9xx range is ITINs), group 00 or serial 0000."""
    if len(digits) != 9:
        return False
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    return area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"
