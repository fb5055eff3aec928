from .issued import (
    CertificateBatch,
    CertificateBatchItem,
    CertificateCounter,
    CertificateKind,
    CertificateStatus,
    IssuedCertificate,
)
from .registry import (
    CertificateAttachment,
    CertificateReview,
    CertificateType,
    CertificateViolation,
    OperationCategory,
    PostAbsence,
    PostRequirement,
    RegisteredCertificate,
    ReviewResult,
    SpecialOperation,
)

__all__ = [
    "CertificateAttachment",
    "CertificateBatch",
    "CertificateBatchItem",
    "CertificateCounter",
    "CertificateKind",
    "CertificateReview",
    "CertificateStatus",
    "CertificateType",
    "CertificateViolation",
    "IssuedCertificate",
    "OperationCategory",
    "PostAbsence",
    "PostRequirement",
    "RegisteredCertificate",
    "ReviewResult",
    "SpecialOperation",
]
