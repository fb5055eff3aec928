from .accounts import User
from .archive import NOT_ARCHIVED, Archivable, archived_has_reason
from .audit import ExportLogEntry, RegistryLogEntry
from .enterprises import Enterprise
from .exports import ExportJob
from .imports import ImportJob
from .jobs import BackgroundJob
from .notifications import Notification
from .people import ROLE_FIELDS, Person, Post
from .units import Department, Industry, Village

__all__ = [
    "NOT_ARCHIVED",
    "ROLE_FIELDS",
    "Archivable",
    "BackgroundJob",
    "Department",
    "Enterprise",
    "ExportJob",
    "ExportLogEntry",
    "ImportJob",
    "Industry",
    "Notification",
    "Person",
    "Post",
    "RegistryLogEntry",
    "User",
    "Village",
    "archived_has_reason",
]
from .pool import PoolInspection, PoolKind, PoolMember  # noqa: E402

__all__ += ["PoolInspection", "PoolKind", "PoolMember"]
from .relations import Attachment, EnterpriseRelation, RelationKind  # noqa: E402

__all__ += ["Attachment", "EnterpriseRelation", "RelationKind"]
