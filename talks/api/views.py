"""Pages around the API: its schema and documentation, and the user's personal tokens."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from talks.api.api import api
from talks.api.auth import TokenOrSession
from talks.api.errors import ApiError, from_exception
from talks.api.forms import TokenForm
from talks.api.tokens import create_token, revoke_token, tokens_of

CODE = re.compile(r"`([^`]+)`")


def paragraphs(text: str) -> list[str]:
    """CommonMark-ish text from the schema as HTML paragraphs: escaped, `code` kept as code."""
    blocks = [" ".join(block.split()) for block in text.split("\n\n") if block.strip()]
    return [mark_safe(CODE.sub(r"<code>\1</code>", escape(block))) for block in blocks]


def schema() -> dict:
    return api.get_openapi_schema(path_prefix=reverse("api_root"))


@require_GET
@login_not_required
def openapi_json(request: HttpRequest) -> JsonResponse:
    """The OpenAPI 3 schema, for a signed-in browser or a token (like every API answer)."""
    try:
        TokenOrSession()(request)
    except ApiError as error:
        return from_exception(error)
    return JsonResponse(schema(), json_dumps_params={"indent": 1})


@require_GET
def docs(request: HttpRequest) -> HttpResponse:
    """The API's documentation, rendered from its own schema (no script, no CDN)."""
    spec = schema()
    operations = [
        {
            "path": path,
            "method": method.upper(),
            **operation,
            "paragraphs": paragraphs(operation.get("description", "")),
        }
        for path, methods in spec["paths"].items()
        for method, operation in methods.items()
    ]
    context = {
        "spec": spec,
        "introduction": paragraphs(spec["info"]["description"]),
        "operations": operations,
        "events_url": request.build_absolute_uri(reverse("api-v1:list_events")),
    }
    return render(request, "api/docs.html", context)


@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    """A user's API tokens: create (the token is shown once, on this answer), see, revoke."""
    form, created = TokenForm(request.POST or None), None
    if request.method == "POST" and form.is_valid():
        created = create_token(
            user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
        )
        form = TokenForm()
    context = {
        "form": form,
        "created": created,
        "tokens": tokens_of(request.user),
        "docs_url": reverse("api_docs"),
        "events_url": request.build_absolute_uri(reverse("api-v1:list_events")),
    }
    return render(request, "api/tokens.html", context, status=400 if form.errors else 200)


@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    if revoke_token(user=request.user, token_id=token_id):
        messages.success(request, "The token has been revoked: it no longer works.")
    else:
        messages.info(request, "That token was already revoked or is not yours.")
    return redirect("api_tokens")
