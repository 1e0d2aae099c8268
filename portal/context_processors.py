from workforce.permissions import primary_role, roles_of

from .navigation import nav_items_for


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "user_roles": []}
    items = nav_items_for(user)
    path = request.path
    for item in items:
        item["current"] = path == item["url"] or (item["url"] != "/" and path.startswith(item["url"]))
    return {
        "nav_items": items,
        "user_roles": sorted(role.value for role in roles_of(user)),
        "user_primary_role": primary_role(user).value,
    }
