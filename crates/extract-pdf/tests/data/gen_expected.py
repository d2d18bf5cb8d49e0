#!/usr/bin/env python3
"""Expected paragraphs/tables of the corpus PDFs, taken from the matching DOCX files
(the PDFs were exported from them): one JSON file per notice in this directory.

Text is normalized the way tests/corpus.rs normalizes extracted text: whitespace next to
a non-ASCII character is removed (the PDF text layer has "2024 年" where the DOCX has
"2024年"). Run: python3 crates/extract-pdf/tests/data/gen_expected.py
"""
import json
import os
import re
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "..", "..", "..", "..", "corpus")


def norm(t):
    t = t.replace("\n", "")
    t = re.sub(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])", "", t)
    return t.strip()


def para_texts(xml):
    ps = re.findall(r"<w:p[ >].*?</w:p>|<w:p/>", xml, flags=re.S)
    out = [norm("".join(re.findall(r"<w:t[^>]*>([^<]*)", p))) for p in ps]
    return [p for p in out if p]


for name in sorted(os.listdir(CORPUS)):
    if not name.endswith(".docx"):
        continue
    xml = zipfile.ZipFile(os.path.join(CORPUS, name)).read("word/document.xml").decode()
    tables = []
    for tbl in re.findall(r"<w:tbl>.*?</w:tbl>", xml, flags=re.S):
        rows = []
        for tr in re.findall(r"<w:tr[ >].*?</w:tr>", tbl, flags=re.S):
            rows.append([para_texts(tc) for tc in re.findall(r"<w:tc>.*?</w:tc>", tr, flags=re.S)])
        tables.append(rows)
    body = re.sub(r"<w:tbl>.*?</w:tbl>", "", xml, flags=re.S)
    out = {"paragraphs": para_texts(body), "tables": tables}
    with open(os.path.join(HERE, name[:-5] + ".json"), "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(name, len(out["paragraphs"]), [len(t) for t in tables])
