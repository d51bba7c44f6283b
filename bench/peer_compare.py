#!/usr/bin/python3
"""bench/peer_compare.py PEER.json CSPERF.json [CP05_RECORDS.json]: the seven figures of
bench/peer.sh, csperf's against pandas_peer.py's, year by year. First line: whether they agree;
then a Markdown table of every figure (numerator/denominator, or the snapshot's count), the
differing ones in bold.

CP05 differs by rule, legitimately: csperf counts a plan as a second or subsequent one when the
child had an earlier plan in the council's records OR the plan records previous plans
(NumberOfPreviousCPP above 0, which counts plans in other councils too: the DfE's measure);
the peer looks at the plans in the file only. CP05_RECORDS.json holds csperf's stored plans
counted by the peer's rule: where it equals the peer's figure, the difference is that rule's
and is listed as explained, not as a disagreement.
Exit status 1 when any figure differs unexplained."""
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
    by_records = json.load(open(sys.argv[3])) if len(sys.argv) > 3 else {}
    years = sorted(peer)
    rows, differ, explained, total = [], 0, 0, 0
    for y in years:
        cells = []
        for ind in INDICATORS:
            p, c = peer[y].get(ind), ours.get(y, {}).get(ind)
            total += 1
            if same(c, p):
                cells.append(show(c if c is not None else p))
            elif ind == "CP05" and by_records.get(y) == p:
                explained += 1
                cells.append("%s (peer %s: NumberOfPreviousCPP)" % (show(c), show(p)))
            else:
                differ += 1
                cells.append("**%s (peer %s)**" % (show(c), show(p)))
        rows.append("| %s | %s |" % (y, " | ".join(cells)))
    if differ == 0 and explained == 0:
        print("all %d figures agree" % total)
    elif differ == 0:
        print("%d of %d figures agree; %d CP05 figures differ by the documented rule "
              "(NumberOfPreviousCPP), and agree counted by the peer's" % (total - explained, total,
                                                                           explained))
    else:
        print("%d of %d figures differ unexplained (%d CP05 by the documented rule)"
              % (differ, total, explained))
    print("")
    print("| year | %s |" % " | ".join(INDICATORS))
    print("|---|%s" % ("---:|" * len(INDICATORS)))
    print("\n".join(rows))
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
