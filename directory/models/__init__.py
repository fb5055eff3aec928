from .accounts import User
from .audit import ExportLogEntry, RegistryLogEntry
from .enterprises import Enterprise
from .imports import ImportJob
from .jobs import BackgroundJob
from .notifications import Notification
from .people import ROLE_FIELDS, Person, Post
from .units import Department, Industry, Village

__all__ = [
    "ROLE_FIELDS",
    "BackgroundJob",
    "Department",
    "Enterprise",
    "ExportLogEntry",
    "ImportJob",
    "Industry",
    "Notification",
    "Person",
    "Post",
    "RegistryLogEntry",
    "User",
    "Village",
]
