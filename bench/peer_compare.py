#!/usr/bin/python3
"""bench/peer_compare.py PEER.json CSPERF.json: the seven figures of bench/peer.sh, csperf's
against pandas_peer.py's, year by year. First line: whether they agree; then a Markdown table
of every figure (numerator/denominator, or the snapshot's count), the differing ones in bold.
Exit status 1 when any differs."""
import json
import sys

INDICATORS = ["CN02", "CP03", "CP05", "CP06", "FD05", "CP04", "CN03"]


def show(v):
    if v is None:
        return "none"
    if isinstance(v, list):
        return "%d/%d" % (v[0], v[1]) if v[1] else "-/0"
    return str(v)


def same(a, b):
    # csperf stores no value where nothing was counted (no denominator): the
    # peer's [0, 0] is the same figure.
    if isinstance(b, list) and b[1] == 0 and a is None:
        return True
    return a == b


def main():
    peer = json.load(open(sys.argv[1]))["figures"]
    ours = json.load(open(sys.argv[2]))
    years = sorted(peer)
    rows, differ, total = [], 0, 0
    for y in years:
        cells = []
        for ind in INDICATORS:
            p, c = peer[y].get(ind), ours.get(y, {}).get(ind)
            total += 1
            if same(c, p):
                cells.append(show(c if c is not None else p))
            else:
                differ += 1
                cells.append("**%s (peer %s)**" % (show(c), show(p)))
        rows.append("| %s | %s |" % (y, " | ".join(cells)))
    if differ == 0:
        print("all %d figures agree" % total)
    else:
        print("%d of %d figures differ" % (differ, total))
    print("")
    print("| year | %s |" % " | ".join(INDICATORS))
    print("|---|%s" % ("---:|" * len(INDICATORS)))
    print("\n".join(rows))
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
