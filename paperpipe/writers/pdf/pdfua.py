"""Writes the structure tree and the PDF/UA-1 document entries into the PDF.

reportlab has drawn the pages with marked content (see ``tags``); this step
opens its output with pikepdf and adds what reportlab cannot write:

* the StructTreeRoot with the elements (/S, /P, /K, /Pg, /Alt, /A), the
  ParentTree (page → MCID → element, annotation → Link element) and the
  RoleMap for the two non-standard roles;
* on each page /StructParents and /Tabs /S; on each link annotation
  /Contents, /StructParent and the Print flag;
* in the catalog /MarkInfo, /Lang, /ViewerPreferences /DisplayDocTitle,
  /PageLabels (the cover unnumbered, then 1, 2, 3 as printed) and an XMP
  packet with dc:title, dc:language and pdfuaid:part 1.

The file is saved with a content-derived /ID and no clock, so two builds of
the same content stay byte-identical.
"""
from __future__ import annotations

import io
import time
from xml.sax.saxutils import escape

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from .tags import Annot, Content, Element, ROLE_MAP

TABLE_ATTRS = ("Scope", "RowSpan", "ColSpan", "Summary")


def _survey(el: Element, out: dict) -> tuple[bool, int | None]:
    """For each element (by id): whether it has content, and the page it starts on."""
    has, first = el.keep_empty or bool(el.alt), None
    for k in el.kids:
        if isinstance(k, Element):
            kid_has, kid_first = _survey(k, out)
        else:
            kid_has, kid_first = True, k.page
        has = has or kid_has
        first = kid_first if first is None else first
    out[id(el)] = (has, first)
    return has, first


def _xmp(title: str, language: str, author: str, subject: str, when: float) -> bytes:
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(when))
    t, lang = escape(title), escape(language)
    creator = f"<dc:creator><rdf:Seq><rdf:li>{escape(author)}</rdf:li></rdf:Seq></dc:creator>" if author else ""
    desc = f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{escape(subject)}</rdf:li></rdf:Alt></dc:description>' if subject else ""
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{t}</rdf:li></rdf:Alt></dc:title>
   <dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>
   {creator}{desc}
   <pdf:Producer>paperpipe (reportlab)</pdf:Producer>
   <xmp:CreatorTool>paperpipe</xmp:CreatorTool>
   <xmp:CreateDate>{stamp}</xmp:CreateDate>
   <xmp:ModifyDate>{stamp}</xmp:ModifyDate>
   <pdfuaid:part>1</pdfuaid:part>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>""".encode("utf-8")


def finish(data: bytes, root: Element, *, title: str, language: str, author: str, subject: str, epoch: float,
           first_numbered: int, cover_label: str) -> bytes:
    """The tagged PDF/UA-1 file made from reportlab's ``data``."""
    pdf = pikepdf.open(io.BytesIO(data))
    pages = [p.obj for p in pdf.pages]
    annots = [list(p.get("/Annots", ())) for p in pages]
    parent_of_mcid: dict[int, dict[int, pikepdf.Object]] = {}
    annot_parents: list[tuple[pikepdf.Object, pikepdf.Object]] = []  # (annotation, Link element)

    tree_root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))

    survey: dict = {}
    _survey(root, survey)

    def build(el: Element, parent) -> pikepdf.Object:
        fields = {"/Type": Name.StructElem, "/S": Name("/" + el.role), "/P": parent}
        if el.alt:
            fields["/Alt"] = String(el.alt)
        attrs = {k: v for k, v in el.attrs.items() if k in TABLE_ATTRS}
        if attrs:
            a = {"/O": Name.Table}
            for k, v in attrs.items():
                a["/" + k] = String(v) if k == "Summary" else Name("/" + v) if isinstance(v, str) else v
            fields["/A"] = Dictionary(a)
        content_pages = {k.page for k in el.kids if isinstance(k, (Content, Annot))}
        single = next(iter(content_pages)) if len(content_pages) == 1 else None
        first = single if single is not None else survey[id(el)][1]
        if first is not None:  # the page it starts on, also for groups (checkers look for it)
            fields["/Pg"] = pages[first]
        obj = pdf.make_indirect(Dictionary(fields))
        kids: list = []
        for k in el.kids:
            if isinstance(k, Element):
                if survey[id(k)][0]:
                    kids.append(build(k, obj))
            elif isinstance(k, Content):
                parent_of_mcid.setdefault(k.page, {})[k.mcid] = obj
                kids.append(k.mcid if single is not None else Dictionary(Type=Name.MCR, Pg=pages[k.page], MCID=k.mcid))
            elif isinstance(k, Annot):
                annot = annots[k.page][k.index]
                annot.Contents = String(k.description)
                annot.F = 4  # print: readers and print show the same
                kids.append(Dictionary(Type=Name.OBJR, Obj=annot, Pg=pages[k.page]))
                annot_parents.append((annot, obj))
        obj.K = kids[0] if len(kids) == 1 else Array(kids)
        return obj

    doc_el = build(root, tree_root)
    tree_root.K = Array([doc_el])
    tree_root.RoleMap = Dictionary({"/" + k: Name("/" + v) for k, v in ROLE_MAP.items()})

    nums = Array()
    for index, page in enumerate(pages):
        page.StructParents = index
        page.Tabs = Name.S
        owners = parent_of_mcid.get(index, {})
        nums.append(index)
        nums.append(pdf.make_indirect(Array([owners[i] for i in range(len(owners))])))
    key = len(pages)
    for annot, link in annot_parents:
        annot.StructParent = key
        nums.append(key)
        nums.append(link)
        key += 1
    tree_root.ParentTree = pdf.make_indirect(Dictionary(Nums=nums))
    tree_root.ParentTreeNextKey = key

    cat = pdf.Root
    cat.StructTreeRoot = tree_root
    cat.MarkInfo = Dictionary(Marked=True)
    cat.Lang = String(language)
    cat.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    labels = Array()
    if first_numbered > 1:
        labels.extend([0, Dictionary(P=String(cover_label))])
    labels.extend([first_numbered - 1, Dictionary(S=Name.D, St=1)])
    cat.PageLabels = Dictionary(Nums=labels)
    meta = pdf.make_stream(_xmp(title, language, author, subject, epoch))
    meta.Type = Name.Metadata
    meta.Subtype = Name.XML
    cat.Metadata = meta

    out = io.BytesIO()
    # object streams: the tree's ~700 small objects packed and compressed
    pdf.save(out, deterministic_id=True, min_version="1.7", compress_streams=True, fix_metadata_version=False,
             stream_decode_level=pikepdf.StreamDecodeLevel.none, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()
