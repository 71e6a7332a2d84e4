"""One editor session with a language server over TCP (JSON-RPC 2.0 with Content-Length
framing, the Language Server Protocol), made with python3-pylsp-jsonrpc's Endpoint and
stream reader/writer, the library pylsp itself speaks with. The server is Debian's pylsp
(`pylsp --tcp`). The editor opens a Python file of the standard library (its first
lines), asks what an editor asks while one reads and edits (hover, completion,
definition, symbols, highlights, references, folding), sometimes changes and saves the
text, then shuts the server's session down.

Usage: python3 lsp_client.py HOST PORT SEED MODE
  MODE glance  initialize, open, 1-3 requests, shutdown (a quick look at a file)
       edit    initialize, open, 5-40 requests and edits with 10-600 ms pauses, shutdown
"""
import glob
import random
import socket
import sys
import threading

from pylsp_jsonrpc.endpoint import Endpoint
from pylsp_jsonrpc.streams import JsonRpcStreamReader, JsonRpcStreamWriter

TIMEOUT = 30


def document(rng):
    files = sorted(glob.glob("/usr/lib/python3.*/[a-z]*.py"))
    with open(rng.choice(files), encoding="utf-8", errors="replace") as f:
        lines = f.read().splitlines()
    return "\n".join(lines[:rng.choice([40, 120, 300, 800])]) + "\n"


def position(rng, text):
    """A position on an identifier of the text, where a user would point."""
    lines = text.splitlines()
    for _ in range(50):
        n = rng.randrange(len(lines))
        cols = [i for i, ch in enumerate(lines[n]) if ch.isalpha()]
        if cols:
            return {"line": n, "character": rng.choice(cols)}
    return {"line": 0, "character": 0}


def main():
    host, port, seed, mode = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    rng = random.Random(seed)
    sock = socket.create_connection((host, port))
    rfile, wfile = sock.makefile("rb"), sock.makefile("wb")
    writer = JsonRpcStreamWriter(wfile)
    # the server's notifications (diagnostics, log messages) need no answer
    endpoint = Endpoint({}, writer.write, id_generator=iter(range(1, 1 << 30)).__next__)
    reader = threading.Thread(target=JsonRpcStreamReader(rfile).listen, args=(endpoint.consume,), daemon=True)
    reader.start()

    uri = "file:///srv/project/module%d.py" % rng.randint(1, 99)
    text = document(rng)
    endpoint.request("initialize", {
        "processId": rng.randint(1000, 60000), "rootUri": "file:///srv/project",
        "capabilities": {"textDocument": {"hover": {"contentFormat": ["markdown", "plaintext"]},
                                          "completion": {"completionItem": {"snippetSupport": rng.random() < 0.5}}}},
    }).result(TIMEOUT)
    endpoint.notify("initialized", {})
    endpoint.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1,
                                                              "text": text}})
    version = 1
    doc = {"textDocument": {"uri": uri}}
    asks = {
        "textDocument/hover": lambda: dict(doc, position=position(rng, text)),
        "textDocument/completion": lambda: dict(doc, position=position(rng, text)),
        "textDocument/definition": lambda: dict(doc, position=position(rng, text)),
        "textDocument/documentHighlight": lambda: dict(doc, position=position(rng, text)),
        "textDocument/references": lambda: dict(doc, position=position(rng, text), context={"includeDeclaration": True}),
        "textDocument/signatureHelp": lambda: dict(doc, position=position(rng, text)),
        "textDocument/documentSymbol": lambda: doc,
        "textDocument/foldingRange": lambda: doc,
    }
    for _ in range(rng.randint(1, 3) if mode == "glance" else rng.randint(5, 40)):
        if mode == "edit" and rng.random() < 0.2:
            lines = text.splitlines()
            at = rng.randrange(len(lines) + 1)
            lines.insert(at, "    value_%d = compute(%d)" % (rng.randint(1, 99), rng.randint(1, 999)))
            text, version = "\n".join(lines) + "\n", version + 1
            endpoint.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                       "contentChanges": [{"text": text}]})
            if rng.random() < 0.3:
                endpoint.notify("textDocument/didSave", doc)
        else:
            method = rng.choice(sorted(asks))
            endpoint.request(method, asks[method]()).result(TIMEOUT)
        if mode == "edit":
            threading.Event().wait(rng.uniform(0.01, 0.6))
    endpoint.notify("textDocument/didClose", doc)
    endpoint.request("shutdown").result(TIMEOUT)
    endpoint.notify("exit")
    sock.shutdown(socket.SHUT_WR)
    reader.join(5)
    sock.close()


if __name__ == "__main__":
    main()
