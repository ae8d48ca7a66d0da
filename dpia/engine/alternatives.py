"""Less intrusive alternatives a regulator will ask about (the bank's catalogue), and whether the
project weighed the ones relevant to it."""

from __future__ import annotations

RULES: dict = {}
