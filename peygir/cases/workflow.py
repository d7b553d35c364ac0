"""The case workflow as a table: which action may be taken in which phase, by whom, and to where.

This module is pure data and pure functions (no database). ``services.case_transition`` consults it
before it changes anything; the pages and the API use ``actions_available`` to show only what the
person may do now.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .models import Case, CaseEvent

P = Case.Phase


class Action(StrEnum):
    ASSIGN = "assign"
    ACCEPT = "accept"
    REFER = "refer"
    RETURN_TO_CENTER = "return_to_center"
    REQUEST_INFO = "request_info"
    CITIZEN_REPLY = "citizen_reply"
    RESPOND = "respond"
    CLOSE = "close"
    OBJECT = "object"
    REJECT = "reject"
    MERGE = "merge"
    CLASSIFY = "classify"
    WITHDRAW = "withdraw"


class ActorRole(StrEnum):
    """How a person stands towards one case (computed per case, see selectors.actor_roles_for_case)."""

    CITIZEN = "citizen"  # the citizen who registered it
    OFFICER = "officer"  # officer of the owning unit or a unit above it
    MANAGER = "manager"
    SUPERVISOR = "supervisor"  # 137 center supervisor (city-wide)
    AGENT = "agent"  # call-center agent acting for a citizen on the phone
    SYSTEM = "system"  # scheduled jobs


STAFF = frozenset({ActorRole.OFFICER, ActorRole.MANAGER, ActorRole.SUPERVISOR})
KEEP_PHASE = ""  # Rule.to_phase of an action that does not move the case by itself
WORKING = (P.REGISTERED, P.ASSIGNED, P.IN_PROGRESS)


@dataclass(frozen=True)
class Rule:
    to_phase: str  # KEEP_PHASE: the service decides (see Action.CLASSIFY)
    roles: frozenset[ActorRole]
    event: str


def _rules(phases: tuple[str, ...], rule: Rule) -> dict[str, Rule]:
    return dict.fromkeys(phases, rule)


TABLE: dict[Action, dict[str, Rule]] = {
    Action.ASSIGN: _rules(
        (P.REGISTERED, P.ASSIGNED),
        Rule(P.ASSIGNED, STAFF, CaseEvent.Kind.ASSIGNED),
    ),
    Action.ACCEPT: _rules(
        (P.REGISTERED, P.ASSIGNED),
        Rule(P.IN_PROGRESS, STAFF, CaseEvent.Kind.ACCEPTED),
    ),
    Action.REFER: {
        **_rules(WORKING, Rule(P.REGISTERED, STAFF, CaseEvent.Kind.REFERRED)),
        # Only the center re-routes what was returned to it.
        P.RETURNED: Rule(P.REGISTERED, frozenset({ActorRole.SUPERVISOR}), CaseEvent.Kind.REFERRED),
    },
    Action.RETURN_TO_CENTER: _rules(
        WORKING,
        Rule(P.RETURNED, frozenset({ActorRole.OFFICER, ActorRole.MANAGER}), CaseEvent.Kind.RETURNED),
    ),
    Action.REQUEST_INFO: _rules(
        (P.IN_PROGRESS,),
        Rule(P.AWAITING_CITIZEN, STAFF, CaseEvent.Kind.INFO_REQUESTED),
    ),
    Action.CITIZEN_REPLY: _rules(
        (P.AWAITING_CITIZEN,),
        Rule(P.IN_PROGRESS, frozenset({ActorRole.CITIZEN, ActorRole.AGENT}), CaseEvent.Kind.CITIZEN_REPLIED),
    ),
    Action.RESPOND: _rules(
        (P.IN_PROGRESS,),
        Rule(P.RESPONDED, STAFF, CaseEvent.Kind.RESPONDED),
    ),
    Action.CLOSE: _rules(
        (P.RESPONDED,),
        Rule(
            P.CLOSED,
            frozenset({ActorRole.CITIZEN, ActorRole.MANAGER, ActorRole.SUPERVISOR, ActorRole.SYSTEM}),
            CaseEvent.Kind.CLOSED,
        ),
    ),
    # An objection reopens the case; the window is checked by the service (it depends on time).
    # SYSTEM: the citizen's answer to the satisfaction survey (a single-use link, no sign-in).
    Action.OBJECT: _rules(
        (P.RESPONDED, P.CLOSED),
        Rule(
            P.IN_PROGRESS,
            frozenset({ActorRole.CITIZEN, ActorRole.AGENT, ActorRole.SYSTEM}),
            CaseEvent.Kind.OBJECTED,
        ),
    ),
    Action.REJECT: _rules(
        (*WORKING, P.RETURNED),
        Rule(P.CLOSED, STAFF, CaseEvent.Kind.REJECTED),
    ),
    Action.MERGE: _rules(
        (*WORKING, P.RETURNED),
        Rule(P.CLOSED, STAFF, CaseEvent.Kind.MERGED),
    ),
    # Set or correct the topic category (staff, the agent on the phone, or the classifier as SYSTEM).
    # A case that the new category routes elsewhere goes there as newly registered; otherwise it keeps
    # its phase (see services.case_transition).
    Action.CLASSIFY: _rules(
        (*WORKING, P.RETURNED),
        Rule(
            KEEP_PHASE,
            frozenset({*STAFF, ActorRole.AGENT, ActorRole.SYSTEM}),
            CaseEvent.Kind.CLASSIFIED,
        ),
    ),
    # The center takes a case out of the ordinary flow (a corruption report that belongs in the
    # protected integrity channel): closed with a neutral note, its content removed by the caller.
    Action.WITHDRAW: _rules(
        (*WORKING, P.RETURNED, P.AWAITING_CITIZEN, P.RESPONDED),
        Rule(P.CLOSED, frozenset({ActorRole.SUPERVISOR}), CaseEvent.Kind.WITHDRAWN),
    ),
}

# Resolutions a response may carry, and those a rejection may carry.
RESPONSE_RESOLUTIONS = frozenset(
    {
        Case.Resolution.FIXED,
        Case.Resolution.ANSWERED,
        Case.Resolution.NOT_POSSIBLE,
        Case.Resolution.NOT_RESPONSIBLE,
    }
)
REJECT_RESOLUTIONS = frozenset({Case.Resolution.DUPLICATE, Case.Resolution.INVALID})


def rule_for(phase: str, action: str) -> Rule | None:
    """The rule for taking ``action`` in ``phase``, or None when the table does not allow it."""
    try:
        return TABLE[Action(action)].get(phase)
    except ValueError:
        return None


def is_allowed(phase: str, action: str, roles: frozenset[ActorRole] | set[ActorRole]) -> bool:
    rule = rule_for(phase, action)
    return rule is not None and bool(rule.roles & set(roles))


def actions_available(phase: str, roles: frozenset[ActorRole] | set[ActorRole]) -> list[Action]:
    """The actions these roles may take in this phase, in table order."""
    return [action for action in Action if is_allowed(phase, action, roles)]
