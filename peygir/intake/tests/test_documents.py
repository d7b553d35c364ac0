"""Discovery, service list and service definition, compared with real servers' answers."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from peygir.catalog.models import Service

from .conftest import BASE, json_of, json_shape, xml_of, xml_shape

pytestmark = pytest.mark.django_db


def test_discovery_xml_has_the_shape_of_dcs(client, shared_data):
    ours = xml_of(client.get(f"{BASE}/discovery.xml"))
    theirs = ET.parse(shared_data / "open311_fixtures" / "discovery-dc.xml").getroot()
    assert ours.tag == theirs.tag == "discovery"
    assert xml_shape(ours) == xml_shape(theirs)
    assert ours.findtext("endpoints/endpoint/url") == "http://testserver/open311/v2"
    assert [f.text for f in ours.findall("endpoints/endpoint/formats/format")] == [
        "text/xml",
        "application/json",
    ]
    assert ours.findtext("changeset") == "2025-03-21T03:30:00+03:30"


def test_discovery_json_has_the_shape_of_bostons(client, shared_data):
    ours = json_of(client.get(f"{BASE}/discovery.json"))
    theirs = json.loads((shared_data / "open311_fixtures" / "discovery-boston.json").read_text())
    assert json_shape(ours) == json_shape(theirs)
    assert ours["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"


def test_service_list_has_the_shape_of_dcs(client, shared_data):
    ours = xml_of(client.get(f"{BASE}/services.xml"))
    theirs = ET.parse(shared_data / "open311_fixtures" / "dc-services.xml").getroot()
    assert ours.tag == theirs.tag == "services"
    assert xml_shape(ours) == xml_shape(theirs)


def test_service_list_publishes_active_services_with_group_and_metadata(client, org_tree):
    Service.objects.filter(service_code="waste-recycling").update(is_active=False)
    services = json_of(client.get(f"{BASE}/services.json"))
    by_code = {service["service_code"]: service for service in services}
    assert isinstance(services, list)
    assert "waste-recycling" not in by_code
    assert len(services) == Service.objects.filter(is_active=True, category__is_active=True).count()
    assert by_code["roads-pothole"] == {
        "service_code": "roads-pothole",
        "service_name": "چاله و دست‌انداز",
        "description": "",
        "metadata": True,
        "type": "realtime",
        "keywords": "",
        "group": "آسفالت، معابر و پیاده‌رو",
    }
    assert by_code["waste-street-sweeping"]["metadata"] is False


def test_service_definition_has_the_shape_of_dcs(client, shared_data):
    ours = xml_of(client.get(f"{BASE}/services/roads-pothole.xml"))
    theirs = ET.parse(shared_data / "open311_fixtures" / "dc-services-S0301.xml").getroot()
    assert ours.tag == theirs.tag == "service_definition"
    assert xml_shape(ours) == xml_shape(theirs)


def test_service_definition_json_lists_attributes_in_order_with_values(client, org_tree):
    definition = json_of(client.get(f"{BASE}/services/roads-pothole.json"))
    assert definition["service_code"] == "roads-pothole"
    first, second = definition["attributes"]
    assert first == {
        "variable": True,
        "code": "pothole_size",
        "datatype": "singlevaluelist",
        "required": True,
        "datatype_description": "",
        "order": 1,
        "description": "اندازه چاله",
        "values": [
            {"key": "small", "name": "کوچک (کمتر از ۳۰ سانتی‌متر)"},
            {"key": "medium", "name": "متوسط (۳۰ تا ۱۰۰ سانتی‌متر)"},
            {"key": "large", "name": "بزرگ (بیش از یک متر)"},
        ],
    }
    assert (second["code"], second["required"], second["order"]) == ("lane", False, 2)


def test_unknown_service_is_a_404_in_the_spec_shape(client, org_tree):
    response = client.get(f"{BASE}/services/no-such-thing.xml")
    root = xml_of(response)
    assert response.status_code == 404
    assert root.tag == "errors"
    assert root.findtext("error/code") == "404"
    assert "no-such-thing" in root.findtext("error/description")


def test_inactive_service_has_no_definition(client, org_tree):
    Service.objects.filter(service_code="roads-pothole").update(is_active=False)
    response = client.get(f"{BASE}/services/roads-pothole.json")
    assert response.status_code == 404
    assert json_of(response)[0]["code"] == 404


def test_error_body_has_the_shape_of_bostons(client, shared_data):
    ours = xml_of(client.get(f"{BASE}/services/no-such-thing.xml"))
    theirs = ET.parse(
        shared_data / "open311_fixtures" / "boston-err-submitrequest-base_is_duplicate.xml"
    ).getroot()
    assert xml_shape(ours) == xml_shape(theirs)


def test_unknown_format_suffix_is_a_400_answered_in_xml(client, org_tree):
    response = client.get(f"{BASE}/services.yaml")
    root = xml_of(response)
    assert response.status_code == 400
    assert root.findtext("error/code") == "400"
    assert "yaml" in root.findtext("error/description")


def test_unknown_jurisdiction_is_a_404(client, org_tree):
    response = client.get(f"{BASE}/services.json", {"jurisdiction_id": "sfgov.org"})
    assert response.status_code == 404
    assert json_of(response)[0]["code"] == 404


def test_empty_jurisdiction_counts_as_absent_and_ours_is_accepted(client, org_tree):
    assert client.get(f"{BASE}/services.json", {"jurisdiction_id": ""}).status_code == 200
    assert client.get(f"{BASE}/services.json", {"jurisdiction_id": "tehran.ir"}).status_code == 200


def test_jurisdiction_is_configurable(client, org_tree, settings):
    settings.OPEN311_JURISDICTION_ID = "137.tehran.ir"
    assert client.get(f"{BASE}/services.json", {"jurisdiction_id": "137.tehran.ir"}).status_code == 200
    assert client.get(f"{BASE}/services.json", {"jurisdiction_id": "tehran.ir"}).status_code == 404


def test_wrong_method_is_refused_in_the_spec_shape(client, org_tree):
    response = client.post(f"{BASE}/services.xml")
    assert response.status_code == 405
    assert xml_of(response).findtext("error/code") == "405"
