"""Registry imports: file formats, django-import-export resources and the import service.

Split like wagtail.contrib.redirects' importer: `formats` reads files; `widgets` turn cells into
values; `base` holds what every resource shares and `resources` the templates' columns;
`services` runs a whole file all-or-nothing with a per-row report; `jobs` carries an upload from
check to confirmed import, in a Celery task when it is large.
"""
