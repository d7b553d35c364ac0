"""Open311 GeoReport v2 at ``/open311/v2/``: parsing, serialising and the client API keys.

``parsing`` reads requests, ``serializers`` writes XML and JSON, ``selectors`` holds the public
reads, ``services`` the writes (API keys, registration, updates), ``views`` only glues them.
"""
