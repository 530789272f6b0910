"""A chart to take elsewhere: the snippet a journalist pastes to embed a live chart, and the
address of a view's chart as an image.

The snippet is an <iframe> of /embed/… and a few lines of script that size it to its content.
The embedded page tells its height to the page around it (assets/spi.js, postMessage); the
script sets the height of the one iframe whose window sent it, within bounds. Without the
script (a CMS may strip it) the iframe keeps its given height. Used by the explorer's share
block and by `spi publish`.

The image, /image/<indicator>.png?<the view's parameters>, is the chart of an explorer view or
an embed as a PNG of the Open Graph size, with its credit (spi/images.py draws it): the
explorer's and the embed's link-preview tags (dashboard/app.py) name it, so a shared link shows
the chart.
"""
from __future__ import annotations

from html import escape
from urllib.parse import urlencode

from .view import View

# What the image's address takes besides `as_of` (which every address takes): the view's
# parameters (View.query) but its indicator, which is in the path, and its tab (an image is the chart).
IMAGE_PARAMS = ("view", "breakdown", "mode", "geo", "from", "to", "period", "lang")
IMAGE_WIDTH, IMAGE_HEIGHT = 1200, 630   # px: the Open Graph image size (1.91:1)

MESSAGE = "spiEmbedHeight"    # the key of the message the embedded page posts
RESIZER = ('<script>(function(){window.addEventListener("message",function(e){var d=e.data;'
           f'if(!d||typeof d.{MESSAGE}!=="number")return;'
           'var f=document.querySelectorAll("iframe[data-spi-embed]");for(var i=0;i<f.length;i++){'
           f'if(f[i].contentWindow===e.source){{f[i].style.height=Math.min(Math.max(d.{MESSAGE},200),4000)+"px";}}}}}});}})();'
           '</script>')


def iframe_snippet(src: str, title: str, height: int) -> str:
    """An iframe of `src` that sizes itself to its content, `height` until it has."""
    return (f'<iframe src="{escape(src, quote=True)}" title="{escape(title, quote=True)}" width="100%" '
            f'height="{height}" style="border:0;width:100%" loading="lazy" data-spi-embed></iframe>{RESIZER}')


def image_path(view: View) -> str:
    """The address (path and query) of the image of `view`'s chart, which parses back into `view`."""
    query = {k: v for k, v in view.query(tab=False).items() if k != "indicator"}
    return f"/image/{view.indicator}.png?{urlencode(query, safe=',')}"
