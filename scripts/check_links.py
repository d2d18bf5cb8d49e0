#!/usr/bin/env python3
"""Checks that every relative link resolves, without the network.

    scripts/check_links.py --html docs/book --markdown README.md [--markdown OTHER.md ...]

--html DIR: every .html file under DIR (the built user guide). Each relative href/src of an
<a>, <img>, <link>, <script> or <source> must name a file inside DIR (a link leaving the book
would not be served by `mdbook serve`), and a #fragment must be an id (or an <a name>) of the
page it points to. mdBook already fails on a chapter whose file is missing; this catches the
links between chapters, to their headings and to images.

--markdown FILE: a Markdown file as a forge renders it (README.md). Each relative link and image
must name an existing file or folder, and a #fragment into a Markdown file (or the file itself)
must be one of its headings' anchors, made as GitHub makes them.

Links with a scheme (https:, mailto:) are not followed. Exit status 1 lists every broken link.
Standard library only (Python 3.9+).
"""
import argparse
import html.parser
import os
import re
import sys
import unicodedata
import urllib.parse

SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//")


class Page(html.parser.HTMLParser):
    LINKS = {"a": "href", "img": "src", "link": "href", "script": "src", "source": "src"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids = set()
        self.links = []  # (line, url)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        attr = self.LINKS.get(tag)
        if attr and attrs.get(attr) is not None:
            self.links.append((self.getpos()[0], attrs[attr]))


def parse_page(path, cache):
    if path not in cache:
        page = Page()
        with open(path, encoding="utf-8") as f:
            page.feed(f.read())
        cache[path] = page
    return cache[path]


def check_html(root):
    root = os.path.realpath(root)
    if not os.path.isfile(os.path.join(root, "index.html")):
        return [f"{root}: no index.html (was the book built?)"], 0
    cache, errors, count = {}, [], 0
    for folder, _, files in os.walk(root):
        for name in sorted(files):
            if not name.endswith(".html"):
                continue
            path = os.path.join(folder, name)
            for line, url in parse_page(path, cache).links:
                if not url or url == "#" or SCHEME.match(url):
                    continue
                count += 1
                where = f"{os.path.relpath(path, root)}:{line}: {url}"
                target, _, fragment = url.partition("#")
                target = urllib.parse.unquote(target.partition("?")[0])
                dest = os.path.realpath(os.path.join(folder, target)) if target else path
                if os.path.isdir(dest):
                    dest = os.path.join(dest, "index.html")
                if not (dest == root or dest.startswith(root + os.sep)):
                    errors.append(f"{where}: leaves the book ({dest})")
                elif not os.path.isfile(dest):
                    errors.append(f"{where}: no such file")
                elif fragment and dest.endswith(".html"):
                    if urllib.parse.unquote(fragment) not in parse_page(dest, cache).ids:
                        errors.append(f"{where}: no id {fragment!r} in {os.path.relpath(dest, root)}")
    return errors, count


FENCE = re.compile(r"^ {0,3}(```+|~~~+)")
HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
INLINE_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
HTML_LINK = re.compile(r"<(?:a|img)\b[^>]*?\b(?:href|src)=\"([^\"]*)\"", re.I)
CODE_SPAN = re.compile(r"(`+)(.+?)\1")


def markdown_lines(path):
    """The file's lines outside fenced code blocks, as (line number, text)."""
    fence = None
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            m = FENCE.match(line)
            if fence is None and m:
                fence = m.group(1)[0] * len(m.group(1))
            elif fence is not None and line.strip().startswith(fence):
                fence = None
            elif fence is None:
                yield number, line.rstrip("\n")


def github_anchor(text):
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)  # [text](url) → text
    text = re.sub(r"<[^>]+>", "", text).replace("`", "").lower()
    kept = "".join(c for c in text if c in " -_" or unicodedata.category(c)[0] in "LMN")
    return kept.replace(" ", "-")


def markdown_anchors(path, cache):
    if path not in cache:
        anchors, seen = set(), {}
        for _, line in markdown_lines(path):
            m = HEADING.match(line)
            if m:
                slug = github_anchor(m.group(2))
                n = seen.get(slug, 0)
                seen[slug] = n + 1
                anchors.add(slug if n == 0 else f"{slug}-{n}")
        cache[path] = anchors
    return cache[path]


def check_markdown(path, cache):
    errors, count = [], 0
    folder = os.path.dirname(os.path.abspath(path))
    for number, line in markdown_lines(path):
        line = CODE_SPAN.sub("", line)
        for url in INLINE_LINK.findall(line) + HTML_LINK.findall(line):
            if not url or SCHEME.match(url):
                continue
            count += 1
            where = f"{path}:{number}: {url}"
            target, _, fragment = url.partition("#")
            target = urllib.parse.unquote(target.partition("?")[0])
            dest = os.path.normpath(os.path.join(folder, target)) if target else os.path.abspath(path)
            if not os.path.exists(dest):
                errors.append(f"{where}: no such file")
            elif fragment and dest.endswith(".md"):
                if fragment not in markdown_anchors(dest, cache):
                    errors.append(f"{where}: no heading with anchor {fragment!r} in {os.path.relpath(dest)}")
    return errors, count


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--html", action="append", default=[], metavar="DIR")
    ap.add_argument("--markdown", action="append", default=[], metavar="FILE")
    args = ap.parse_args()
    errors, counts, cache = [], [], {}
    for root in args.html:
        e, n = check_html(root)
        errors += e
        counts.append(f"{n} links in {root}")
    for path in args.markdown:
        e, n = check_markdown(path, cache)
        errors += e
        counts.append(f"{n} links in {path}")
    for e in errors:
        print(f"broken link: {e}", file=sys.stderr)
    print(f"check_links: {', '.join(counts)}; {len(errors)} broken", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
