"""Back-office screen of the task progress: an evidence file, served to the report's viewers
only (the unit and the town office); the lines themselves are edited on the report's screen."""

from django.shortcuts import get_object_or_404

from directory.files import stored_file_response
from plan.progress.evidence import evidence_content_type
from plan.progress.selectors import evidence_visible_to


def evidence(request, pk):
    file = get_object_or_404(evidence_visible_to(request.user), pk=pk)
    return stored_file_response(
        file.file, content_type=evidence_content_type(file.file.name), filename=file.name
    )
