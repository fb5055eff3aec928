"""An attempt shows each question's options shuffled (`item["o"]` holds the question's own option
indexes in the order shown); these map the letters a learner sees to the question's own letters
and back. Pure functions, used by grading, the answer sheet and the demo."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from training.exams.models.banks import LETTERS


def shown_to_own(item: dict, letters: str) -> str:
    """Letters as shown on the screen (shuffled) → the question's own letters, sorted."""
    own = []
    for letter in letters:
        index = LETTERS.find(letter)
        if index < 0 or index >= len(item["o"]):
            raise ValidationError(_("No such option: %(letter)s.") % {"letter": letter})
        own.append(LETTERS[item["o"][index]])
    return "".join(sorted(set(own)))


def own_to_shown(item: dict, letters: str) -> str:
    return "".join(sorted(LETTERS[item["o"].index(LETTERS.index(c))] for c in letters))
