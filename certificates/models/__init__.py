from .registry import (
    CertificateAttachment,
    CertificateReview,
    CertificateType,
    OperationCategory,
    PostAbsence,
    RegisteredCertificate,
    ReviewResult,
    SpecialOperation,
)

__all__ = [
    "CertificateAttachment",
    "CertificateReview",
    "CertificateType",
    "OperationCategory",
    "PostAbsence",
    "RegisteredCertificate",
    "ReviewResult",
    "SpecialOperation",
]
