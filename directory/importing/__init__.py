"""Registry imports: file formats, django-import-export resources and the import service.

Split like wagtail.contrib.redirects' importer: `formats` reads files, `widgets` and `resources`
turn cells into model fields, `services` runs a whole file all-or-nothing with a per-row report.
"""
