from training.models.corrective_actions import ActionStatus, CorrectiveAction
from training.models.drill_entry import DrillGroupRow, DrillSignature
from training.models.drill_evidence import DrillEvidence, EvidenceKind
from training.models.drill_observations import DrillObservation
from training.models.drill_profile import DrillProfile
from training.models.drills import DrillPlan, DrillRecord, DrillScenario, PlanType, ReviewStatus
from training.models.exams import (
    Difficulty,
    Question,
    QuestionBank,
    QuestionCategory,
    QuestionType,
)
from training.models.exams_attempts import Attempt, AttemptStatus, ContestParticipant
from training.models.exams_papers import (
    DrawRule,
    Exam,
    ExamKind,
    ExamLayout,
    ExamMode,
    Paper,
    PaperQuestion,
    ReviewPolicy,
)
from training.models.learning import LessonProgress, StudyClock
from training.models.learning_assignments import CourseAssignment, Enrolment
from training.models.learning_requirements import RequirementKind, TrainingRequirement
from training.models.ledger import ENTRY_MAX_HOURS, HourSource, StudyHourEntry
from training.models.session_evidence import SessionPhoto
from training.models.sessions import (
    ATTENDED,
    Attendance,
    AttendanceStatus,
    SessionKind,
    SessionMode,
    SignInMethod,
    TrainingSession,
)

__all__ = [
    "ATTENDED",
    "Attempt",
    "AttemptStatus",
    "ContestParticipant",
    "DrawRule",
    "Exam",
    "ExamKind",
    "ExamLayout",
    "ExamMode",
    "Paper",
    "PaperQuestion",
    "ReviewPolicy",
    "ActionStatus",
    "Attendance",
    "AttendanceStatus",
    "CorrectiveAction",
    "CourseAssignment",
    "DrillEvidence",
    "DrillGroupRow",
    "DrillObservation",
    "DrillPlan",
    "DrillProfile",
    "DrillRecord",
    "DrillScenario",
    "DrillSignature",
    "Difficulty",
    "Enrolment",
    "EvidenceKind",
    "HourSource",
    "LessonProgress",
    "PlanType",
    "Question",
    "QuestionBank",
    "QuestionCategory",
    "QuestionType",
    "RequirementKind",
    "ReviewStatus",
    "SessionKind",
    "SessionPhoto",
    "SessionMode",
    "SignInMethod",
    "StudyClock",
    "StudyHourEntry",
    "ENTRY_MAX_HOURS",
    "TrainingRequirement",
    "TrainingSession",
]
