"""Registry imports: file formats, django-import-export resources and the import service.

Split like wagtail.contrib.redirects' importer: `safety` bounds what a file may cost before
anything parses it; `formats` reads files (after that check, always); `widgets` turn cells into
values; `base` holds what every resource shares and `resources` the templates' columns;
`services` runs a whole file all-or-nothing with a per-row report; `jobs` carries an upload from
check to confirmed import, in a Celery task when it is large.
"""
