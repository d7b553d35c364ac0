from __future__ import annotations

from django.contrib import admin

from peygir.routing.admin import RoutingRuleAdmin
from peygir.routing.models import RoutingRule


def test_routing_admin_passes_the_django_admin_checks():
    assert RoutingRuleAdmin(RoutingRule, admin.site).check() == []
