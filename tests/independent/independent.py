#!/usr/bin/env python3
"""independent.py: AD01 (A1), CP06 and LA01 counted straight from the
statutory extracts, by the rules of ../shared/domain/INDICATORS.md
("Counting rules"), with nothing of csperf's: no database, no engine, no
reader. Python 3 standard library only.

It reads SSDA903 returns (folders of CSV tables, dates dd/mm/YYYY) and CIN
census files (XML) in the order they are loaded, merges them as the rules
say (a later return's version of an episode, same CHILD and DECOM, replaces
the earlier one; the same for a CP plan, same LAchildID and CPPstartDate),
and prints, for each period asked for, one line per figure:

    AD01 2019-20 <days> <children>
    CP06 2019-20 <plans ended that lasted 2 years or more> <plans ended>
    LA01 2019-20 <children looked after on the last day>

Rows that csperf refused when loading (a record that fails validation is
not stored) can be left out with --rejected FILE: FILE holds csperf load's
output, each load's after a line "# ssda903 N" or "# cin N" (the Nth
--ssda903 or --cin), and each "NAME line N:" or row "NAME  N  ..." of its
table of rejections names a row of file NAME that is not counted. Two rows of one return with the same key are a fault of
the return; the first is kept (csperf keeps the first and refuses the
second).

The rules, as INDICATORS.md words them:
  * Periods of care: a child's episodes, leaving out short breaks (LS V3,
    V4), chained while each episode starts on the day the one before it
    ended (DECOM = previous DEC); a gap starts a new period of care.
  * A1: children adopted in the period (an episode ending in the period with
    REC E11 or E12); for each, the days from the start of that episode's
    period of care (the DECOM of its first episode) to the DECOM of the
    first episode of the same period of care placed for adoption (PLACE A3
    to A6). Numerator the sum of the days, denominator the children
    counted; a child with no such placement in that period of care is left
    out of both.
  * CP06: plans ending in the period whose end date is on or after the
    second anniversary of their start (29 February's is 28 February).
  * LA01: children with an episode open on the period's last day (started on
    or before it, and not ended, or ended after it), short breaks (V3, V4)
    left out, each child once.
  * Periods: 2019-20 (1 April 2019 to 31 March 2020), 2019-20:Q1 to Q4,
    2019-06 (a month), 3y:2020-21 (1 April 2018 to 31 March 2021, the three
    years' events counted together). Event dates count in a period with
    its first and last days included.
"""
import argparse
import csv
import datetime
import os
import re
import sys
import xml.etree.ElementTree as ET

SHORT_BREAKS = {"V3", "V4"}
ADOPTED = {"E11", "E12"}
PLACED_FOR_ADOPTION = {"A3", "A4", "A5", "A6"}


def parse_dmy(text):
    text = (text or "").strip()
    if text == "":
        return None
    return datetime.datetime.strptime(text, "%d/%m/%Y").date()


def parse_ymd(text):
    text = (text or "").strip()
    if text == "":
        return None
    return datetime.date.fromisoformat(text[:10])


def period_bounds(period):
    """First and last day of a period as csperf writes it (docs/indicators.md,
    "Periods"): 2019-20, fy:2010-11, 2019-20:Q1, 2019-06, 3y:2020-21."""
    m = re.fullmatch(r"3y:(\d{4})-(\d{2})", period)
    if m:
        end_year = int(m.group(1)) + 1
        return datetime.date(end_year - 3, 4, 1), datetime.date(end_year, 3, 31)
    m = re.fullmatch(r"(fy:)?(\d{4})-(\d{2})(?::Q([1-4]))?", period)
    if m is None:
        raise ValueError("not a period: " + period)
    year, second = int(m.group(2)), int(m.group(3))
    if m.group(1) is None and m.group(4) is None and 1 <= second <= 12:
        first = datetime.date(year, second, 1)          # a month
        return first, month_last_day(first)
    if second != (year + 1) % 100:
        raise ValueError("not a period: " + period)
    if m.group(4) is None:
        return datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31)
    first = add_months(datetime.date(year, 4, 1), 3 * (int(m.group(4)) - 1))
    return first, month_last_day(add_months(first, 2))


def add_months(day, months):
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_last_day(day):
    return add_months(day, 1) - datetime.timedelta(days=1)


def anniversary(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def read_rejected(path):
    """{(kind, index, file name, line)} from csperf load's messages."""
    rejected = set()
    if path is None:
        return rejected
    kind, index = None, 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^#\s*(ssda903|cin)\s+(\d+)\s*$", line)
            if m:
                kind, index = m.group(1), int(m.group(2))
                continue
            # "episodes.csv line 42: ..." or a row of csperf load's table of
            # rejections: "episodes.csv   42  la_episode  DEC ...".
            m = re.search(r"([A-Za-z0-9_.\-]+\.(?:csv|xml)) line (\d+):", line) or \
                re.match(r"^\s*([A-Za-z0-9_.\-]+\.(?:csv|xml))\s+(\d+)\s", line)
            if m and kind is not None:
                rejected.add((kind, index, m.group(1), int(m.group(2))))
    return rejected


def find_table(folder, stem):
    for name in os.listdir(folder):
        if name.lower() == stem + ".csv":
            return os.path.join(folder, name)
    return None


def csv_rows(path):
    """(line, row) for each data row, the line being where the row starts."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f)
        header = None
        start = 1
        for row in reader:
            line = start
            start = reader.line_num + 1
            if header is None:
                header = [h.strip().upper() for h in row]
                continue
            if all(v.strip() == "" for v in row):
                continue
            yield line, {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header)}


def merge_episodes(folders, rejected, warn):
    episodes = {}
    for index, folder in enumerate(folders, 1):
        path = find_table(folder, "episodes")
        if path is None:
            continue
        seen = set()
        for line, row in csv_rows(path):
            if ("ssda903", index, os.path.basename(path), line) in rejected:
                continue
            key = (row["CHILD"], parse_dmy(row["DECOM"]))
            if key in seen:
                warn("%s line %d: a second episode of %s from %s (the first kept)" %
                     (path, line, key[0], key[1]))
                continue
            seen.add(key)
            episodes[key] = {
                "child": row["CHILD"], "start": key[1], "ls": row.get("LS", ""),
                "place": row.get("PLACE", ""), "end": parse_dmy(row.get("DEC", "")),
                "rec": row.get("REC", ""),
            }
    return list(episodes.values())


def local(tag):
    return tag.rsplit("}", 1)[-1]


def child_text(element, name):
    for c in element:
        if local(c.tag) == name:
            return (c.text or "").strip()
    return ""


def merge_cp_plans(files, rejected, warn):
    """CP plans of the CIN census files, merged. A rejected line drops the
    plan whose CPPstartDate element is on that line or whose
    ChildProtectionPlans element starts on it."""
    plans = {}
    for index, path in enumerate(files, 1):
        name = os.path.basename(path)
        bad_lines = {r[3] for r in rejected if r[0] == "cin" and r[1] == index and r[2] == name}
        seen = set()
        # ElementTree keeps no line numbers; read them from the text.
        lines = plan_lines(path) if bad_lines else {}
        for _, element in ET.iterparse(path, events=("end",)):
            if local(element.tag) != "Child":
                continue
            child = ""
            for c in element.iter():
                if local(c.tag) == "LAchildID":
                    child = (c.text or "").strip()
                    break
            for plan in element.iter():
                if local(plan.tag) != "ChildProtectionPlans":
                    continue
                start = parse_ymd(child_text(plan, "CPPstartDate"))
                end = parse_ymd(child_text(plan, "CPPendDate"))
                if start is None:
                    continue
                if lines.get((child, start), set()) & bad_lines:
                    continue
                key = (child, start)
                if key in seen:
                    warn("%s: a second CP plan of %s from %s (the first kept)" % (path, child, start))
                    continue
                seen.add(key)
                plans[key] = {"child": child, "start": start, "end": end}
            element.clear()
    return list(plans.values())


def plan_lines(path):
    """{(child, start): {lines}}: the lines of each plan's elements."""
    found = {}
    child, plan_line = None, None
    with open(path, encoding="utf-8") as f:
        for number, text in enumerate(f, 1):
            m = re.search(r"<LAchildID>\s*([^<]*?)\s*</LAchildID>", text)
            if m:
                child = m.group(1)
            if "<ChildProtectionPlans" in text:
                plan_line = number
            m = re.search(r"<CPPstartDate>\s*([^<]*?)\s*</CPPstartDate>", text)
            if m and child is not None:
                try:
                    start = parse_ymd(m.group(1))
                except ValueError:
                    continue
                found.setdefault((child, start), set()).update({number, plan_line})
    return found


def periods_of_care(episodes):
    """Each episode that is not a short break, with its period of care:
    {id(episode): (care_no, child)} and the periods as lists."""
    by_child = {}
    for e in episodes:
        if e["ls"] in SHORT_BREAKS:
            continue
        by_child.setdefault(e["child"], []).append(e)
    periods = []
    for child, eps in by_child.items():
        eps.sort(key=lambda e: e["start"])
        current = None
        previous_end = None
        for e in eps:
            if current is None or previous_end is None or e["start"] != previous_end:
                current = []
                periods.append(current)
            current.append(e)
            previous_end = e["end"]
    return periods


def ad01(periods, first, last):
    days, children = 0, 0
    for period in periods:
        care_start = period[0]["start"]
        placed = next((e["start"] for e in period if e["place"] in PLACED_FOR_ADOPTION), None)
        for e in period:
            if e["rec"] in ADOPTED and e["end"] is not None and first <= e["end"] <= last:
                if placed is None:
                    continue
                days += (placed - care_start).days
                children += 1
    return days, children


def cp06(plans, first, last):
    ended = [p for p in plans if p["end"] is not None and first <= p["end"] <= last]
    long = [p for p in ended if p["end"] >= anniversary(p["start"], 2)]
    return len(long), len(ended)


def la01(episodes, day):
    return len({e["child"] for e in episodes
                if e["ls"] not in SHORT_BREAKS and e["start"] <= day and
                (e["end"] is None or e["end"] > day)})


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ssda903", action="append", default=[],
                        help="an SSDA903 return's folder, in load order (repeat)")
    parser.add_argument("--cin", action="append", default=[],
                        help="a CIN census file, in load order (repeat)")
    parser.add_argument("--rejected", help="csperf load's messages: rows it refused")
    parser.add_argument("--period", action="append", default=[], required=True)
    parser.add_argument("--quiet", action="store_true", help="no warnings on stderr")
    args = parser.parse_args(argv)

    def warn(text):
        if not args.quiet:
            print("independent.py: " + text, file=sys.stderr)

    rejected = read_rejected(args.rejected)
    episodes = merge_episodes(args.ssda903, rejected, warn)
    plans = merge_cp_plans(args.cin, rejected, warn)
    periods = periods_of_care(episodes)
    for period in args.period:
        first, last = period_bounds(period)
        if args.ssda903:
            print("AD01 %s %d %d" % ((period,) + ad01(periods, first, last)))
            if not period.startswith("3y:"):
                print("LA01 %s %d" % (period, la01(episodes, last)))
        if args.cin and not period.startswith("3y:"):
            print("CP06 %s %d %d" % ((period,) + cp06(plans, first, last)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
