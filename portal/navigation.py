"""The navigation bar, drawn from the entries apps register (core.navigation), in three parts so it stays
on one line whatever a person's roles: `main`, `manage`, `mine` (docs/portal.md#navigation)."""

from django.urls import NoReverseMatch, reverse

from core.navigation import MAIN, MANAGE, MINE, navigation_items


def nav_items_for(user) -> list[dict]:
    """The entries the user may see, in order: {"label", "url", "section"}."""
    visible = []
    for item in navigation_items():
        if not item.visible_to(user):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        visible.append({"label": item.label, "url": url, "section": item.section_name})
    if user.is_staff:
        visible.append({"label": "Django admin", "url": reverse("admin:index"), "section": MANAGE})
    return visible


def navigation_for(user, path: str) -> dict:
    """The bar's sections for this user on this page. The current page is the entry whose address is the
    longest prefix of the path (so /plan/my-actions/ is "My actions", not also "Action plan" at /plan/)."""
    items = nav_items_for(user)
    matches = [item for item in items if path == item["url"] or (item["url"] != "/" and path.startswith(item["url"]))]
    current = max(matches, key=lambda item: len(item["url"]), default=None)
    sections = {MAIN: [], MANAGE: [], MINE: []}
    for item in items:
        item["current"] = item is current
        sections[item["section"]].append(item)
    return {
        "nav_main": sections[MAIN],
        "nav_manage": sections[MANAGE],
        "nav_manage_current": any(item["current"] for item in sections[MANAGE]),
        "nav_mine": sections[MINE],
        "nav_mine_current": any(item["current"] for item in sections[MINE]),
    }
