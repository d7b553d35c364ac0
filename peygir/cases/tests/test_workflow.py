"""Every phase × action: the table allows exactly what the domain says, and the service obeys it."""

from __future__ import annotations

from typing import Any

import pytest

from peygir.cases.models import Case
from peygir.cases.services import case_transition
from peygir.cases.workflow import Action, ActorRole, actions_available, rule_for
from peygir.catalog.models import Category
from peygir.core.errors import Conflict, PermissionDenied

P = Case.Phase
WORKING = ("registered", "assigned", "in_progress")

# The domain's rules, written out independently of workflow.py.
EXPECTED: dict[tuple[str, str], str] = {
    **{(phase, "assign"): "assigned" for phase in ("registered", "assigned")},
    **{(phase, "accept"): "in_progress" for phase in ("registered", "assigned")},
    **{(phase, "refer"): "registered" for phase in (*WORKING, "returned")},
    **{(phase, "return_to_center"): "returned" for phase in WORKING},
    ("in_progress", "request_info"): "awaiting_citizen",
    ("awaiting_citizen", "citizen_reply"): "in_progress",
    ("in_progress", "respond"): "responded",
    ("responded", "close"): "closed",
    **{(phase, "object"): "in_progress" for phase in ("responded", "closed")},
    **{(phase, "reject"): "closed" for phase in (*WORKING, "returned")},
    **{(phase, "merge"): "closed" for phase in (*WORKING, "returned")},
    # Classifying keeps the phase unless the new category belongs to another unit (then "registered"
    # there): "lighting" at district 6's point stays with district 6, a case at the center moves.
    **{(phase, "classify"): phase for phase in WORKING},
    ("returned", "classify"): "registered",
    **{(phase, "withdraw"): "closed" for phase in (*WORKING, "returned", "awaiting_citizen", "responded")},
}
KEEPS_PHASE = {"classify"}
ALL_PAIRS = [(phase, action.value) for phase in P.values for action in Action]


@pytest.mark.parametrize(("phase", "action"), ALL_PAIRS)
def test_table_matches_the_domain(phase, action):
    rule = rule_for(phase, action)
    if (phase, action) in EXPECTED:
        assert rule is not None
        assert rule.to_phase == ("" if action in KEEPS_PHASE else EXPECTED[(phase, action)])
    else:
        assert rule is None


def test_citizens_cannot_work_cases_and_staff_cannot_object_for_them():
    assert actions_available("in_progress", {ActorRole.CITIZEN}) == []
    assert actions_available("responded", {ActorRole.CITIZEN}) == [Action.CLOSE, Action.OBJECT]
    assert Action.OBJECT not in actions_available("responded", {ActorRole.OFFICER})
    assert actions_available("returned", {ActorRole.OFFICER}) == [
        Action.REJECT,
        Action.MERGE,
        Action.CLASSIFY,
    ]
    assert actions_available("returned", {ActorRole.SUPERVISOR}) == [
        Action.REFER,
        Action.REJECT,
        Action.MERGE,
        Action.CLASSIFY,
        Action.WITHDRAW,
    ]
    assert Action.WITHDRAW not in actions_available("in_progress", {ActorRole.OFFICER, ActorRole.MANAGER})


@pytest.fixture
def personas(citizen, officer6, manager6, supervisor, agent) -> dict[ActorRole, Any]:
    return {
        ActorRole.CITIZEN: citizen,
        ActorRole.OFFICER: officer6,
        ActorRole.MANAGER: manager6,
        ActorRole.SUPERVISOR: supervisor,
        ActorRole.AGENT: agent,
    }


def _to_phase(case: Case, phase: str, p: dict[ActorRole, Any]) -> Case:
    officer, supervisor, citizen = p[ActorRole.OFFICER], p[ActorRole.SUPERVISOR], p[ActorRole.CITIZEN]
    steps = {
        "registered": [],
        "assigned": [("assign", officer, {"assignee": officer})],
        "in_progress": [("accept", officer, {})],
        "awaiting_citizen": [("accept", officer, {}), ("request_info", officer, {"note": "پلاک دقیق؟"})],
        "returned": [("return_to_center", officer, {"note": "در حیطه منطقه نیست"})],
        "responded": [
            ("accept", officer, {}),
            ("respond", officer, {"resolution": "fixed", "note": "رفع شد"}),
        ],
        "closed": [
            ("accept", officer, {}),
            ("respond", officer, {"resolution": "fixed", "note": "رفع شد"}),
            ("close", supervisor, {}),
        ],
    }[phase]
    for action, actor, params in steps:
        case = case_transition(case=case, action=action, actor=actor, **params)
    del citizen
    return case


def _params(action: str, p: dict[ActorRole, Any], other: Case, district7: Any) -> dict[str, Any]:
    return {
        "assign": {"assignee": p[ActorRole.OFFICER]},
        "refer": {"unit": district7, "note": "مربوط به منطقه ۷ است"},
        "return_to_center": {"note": "در حیطه این واحد نیست"},
        "request_info": {"note": "نشانی دقیق را بفرمایید"},
        "citizen_reply": {"note": "پلاک ۱۲"},
        "respond": {"resolution": "answered", "note": "پاسخ داده شد"},
        "accept": {},
        "close": {},
        "object": {"note": "هنوز رفع نشده است"},
        "reject": {"resolution": "invalid", "note": "پیام نامفهوم است"},
        "merge": {"target": other},
        "classify": {"category": Category.objects.get(code="lighting")},
        "withdraw": {},
    }[action]


PREFERENCE = [ActorRole.OFFICER, ActorRole.SUPERVISOR, ActorRole.MANAGER, ActorRole.CITIZEN, ActorRole.AGENT]


@pytest.mark.parametrize(("phase", "action"), ALL_PAIRS)
def test_service_walks_every_phase_and_action(phase, action, submit, personas, district7, citizen):
    case = _to_phase(submit(citizen=citizen), phase, personas)
    other = submit(citizen=citizen, description="همان زباله‌های جمع‌نشده کوچه")
    params = _params(action, personas, other, district7)
    rule = rule_for(phase, action)
    before = Case.objects.get(pk=case.pk)

    if rule is None:
        actor = personas[ActorRole.SUPERVISOR]
        with pytest.raises(Conflict):
            case_transition(case=case, action=action, actor=actor, **params)
        after = Case.objects.get(pk=case.pk)
        assert (after.phase, after.version, after.unit_id) == (before.phase, before.version, before.unit_id)
        return

    actor = next(personas[role] for role in PREFERENCE if role in rule.roles and not _blind(role, case))
    result = case_transition(case=case, action=action, actor=actor, **params)
    assert result.phase == EXPECTED[(phase, action)]
    assert result.version == before.version + 1
    assert result.events.order_by("-id").first().kind == rule.event

    # Someone who sees the case but holds none of the rule's roles is refused, and nothing changes.
    refused = _someone_without(rule.roles, result, personas)
    if refused is not None and rule_for(result.phase, action) is not None:
        snapshot = Case.objects.get(pk=case.pk)
        with pytest.raises(PermissionDenied):
            case_transition(case=snapshot, action=action, actor=refused, **params)
        assert Case.objects.get(pk=case.pk).version == snapshot.version


def _blind(role: ActorRole, case: Case) -> bool:
    # Officers and managers of district 6 do not reach a case returned to the center.
    return case.phase == "returned" and role in (ActorRole.OFFICER, ActorRole.MANAGER)


def _someone_without(roles: frozenset[ActorRole], case: Case, p: dict[ActorRole, Any]) -> Any:
    for role in (ActorRole.CITIZEN, ActorRole.OFFICER, ActorRole.AGENT, ActorRole.SUPERVISOR):
        if role not in roles and not (role is ActorRole.SUPERVISOR and ActorRole.SUPERVISOR in roles):
            if role is ActorRole.OFFICER and _blind(role, case):
                continue
            return p[role]
    return None
