"""Reading a whole published scorecard: its first page and every page it links to (levels, panels,
Appendix 3), as a member would by following the links."""

from __future__ import annotations

import re

PART_LINK = re.compile(r'href="(/scorecards/[^"#]+/(?:levels/[^"/#]+|panels/[^"/#]+|appendix-3)/)[^"]*"')


def part_links(html: str) -> list[str]:
    """The scorecard's own pages linked from ``html``, in order of appearance, each once."""
    return list(dict.fromkeys(PART_LINK.findall(html)))


def whole_scorecard(client, url: str) -> str:
    """The first page at ``url`` and every part it links to, joined; each must answer 200."""
    first = client.get(url)
    assert first.status_code == 200, url
    pages = [first.content.decode()]
    for link in part_links(pages[0]):
        response = client.get(link)
        assert response.status_code == 200, link
        pages.append(response.content.decode())
    return "\n".join(pages)
