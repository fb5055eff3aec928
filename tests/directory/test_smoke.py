from directory.selectors import enterprises_visible_to


def test_town_fixture_scopes(accounts, town):
    from directory.constants import AccountRole

    assert list(enterprises_visible_to(accounts[AccountRole.DEPARTMENT_OFFICER])) == [town["ent_a"]]
