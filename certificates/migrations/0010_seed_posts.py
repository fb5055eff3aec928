"""Seed the posts (directory.Post) and what each requires (catalogue.POST_REQUIREMENTS), then link
people whose free-text job title names a post.

Idempotent: posts are matched by name, requirements by (post, operation/type), so an officer's
corrections are kept.
"""

from django.db import migrations


def seed(apps, schema_editor):
    from certificates.catalogue import (
        POST_REQUIREMENTS,
        POST_REQUIREMENTS_SOURCE,
        SPECIAL_OPERATION,
    )
    from directory.services.registry import people_link_to_posts

    Post = apps.get_model("directory", "Post")
    Person = apps.get_model("directory", "Person")
    Operation = apps.get_model("certificates", "SpecialOperation")
    CertificateType = apps.get_model("certificates", "CertificateType")
    Requirement = apps.get_model("certificates", "PostRequirement")
    operations = {op.name: op for op in Operation.objects.all()}
    types = {t.code: t for t in CertificateType.objects.all()}
    for order, (name, operation_names, type_codes) in enumerate(POST_REQUIREMENTS, start=1):
        post, _ = Post.objects.get_or_create(name=name, defaults={"sort_order": order})
        for operation_name in operation_names:
            if operation_name in operations:
                Requirement.objects.get_or_create(
                    post=post,
                    operation=operations[operation_name],
                    defaults={"source": POST_REQUIREMENTS_SOURCE[SPECIAL_OPERATION]},
                )
        for code in type_codes:
            if code in types:
                Requirement.objects.get_or_create(
                    post=post,
                    certificate_type=types[code],
                    defaults={"source": POST_REQUIREMENTS_SOURCE[code]},
                )
    people_link_to_posts(person_model=Person, post_model=Post)


class Migration(migrations.Migration):
    dependencies = [("certificates", "0009_post_requirements")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
