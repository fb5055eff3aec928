from .issued import (
    CertificateBatch,
    CertificateBatchItem,
    CertificateCounter,
    CertificateKind,
    CertificateStatus,
    IssuedCertificate,
)

__all__ = [
    "CertificateBatch",
    "CertificateBatchItem",
    "CertificateCounter",
    "CertificateKind",
    "CertificateStatus",
    "IssuedCertificate",
]
