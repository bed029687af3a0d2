"""The dashboard on a phone: the charts are drawn, and axe-core finds nothing to fix."""

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from birge.conftest import axe_violations
from birge.stats.demo import stats_demo_load

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_dashboard_draws_its_charts_on_a_narrow_screen(
    live_server: Any, page: Page, reference_data: None
) -> None:
    stats_demo_load()

    page.goto(f"{live_server.url}/kk/stats/")

    chart = page.locator("svg[role=img]").first
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box is not None
    assert 0 < box["width"] <= 360
    assert box["height"] > 50
    expect(page.locator("[data-indicator=confirmed] .headline__value")).to_have_text("982 888")
    assert axe_violations(page) == []

    page.locator("details summary").first.click()
    assert axe_violations(page) == []

    page.goto(f"{live_server.url}/kk/stats/KZ-19/")
    expect(page.locator("svg[role=img]").first).to_be_visible()
    assert axe_violations(page) == []
