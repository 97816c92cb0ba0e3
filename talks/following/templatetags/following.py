"""`{% follow_button country=... %}` (or scheme=..., search=request.GET): follow or stop
following from the page itself."""

from django import template

from talks.following.models import FollowKind
from talks.following.selectors import follow_for, normalise_search

register = template.Library()


@register.inclusion_tag("following/_follow_button.html", takes_context=True)
def follow_button(context, country=None, scheme=None, search=None) -> dict:
    user = context["request"].user
    if country is not None:
        target, kind, slug, label = (
            {"country": country},
            FollowKind.COUNTRY,
            country.slug,
            country.name,
        )
    elif scheme is not None:
        target, kind, slug, label = {"scheme": scheme}, FollowKind.SCHEME, scheme.slug, scheme.name
    else:
        normal = normalise_search(search)
        target, kind, slug, label = {"search": normal}, FollowKind.SEARCH, "", "this search"
    return {
        "follow": follow_for(user=user, kind=kind, **target),
        "kind": kind,
        "slug": slug,
        "search": target.get("search", ""),
        "label": label,
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
    }
