"""Browsers ask for /favicon.ico on every first visit: it is there, an icon, cached."""

import io

from PIL import Image


def test_favicon_is_served_at_the_root(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    assert "max-age" in response.get("Cache-Control", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    icon = Image.open(io.BytesIO(body))
    assert icon.format == "ICO" and (32, 32) in icon.info["sizes"]


def test_pages_link_the_icon(client, db):
    html = client.get("/accounts/login/").content.decode()
    assert '<link rel="icon" href="/favicon.ico"' in html
    assert 'rel="apple-touch-icon"' in html
