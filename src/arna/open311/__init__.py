"""Open311 GeoReport v2: the appeals as service requests, for other systems (docs/open311.md)."""
