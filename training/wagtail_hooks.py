"""The training app's back office: each domain registers its menu group, viewsets and pages in its
own `admin` module; Wagtail loads only this one, which gathers them."""

from training.drills import admin as drills_admin  # noqa: F401
from training.duties import admin as duties_admin  # noqa: F401
from training.exams import admin as exams_admin  # noqa: F401
from training.learning import admin as learning_admin  # noqa: F401
from training.sessions import admin as sessions_admin  # noqa: F401
