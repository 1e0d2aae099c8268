"""The navigation bar at the widths people use: on one row with no entry broken over two lines from 1200 pixels
(Bootstrap's xl), folded under the menu button below that, for every demo role (their names and roles)."""

import os
from pathlib import Path

import pytest

from core.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The demo accounts (workforce/demo.py): names and roles as people see them after `make run`.
DEMO_PEOPLE = {
    "practitioner": ("Priya", "Shah", [Role.PRACTITIONER], {}),
    "manager": ("Martin", "Okafor", [Role.LINE_MANAGER, Role.PRACTITIONER], {"is_organisation_lead": True}),
    "coordinator": ("Chloe", "Bennett", [Role.TRAINING_COORDINATOR, Role.PRACTITIONER], {}),
    "strategy": ("Samuel", "Adeyemi", [Role.STRATEGY_GROUP_MEMBER, Role.PRACTITIONER], {}),
    "board": ("Beatrice", "Lowe", [Role.BOARD_MEMBER], {}),
    "admin": ("Adam", "Novak", [Role.ADMINISTRATOR], {}),
}
WIDTHS = [992, 1100, 1280, 1400]
EXPANDED_FROM = 1200
# Screenshots for a person to look at: NAV_SCREENSHOTS=/some/folder pytest tests/portal/test_navigation_browser.py
SCREENSHOTS = os.environ.get("NAV_SCREENSHOTS")

LINES_OF = """(selector) => [...document.querySelectorAll(selector)]
  .filter((el) => el.offsetParent !== null).map((el) => {
  const style = getComputedStyle(el);
  const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.5;
  const text = el.getBoundingClientRect().height - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
  return [el.textContent.trim(), Math.round(text / line)];
})"""


@pytest.mark.parametrize("who", list(DEMO_PEOPLE))
def test_the_bar_stays_on_one_line_or_folds_under_the_menu_button(page, make_user, sign_in, who):
    first, last, roles, profile = DEMO_PEOPLE[who]
    extra = {"is_staff": True, "is_superuser": True} if Role.ADMINISTRATOR in roles else {}
    user = make_user(*roles, email=f"{who}@demo.example", first_name=first, last_name=last, profile=profile, **extra)
    sign_in(page, user)
    nav = page.get_by_role("navigation", name="Main")
    toggler = nav.locator(".navbar-toggler")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        page.reload()
        if width >= EXPANDED_FROM:
            assert not toggler.is_visible(), f"{who} at {width}px: the menu button shows on a wide screen"
            tops = {round(item.bounding_box()["y"]) for item in nav.locator(".navbar-nav > .nav-item").all()}
            assert len(tops) == 1, f"{who} at {width}px: the bar wraps onto {len(tops)} rows"
        else:
            assert toggler.is_visible(), f"{who} at {width}px: no menu button, the bar must fit"
            toggler.click()
            page.locator("#main-nav.show").wait_for()
        broken = [(label, lines) for label, lines in page.evaluate(LINES_OF, "#main-nav .nav-link") if lines > 1]
        assert broken == [], f"{who} at {width}px: entries broken over lines: {broken}"
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        if SCREENSHOTS:
            Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{SCREENSHOTS}/nav-{who}-{width}.png", clip={"x": 0, "y": 0, "width": width,
                                                                              "height": 420})  # fmt: skip
