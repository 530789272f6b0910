"""The snippet a journalist pastes to embed a live chart: an <iframe> of /embed/… and a few
lines of script that size it to its content. The embedded page tells its height to the page
around it (assets/spi.js, postMessage); the script sets the height of the one iframe whose
window sent it, within bounds. Without the script (a CMS may strip it) the iframe keeps its
given height. Used by the explorer's share block and by `spi publish`."""
from __future__ import annotations

from html import escape

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
