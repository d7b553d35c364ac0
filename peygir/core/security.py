"""Rules other apps add to who must pass the TOTP second factor (staff.selectors.two_factor_required).

An app whose people need the second factor for reasons the org memberships do not show (the
integrity channel's handlers and custodians) registers a predicate here in its AppConfig.ready().
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

TwoFactorRule = Callable[[Any], bool]
_rules: list[TwoFactorRule] = []


def two_factor_rule_register(rule: TwoFactorRule) -> None:
    """Add ``rule(user) -> bool``; registering the same function twice keeps one."""
    if rule not in _rules:
        _rules.append(rule)


def two_factor_required_by_rules(user: Any) -> bool:
    """True when any registered rule requires the second factor of ``user``."""
    return any(rule(user) for rule in _rules)
