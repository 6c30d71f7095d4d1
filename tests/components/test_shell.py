"""The page shell's account area: the steward link only where a steward page is served (issue 14)."""

from __future__ import annotations

from dashboard import ids
from dashboard.components.shell import account_area


def _ids(component) -> set[str]:
    found = set()
    stack = [component]
    while stack:
        node = stack.pop()
        if getattr(node, "id", None):
            found.add(node.id)
        children = getattr(node, "children", None)
        stack.extend(children if isinstance(children, list) else [children] if children is not None else [])
    return found


def test_sh001_a_steward_sees_the_steward_link_where_the_steward_tier_is_served():
    assert ids.STEWARD_LINK in _ids(account_area("en", "coalition", "steward", "sam"))


def test_sh002_no_steward_link_in_a_process_capped_below_the_steward_tier():
    shown = _ids(account_area("en", "funder", "steward", "sam"))
    assert ids.STEWARD_LINK not in shown
    assert ids.LOGOUT_LINK in shown


def test_sh003_other_roles_never_see_it():
    assert ids.STEWARD_LINK not in _ids(account_area("fr", "coalition", "coalition", "cam"))
    assert ids.STEWARD_LINK not in _ids(account_area("en", "public", "public", None))
