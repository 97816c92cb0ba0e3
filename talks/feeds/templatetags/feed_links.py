"""`{% feed_link "scheme" scheme.slug %}`: the page's Atom feed under the user's secret address,
as a <link rel="alternate"> for browsers and feed readers to discover."""

from django import template
from django.http import QueryDict
from django.urls import reverse
from django.utils.html import format_html

from talks.feeds.keys import feed_token

register = template.Library()
NAMES = {"scheme": "feed_scheme", "country": "feed_country", "events": "feed_events"}


def _token(request) -> str:
    if not hasattr(request, "_feed_token"):
        request._feed_token = feed_token(request.user)
    return request._feed_token


@register.simple_tag(takes_context=True)
def feed_url(context, kind: str, slug: str = "", query: str = "") -> str:
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return ""
    args = [_token(request), slug] if slug else [_token(request)]
    url = request.build_absolute_uri(reverse(NAMES[kind], args=args))
    if isinstance(query, QueryDict):
        query = query.copy()
        query.pop("page", None)
        query = query.urlencode()
    return f"{url}?{query}" if query else url


@register.simple_tag(takes_context=True)
def feed_link(context, kind: str, slug: str = "", title: str = "", query: str = "") -> str:
    url = feed_url(context, kind, slug, query)
    if not url:
        return ""
    return format_html(
        '<link rel="alternate" type="application/atom+xml" title="{}" href="{}">',
        f"{title} (Atom feed, OFFICIAL items only)",
        url,
    )
