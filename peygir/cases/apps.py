from typing import Any

from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "peygir.cases"
    label = "cases"

    def ready(self) -> None:
        from peygir.accounts.signals import mobile_verified

        mobile_verified.connect(_claim_guest_cases, dispatch_uid="cases.claim_guest_cases")


def _claim_guest_cases(sender: Any, user: Any, **kwargs: Any) -> None:
    from .services import cases_claim_for_citizen

    cases_claim_for_citizen(user=user)
