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
    "IssuedCertificate",
    "OperationCategory",
    "PostAbsence",
    "PostRequirement",
    "RegisteredCertificate",
    "ReviewResult",
    "SpecialOperation",
]
