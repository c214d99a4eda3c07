"""Pages made in tests from the sample page's own pieces, laid out as a page export lays them."""

from __future__ import annotations

from kg.model import Article


def wrap(text: str, width: int, first: int | None = None) -> list[str]:
    """Lines of at most ``width`` characters (the first line ``first``)."""
    lines, pos, w = [], 0, first or width
    while pos < len(text):
        lines.append(text[pos:pos + w])
        pos += w
        w = width
    return lines


def pieces(article: Article, *, width: int = 17) -> dict[str, str]:
    """Layout text of each piece of an article: title, opinion, byline, body, closers."""
    out = {"title": "\n".join(wrap(article.title.replace(" ", ""), 12))}  # titles set in a large type
    if article.abstract:
        out["opinion"] = "●观 点\n\n" + "\n\n".join(wrap(article.abstract, width - 4))
    byline = [b.text for b in article.blocks if b.role == "byline"]
    if byline:
        out["byline"] = byline[0]
    body = []
    for b in article.blocks:
        if b.role == "paragraph":
            body.append("\n\n".join(wrap(b.text, width, width - 2)))
        elif b.role == "heading":
            body.append("\n".join(wrap(b.text, width - 4)))
        elif b.role == "attribution":
            body.append(b.text)
    out["body"] = "\n\n".join(body)
    closers = [b.text for b in article.blocks if b.role in ("note", "compiler")]
    if closers:
        out["closers"] = "\n\n".join(closers)
    return out


def page(parts: list[str]) -> str:
    """A page text of layout pieces separated by blank lines."""
    return "\n\n".join(p for p in parts if p) + "\n"
