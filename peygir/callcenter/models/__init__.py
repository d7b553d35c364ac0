"""The call center's data: calls and agents, the consultation clinic, the knowledge base."""

from .calls import (
    AgentExtension,
    AgentState,
    AgentStateChange,
    Call,
    ConsoleEvent,
    CtiReceipt,
    PbxCommand,
    Queue,
)
from .clinic import Booking, ClinicSlot, Expert
from .knowledge import Article, ArticleRevision, ArticleUse

__all__ = [
    "AgentExtension",
    "AgentState",
    "AgentStateChange",
    "Article",
    "ArticleRevision",
    "ArticleUse",
    "Booking",
    "Call",
    "ClinicSlot",
    "ConsoleEvent",
    "CtiReceipt",
    "Expert",
    "PbxCommand",
    "Queue",
]
