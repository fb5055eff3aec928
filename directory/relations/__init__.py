"""Related units (contractors, tenants, labour-dispatch agencies) and attached workers: scoping,
writes, back-office and front-office screens, and the import (directory/models/relations.py)."""
