"""The REST API at /api/v1/ (OpenAPI docs at /api/v1/docs)."""

from ninja import NinjaAPI

api = NinjaAPI(title="Peygir API", version="1.0.0", urls_namespace="api-v1")
