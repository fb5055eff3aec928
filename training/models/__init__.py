"""The training app's models, one package per domain; Django finds them all through this module."""

from training.common.hours import ENTRY_MAX_HOURS
from training.common.models import EvidenceKind
from training.drills.models.corrective_actions import ActionStatus, CorrectiveAction
from training.drills.models.entry import DrillGroupRow, DrillSignature
from training.drills.models.evidence import DrillEvidence
from training.drills.models.observations import DrillObservation
from training.drills.models.participants import DrillParticipant, ParticipantSource
from training.drills.models.profile import DrillProfile
from training.drills.models.records import (
    DrillPlan,
    DrillRecord,
    DrillScenario,
    PlanType,
    ReviewStatus,
)
from training.duties.models import (
    ChecklistEntry,
    ChecklistStatus,
    DutyItem,
    InspectionHazard,
    PrincipalChecklist,
    SelfInspection,
)
from training.exams.models.attempts import Attempt, AttemptStatus, ContestParticipant
from training.exams.models.banks import (
    Difficulty,
    Question,
    QuestionBank,
    QuestionCategory,
    QuestionType,
)
from training.exams.models.papers import (
    DrawRule,
    Exam,
    ExamKind,
    ExamLayout,
    ExamMode,
    Paper,
    PaperQuestion,
    ReviewPolicy,
)
from training.learning.models.assignments import CourseAssignment, Enrolment
from training.learning.models.ledger import HourSource, StudyHourEntry, TrainingTopic
from training.learning.models.progress import LessonProgress, StudyClock
from training.learning.models.requirements import (
    RequirementKind,
    TopicAudience,
    TopicTrainingRequirement,
    TrainingPeriod,
    TrainingRequirement,
)
from training.sessions.models.photos import SessionPhoto
from training.sessions.models.sessions import (
    ATTENDED,
    Attendance,
    AttendanceStatus,
    SessionKind,
    SessionMode,
    SignInMethod,
    TrainingSession,
)

__all__ = [
    "ChecklistEntry",
    "ChecklistStatus",
    "DutyItem",
    "InspectionHazard",
    "PrincipalChecklist",
    "SelfInspection",
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
    "DrillParticipant",
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
    "ParticipantSource",
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
    "TopicAudience",
    "TopicTrainingRequirement",
    "TrainingPeriod",
    "TrainingTopic",
]
