"""The call center's demo data: filled once, safe to repeat."""

from __future__ import annotations

import pytest

from peygir.callcenter.demo import seed_callcenter_demo
from peygir.callcenter.models import Article, ClinicSlot, Expert


@pytest.mark.django_db
def test_the_demo_fills_the_knowledge_base_and_the_clinic_once(org_tree, supervisor):
    first = seed_callcenter_demo()
    assert first == {"articles": 6, "experts": 2, "slots": 60}
    assert seed_callcenter_demo() == {"articles": 0, "experts": 0, "slots": 0}
    assert (Article.objects.count(), Expert.objects.count(), ClinicSlot.objects.count()) == (6, 2, 60)
    assert Article.objects.get(title__startswith="آب‌گرفتگی").categories.count() == 2
