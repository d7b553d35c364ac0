from django.apps import AppConfig


class IntegrityConfig(AppConfig):
    name = "peygir.integrity"
    label = "integrity"

    def ready(self) -> None:
        from peygir.core.security import two_factor_rule_register

        from .keys import has_role

        # Handlers and custodians read reports that may cost a reporter dearly: a password alone
        # is not enough, whatever their memberships say.
        two_factor_rule_register(has_role)
