"""The README shows every screenshot the browser suite writes to docs/screenshots/, and every
screenshot it shows is there."""

import os
import re

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..")


def test_the_readme_shows_every_screenshot_and_each_one_it_shows_exists():
    with open(os.path.join(ROOT, "README.md")) as readme:
        shown = re.findall(r"!\[[^\]]*\]\(docs/screenshots/([^)]+)\)", readme.read())
    made = sorted(name for name in os.listdir(os.path.join(ROOT, "docs", "screenshots")) if name.endswith(".png"))
    assert len(shown) == len(set(shown)), "a screenshot is shown twice"
    assert sorted(shown) == made, {"not shown": sorted(set(made) - set(shown)), "missing": sorted(set(shown) - set(made))}
    # Each page at both widths.
    pages = {name.rsplit("-", 1)[0] for name in made}
    assert made == sorted(f"{page}-{width}.png" for page in pages for width in ("desktop", "phone"))
