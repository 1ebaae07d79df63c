"""A reviewer in LibreOffice: opens DOCX files, edits them with Track
Changes on and adds comments, through LibreOffice's own UNO bridge, and
saves them as DOCX, as a person would with LibreOffice Writer.

Run by Debian's /usr/bin/python3 (where python3-uno lives), never imported
by the tests' Python: ``/usr/bin/python3 review_uno.py JOBS.json``. It starts
one headless soffice with its own profile for all the jobs. JOBS.json is a
list of {"input", "output", "author", "edits": [...]}, or of {"input",
"output", "pdf": true}: the document laid out by LibreOffice as a PDF
(what ``soffice --convert-to pdf`` makes, without a soffice of its own);
an edit is one of
  {"op": "replace", "find": TEXT, "with": NEW, "nth": 0}
  {"op": "delete", "find": TEXT}
  {"op": "insert", "after": TEXT, "text": NEW}      (or "before": TEXT)
  {"op": "comment", "find": TEXT, "to": TEXT2, "text": NOTE}   ("to": the range runs to the end of TEXT2)
  {"op": "plain", ...}: any of the above with Track Changes off
Every search is for literal text (no regular expressions).
"""
import json
import os
import subprocess
import sys
import tempfile
import time

import shutil
import signal

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def connect(profile):
    pipe = "review%d" % os.getpid()
    proc = subprocess.Popen(["soffice", "-env:UserInstallation=file://" + profile, "--headless", "--invisible",
                             "--norestore", "--nologo", "--nodefault", "--accept=pipe,name=%s;urp;" % pipe],
                            start_new_session=True, stdout=subprocess.DEVNULL, stderr=(None if os.environ.get("REVIEW_UNO_DEBUG") else subprocess.DEVNULL))
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(240):
        try:
            ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            return proc, ctx
        except Exception:  # noqa: BLE001 - not listening yet
            if proc.poll() is not None:
                raise SystemExit("soffice stopped before it listened")
            time.sleep(0.25)
    proc.kill()
    raise SystemExit("soffice did not answer")


def set_author(ctx, author):
    """Track Changes and comments take the author from the user's name."""
    provider = ctx.ServiceManager.createInstanceWithContext("com.sun.star.configuration.ConfigurationProvider", ctx)
    access = provider.createInstanceWithArguments("com.sun.star.configuration.ConfigurationUpdateAccess",
                                                  (prop("nodepath", "/org.openoffice.UserProfile/Data"),))
    first, _, last = author.partition(" ")
    access.setPropertyValue("givenname", first)
    access.setPropertyValue("sn", last)
    access.commitChanges()


def paragraphs(text):
    """Every paragraph of a text in reading order, table cells included
    (a document loaded without a view has no working search)."""
    items = text.createEnumeration()
    while items.hasMoreElements():
        item = items.nextElement()
        if item.supportsService("com.sun.star.text.TextTable"):
            for name in table_cells(item):
                yield from paragraphs(item.getCellByName(name))
        elif item.supportsService("com.sun.star.text.Paragraph"):
            yield item


def table_cells(table):
    """Cell names row by row (A1, B1, A2 …): getCellNames() is in that order."""
    return list(table.getCellNames())


def find(texts, needle, nth=0):
    """A text cursor over the nth occurrence of ``needle`` within one
    paragraph (nth -1: the last one); ``texts``: every (paragraph, its
    string), read once per document (each read through the bridge is a
    round trip to soffice: walking the document again for every edit cost
    seconds of CPU each)."""
    found = []
    for para, string in texts:
        at = string.find(needle)
        while at >= 0:
            found.append((para, at))
            at = string.find(needle, at + 1)
    if not found or nth >= len(found):
        raise SystemExit("not found in the document: %r (occurrence %d)" % (needle, nth))
    para, at = found[nth]
    cursor = para.getText().createTextCursorByRange(position(para, at))
    cursor.gotoRange(position(para, at + len(needle)), True)
    if cursor.getString() != needle:
        raise SystemExit("could not select %r (found %r)" % (needle, cursor.getString()))
    return cursor


def position(para, index):
    """The place before character ``index`` of the paragraph's string (a
    field shows several characters but is one place: count by portions)."""
    done = 0
    portions = para.createEnumeration()
    while portions.hasMoreElements():
        portion = portions.nextElement()
        string = portion.getString()
        if done + len(string) > index or (done + len(string) == index and not portions.hasMoreElements()):
            if portion.TextPortionType == "Text":
                cursor = para.getText().createTextCursorByRange(portion.getStart())
                cursor.goRight(index - done, False)
                return cursor.getStart()
            return portion.getStart() if index == done else portion.getEnd()
        done += len(string)
    return para.getEnd()


def edit(doc, e, cursor, to=None):
    """One edit on the text ``cursor`` selects (found before any edit was made)."""
    op = e["op"]
    if op == "replace":
        cursor.setString(e["with"])
    elif op == "delete":
        cursor.setString("")
    elif op == "insert":
        where = cursor.getEnd() if "after" in e else cursor.getStart()
        where.getText().insertString(where, e["text"], False)
    elif op == "comment":
        text = cursor.getText()
        if to is not None:
            cursor.gotoRange(to.getEnd(), True)
        note = doc.createInstance("com.sun.star.text.textfield.Annotation")
        note.Author = e.get("author", "")
        note.Content = e["text"]
        text.insertTextContent(cursor, note, True)
    else:
        raise SystemExit("unknown edit %r" % op)


def main():
    jobs = json.load(open(sys.argv[1], encoding="utf-8"))
    profile = tempfile.mkdtemp(prefix="review-uno-")
    proc, ctx = connect(profile)
    try:
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        for job in jobs:
            if job.get("pdf"):
                doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(job["input"]), "_blank", 0, (prop("Hidden", True),))
                try:
                    doc.storeToURL(uno.systemPathToFileUrl(job["output"]), (prop("FilterName", "writer_pdf_Export"),))
                finally:
                    doc.close(True)
                continue
            set_author(ctx, job.get("author", "Rita Reviewer"))
            # the document without a view: this LibreOffice (without its dialogs' files)
            # cannot draw a comment's window, and a document with none needs none
            doc = ctx.ServiceManager.createInstanceWithContext("com.sun.star.text.TextDocument", ctx)
            doc.load((prop("URL", uno.systemPathToFileUrl(job["input"])), prop("FilterName", "MS Word 2007 XML")))
            try:
                # every place is found in the text as it came, before any edit (cursors follow the edits)
                texts = [(para, para.getString()) for para in paragraphs(doc.getText())]
                places = []
                for e in job["edits"]:
                    what = e.get("find") or e.get("after") or e.get("before")
                    to = find(texts, e["to"], e.get("to_nth", 0)) if "to" in e else None
                    places.append((find(texts, what, e.get("nth", 0)), to))
                for e, (cursor, to) in zip(job["edits"], places):
                    doc.RecordChanges = not e.get("plain", False)
                    if e["op"] == "comment" and "author" not in e:
                        e["author"] = job.get("author", "Rita Reviewer")
                    edit(doc, e, cursor, to)
                doc.storeToURL(uno.systemPathToFileUrl(job["output"]), (prop("FilterName", "MS Word 2007 XML"),))
            finally:
                doc.close(True)
    finally:
        try:
            desktop.terminate()
        except Exception:  # noqa: BLE001 - the bridge goes away as soffice stops
            pass
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
        try:  # soffice is a script that starts soffice.bin: end the whole group it made
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            pass
        proc.wait()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()
