"""CSV import of talk events for one scheme: upload, preview, then import all or nothing.

Between the preview and the import the file's text waits in the session with its SHA-256; the
confirm form sends only the hash, and the import checks every row again before writing.
"""

import base64
import zlib

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from talks import access
from talks.models import Scheme
from talks.selectors.lookups import find_scheme
from talks.services import imports, submissions

SESSION_KEY = "event_import"


class UploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        error_messages={"required": "Choose a CSV file to upload."},
    )


def _stash(request: HttpRequest, scheme: Scheme, text: str, name: str) -> str:
    """Keep the file's text (compressed) in the session until the analyst confirms."""
    digest = imports.fingerprint(text)
    packed = base64.b64encode(zlib.compress(text.encode(), 6)).decode("ascii")
    request.session[SESSION_KEY] = {
        "scheme": scheme.slug,
        "sha256": digest,
        "text": packed,
        "name": name[:200],
    }
    return digest


def _stashed(request: HttpRequest, scheme: Scheme, digest: str) -> dict | None:
    """The stashed upload if it is for this scheme and its text still matches `digest`."""
    stash = request.session.get(SESSION_KEY) or {}
    if stash.get("scheme") != scheme.slug or stash.get("sha256") != digest:
        return None
    try:
        text = zlib.decompress(base64.b64decode(stash["text"])).decode()
    except (KeyError, ValueError, zlib.error):
        return None
    if imports.fingerprint(text) != digest:
        return None
    return {**stash, "text": text}


def _preview(request: HttpRequest, scheme: Scheme, form: UploadForm) -> tuple:
    upload = form.cleaned_data["file"]
    if upload.size > imports.MAX_BYTES:
        form.add_error("file", imports.too_big(upload.size))
        return None, None
    try:
        text = imports.decode(upload.read(imports.MAX_BYTES + 1))
    except imports.FileRefused as refused:
        form.add_error("file", str(refused))
        return None, None
    report = imports.run_import(scheme=scheme, text=text, by=request.user, commit=False)
    if report.file_errors:
        form.add_error("file", report.file_errors)
        return None, None
    return report, _stash(request, scheme, text, upload.name)


def _scheme(slug: str) -> Scheme:
    scheme = find_scheme(slug=slug)
    if scheme is None:
        raise Http404("No scheme with that address.")
    return scheme


@require_http_methods(["GET", "POST"])
@access.requires(access.IMPORT)
def event_import(request: HttpRequest, scheme_slug: str) -> HttpResponse:
    scheme = _scheme(scheme_slug)
    form = UploadForm(request.POST or None, request.FILES or None)
    report = digest = None
    if request.method == "POST" and form.is_valid():
        report, digest = _preview(request, scheme, form)
    context = {"scheme": scheme, "form": form, "report": report, "digest": digest}
    context["submission_key"] = submissions.new_key()
    status = 400 if form.errors else 200
    return render(request, "talks/event_import.html", context, status=status)


@require_POST
@access.requires(access.IMPORT)
def event_import_confirm(request: HttpRequest, scheme_slug: str) -> HttpResponse:
    scheme = _scheme(scheme_slug)
    done_url = reverse("event_import", args=[scheme.slug])
    key = request.POST.get(submissions.FIELD)
    if earlier := submissions.earlier_submission(by=request.user, key=key):
        return _confirmed_again(request, submissions.AlreadySubmitted(earlier), done_url)
    stash = _stashed(request, scheme, request.POST.get("sha256", ""))
    if stash is None:
        messages.error(request, "That upload has expired or was replaced: upload the file again.")
        return redirect(done_url)
    try:
        report, message = submissions.write_once(
            by=request.user,
            key=key,
            write=lambda: imports.run_import(
                scheme=scheme, text=stash["text"], by=request.user, commit=True
            ),
            answer=lambda report: (
                f"Imported {stash['name']}: {report.new_count} new, "
                f"{report.present_count} already present."
            ),
            redirect_to=done_url,
            kept=lambda report: report.ok,  # nothing imported: the form may be sent again
        )
    except submissions.AlreadySubmitted as repeat:
        return _confirmed_again(request, repeat, done_url)
    if not report.ok:
        context = {"scheme": scheme, "form": UploadForm(), "report": report, "digest": None}
        return render(request, "talks/event_import.html", context, status=400)
    request.session.pop(SESSION_KEY, None)
    messages.success(request, message)
    return redirect(done_url)


def _confirmed_again(request: HttpRequest, repeat, done_url: str) -> HttpResponse:
    """The same confirm sent twice: the file was imported once; say so."""
    request.session.pop(SESSION_KEY, None)
    messages.success(request, f"{repeat.message} (The form was sent twice; it was imported once.)")
    return redirect(repeat.redirect_to or done_url)


@require_GET
@access.requires(access.IMPORT)
def event_import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        "\ufeff" + imports.template_csv(), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="hubtracker-events-template.csv"'
    return response
