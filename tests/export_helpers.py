"""Asking for a list export as a user does: the request starts a job, the worker (eager in
tests) writes the file, the job's page offers it, the download goes through the export path."""

from django.test import TestCase
from django.urls import resolve, reverse


def export_get(client, url: str, data=None):
    """The download of the export `url` starts; a request refused before any job (403, 404, a
    redirect to log in) is returned as it is."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        started = client.get(url, data)
    if started.status_code != 302:
        return started
    match = resolve(started.url.split("?")[0])
    if match.view_name != "export_jobs:detail":
        return started
    response = client.get(reverse("export_jobs:download", args=[match.kwargs["pk"]]))
    if response.status_code == 200:
        body = response.getvalue()  # a streamed file is read once: kept for every check
        response.getvalue = lambda: body
    return response
