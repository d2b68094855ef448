"""axe-core, default rules, none disabled: zero violations on every page type, on phones and desktops."""

import pytest

from tests.e2e import helpers

pytestmark = pytest.mark.browser

WIDTHS = {"375px": helpers.PHONE, "1440px": helpers.DESKTOP}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page_name", helpers.PAGE_NAMES)
def test_page_has_no_axe_violations(new_context, urls, request, page_name, width):
    page = new_context(**WIDTHS[width], bypass_csp=True).new_page()  # axe is injected as a script
    helpers.open_page(page, urls[page_name])

    results = helpers.run_axe(page)

    for item in results["incomplete"]:
        request.config.stash[helpers.AXE_INCOMPLETE].append(
            (f"{page_name}@{width}", item["id"], item["help"], len(item["nodes"]))
        )
    if results["incomplete"]:
        listing = helpers.describe_axe_items(results["incomplete"])
        print(f"axe incomplete on {page_name} at {width} (needs a human check):\n{listing}")
    assert not results["violations"], (
        f"axe found violations on {page_name} ({urls[page_name]}) at {width}:\n"
        + helpers.describe_axe_items(results["violations"])
    )
