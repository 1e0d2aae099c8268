"""Reading action-plan pages as a person sees them."""

import re

from django.urls import reverse

_ROW_LINK = re.compile(r'<th scope="row" class="fw-normal"><a href="([^"]+)">')


def listed_action_ids(response) -> list[int]:
    """The actions a list page shows, in its order (the link in each row's heading cell)."""
    assert response.status_code == 200
    paths = _ROW_LINK.findall(response.content.decode())
    ids = [int(re.search(r"/(\d+)/$", path)[1]) for path in paths]
    assert all(path == reverse("actions:action_detail", args=[pk]) for path, pk in zip(paths, ids, strict=True))
    return ids
