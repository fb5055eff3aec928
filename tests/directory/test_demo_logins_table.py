"""The demo logins table `seed_demo` prints lines up on a terminal, Chinese role names included."""

from django.utils import translation

from directory.constants import AccountRole
from directory.management.commands.seed_demo import display_width, table_lines


def test_a_chinese_character_takes_two_columns_and_a_combining_mark_none():
    assert display_width("admin") == 5
    assert display_width("镇安委办") == 8
    assert display_width("镇安委办 (superuser)") == 20
    assert display_width("ＡＢ") == 4  # full-width Latin letters
    assert display_width("e\u0301") == 1  # e + combining acute accent


def test_every_line_of_the_logins_table_is_as_wide_as_the_others_in_chinese_and_english():
    for language in ("zh-hans", "en"):
        with translation.override(language):
            rows = [("username", "role", "password")]
            usernames = ["town", "dept", "village", "manager", "learner", "editor"]
            rows += [
                (username, str(role.label), "xujing2026")
                for username, role in zip(usernames, AccountRole, strict=True)
            ]
            rows.append(("admin", f"{AccountRole.TOWN_OFFICE.label} (superuser)", "xujing2026"))
        lines = table_lines(rows)

        assert len({display_width(line) for line in lines}) == 1, lines
        # The role and password columns begin at the same display column on every line.
        role_starts = {
            display_width(line[: line.index(row[1])]) for line, row in zip(lines, rows, strict=True)
        }
        password_starts = {
            display_width(line[: line.rindex(row[2])])
            for line, row in zip(lines, rows, strict=True)
        }
        assert len(role_starts) == 1, lines
        assert len(password_starts) == 1, lines


def test_the_roles_really_are_chinese_in_the_default_language():
    """The case the table is aligned for: padding by characters would misalign these."""
    with translation.override("zh-hans"):
        label = str(AccountRole.ENTERPRISE_MANAGER.label)
    assert display_width(label) == 2 * len(label)
