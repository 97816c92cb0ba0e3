"""Template context every page needs from the countries app."""

from countries.geography import MAP_ATTRIBUTION


def map_attribution(request) -> dict[str, str]:
    return {"map_attribution": MAP_ATTRIBUTION}
