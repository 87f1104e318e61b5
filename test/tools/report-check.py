#!/usr/bin/env python3
"""Checks the figures of a report page against the views (test/tools/report-test.sh).

  report-check.py municipality PAGE.html VIEWS.json   headline and contracts table
  report-check.py contract PAGE.html VIEWS.json       headline and the table per quarter
  report-check.py svg DOM.html N                       N charts drawn with a non-zero size

VIEWS.json holds the views' rows (json_agg), as the test's psql gives them.  The page is
parsed as XML (it is well-formed XHTML); every number shown is read back from its Dutch
text (EUR 1.234.567,89, 87,5 %) and must equal the view's value exactly.  Prints one line
per difference; the exit status is 1 when there is any."""
import json
import re
import sys
import xml.etree.ElementTree as ET
from decimal import Decimal, ROUND_HALF_UP

NS = '{http://www.w3.org/1999/xhtml}'
STATUS = {'achter': 'behind', 'risico': 'at_risk', 'op koers': 'on_track', 'voldaan': 'fulfilled',
          'geen verplichting': 'not_applicable'}
problems = []


def text(el):
    return ''.join(el.itertext()).strip() if el is not None else None


def amount(s):
    """'€ -1.234,50' -> Decimal('-1234.50'); '–' -> None."""
    if s is None or s in ('–', '-', ''):
        return None
    m = re.fullmatch(r'€ (-?)(\d{1,3}(?:\.\d{3})*),(\d{2})', s)
    if not m:
        problems.append(f'not an amount in the Dutch form: {s!r}')
        return None
    return Decimal(m.group(1) + m.group(2).replace('.', '') + '.' + m.group(3))


def pct(s):
    if s is None or s in ('–', '-', ''):
        return None
    m = re.fullmatch(r'(-?\d{1,3}(?:\.\d{3})*),(\d) %', s)
    if not m:
        problems.append(f'not a percentage in the Dutch form: {s!r}')
        return None
    return Decimal(m.group(1).replace('.', '') + '.' + m.group(2))


def dec(v):
    return None if v is None else Decimal(str(v))


def same(what, expected, got):
    if expected != got:
        problems.append(f'{what}: view {expected}, page {got}')


def by_class(el, cls):
    for e in el.iter():
        if cls in (e.get('class') or '').split():
            return e
    return None


def kpi(root, key):
    for e in root.iter(NS + 'div'):
        if e.get('id') == 'kpi-' + key:
            return text(by_class(e, 'v'))
    problems.append(f'no headline figure {key}')
    return None


def status_of(cell):
    word = re.sub(r'^\W+', '', text(cell) or '').split(' (')[0].split(':')[0].strip()
    return STATUS.get(word, word)


def opt_int(s):
    """a count on the page, or None for a dash (suppressed or nothing)"""
    s = s.strip()
    return None if s in ('\u2013', '') else int(s)


def opt_dec(v):
    return None if v is None else dec(v)


def number(s):
    """a Dutch number on the page (1.234,56), or None for a dash"""
    s = s.strip()
    return None if s in ('\u2013', '') else Decimal(s.replace('.', '').replace(',', '.'))


def check_steering(root, views):
    """the municipality page's sections of domain.md 6: the quarter's quantities
    (municipality_quarter), successes and settled contracts"""
    q = (views.get('quantities') or [{}])[0]
    for key, cls in (('persons', 'n-persons'), ('new_persons', 'n-new')):
        same(f'quantities {key}', q.get(key), opt_int(text(by_class(root, cls))))
    for key, cls in (('fte', 'n-fte'), ('hours', 'n-hours')):
        same(f'quantities {key}', opt_dec(q.get(key)), number(text(by_class(root, cls))))
    cells = [text(e) for e in root.iter(NS + 'td') if e.get('class') == 's-contract']
    same('successes', sorted(r['contract_id'] for r in views.get('successes') or []), sorted(cells))
    page = {}
    for tr in root.iter(NS + 'tr'):
        c = by_class(tr, 'st-contract')
        if c is not None:
            page[text(c)] = amount(text(by_class(tr, 'st-penalty')).split('(')[0].strip())
    same('settled contracts and their penalty due',
         sorted((r['contract_id'], dec(r['penalty_due'])) for r in views.get('settlements') or []), sorted(page.items()))


def check_municipality(root, rows):
    obliged = [r for r in rows if dec(r['obligation']) > 0]
    same('contracts with an obligation', len(obliged), int(kpi(root, 'contracts')))
    total = {k: sum((dec(r[k]) for r in rows), Decimal('0.00')) for k in ('obligation', 'realised', 'pending', 'expected_to_date')}
    same('total obligation', total['obligation'], amount(kpi(root, 'obligation')))
    same('realised to date', total['realised'], amount(kpi(root, 'realised')))
    same('pending approval', total['pending'], amount(kpi(root, 'pending')))
    same('expected to date', total['expected_to_date'], amount(kpi(root, 'expected')))
    if total['obligation'] > 0:
        same('realised % of the obligation',
             (100 * total['realised'] / total['obligation']).quantize(Decimal('0.1'), ROUND_HALF_UP), pct(kpi(root, 'pct')))
    counts = {}
    for li in root.iter(NS + 'li'):
        if li.get('data-status'):
            counts[li.get('data-status')] = int(text(li.find(NS + 'b')))
            same(f'status word of {li.get("data-status")}', li.get('data-status'), status_of(li))
    for s in STATUS.values():
        same(f'contracts {s}', sum(1 for r in rows if r['status'] == s), counts.get(s))
    page_rows = {tr.get('data-contract'): tr for tr in root.iter(NS + 'tr') if tr.get('data-contract')}
    same('contracts in the table', sorted(r['contract_id'] for r in rows), sorted(page_rows))
    for r in rows:
        tr = page_rows.get(r['contract_id'])
        if tr is None:
            continue
        c = r['contract_id']
        same(f'{c} status', r['status'], status_of(by_class(tr, 'c-status')))
        same(f'{c} supplier', r['supplier'], text(by_class(tr, 'c-supplier')))
        for key, cls in (('obligation', 'c-obligation'), ('realised', 'c-realised'), ('gap', 'c-gap'),
                         ('projected_at_end', 'c-projection'), ('penalty_exposure', 'c-penalty')):
            same(f'{c} {key}', dec(r[key]), amount(text(by_class(tr, cls))))
        same(f'{c} pct_realised', dec(r['pct_realised']), pct(text(by_class(tr, 'c-pct'))))


def check_contract(root, views):
    r = views['compliance'][0]
    for key, k in (('obligation', 'obligation'), ('realised', 'realised'), ('pending', 'pending'),
                   ('expected_to_date', 'expected'), ('gap', 'gap'), ('projected_at_end', 'projection'),
                   ('penalty_exposure', 'penalty')):
        same(key, dec(r[key]), amount(kpi(root, k)))
    same('pct_realised', dec(r['pct_realised']), pct(kpi(root, 'pct')))
    li = [e for e in root.iter(NS + 'li') if e.get('data-status')]
    same('status', r['status'], li[0].get('data-status') if li else None)
    same('status word', r['status'], status_of(li[0]) if li else None)
    page_rows = {tr.get('data-quarter'): tr for tr in root.iter(NS + 'tr') if tr.get('data-quarter')}
    same('quarters in the table', [p['quarter'] for p in views['progress']], sorted(page_rows))
    for p in views['progress']:
        tr = page_rows.get(p['quarter'])
        if tr is None:
            continue
        for key in ('planned', 'realised', 'deviation', 'realised_cum', 'expected_cum', 'deviation_cum'):
            same(f'{p["quarter"]} {key}', dec(p[key]), amount(text(by_class(tr, 'q-' + key.replace('_', '-')))))
    # the placements per quarter (domain.md 6.4)
    page_rows = {tr.get('data-quantities'): tr for tr in root.iter(NS + 'tr') if tr.get('data-quantities')}
    same('quarters in the placements table', [p['quarter'] for p in views['progress']], sorted(page_rows))
    for p in views['progress']:
        tr = page_rows.get(p['quarter'])
        if tr is None:
            continue
        for key, cls in (('planned_persons', 'p-planned'), ('persons', 'p-persons'), ('deviation_persons', 'p-deviation'),
                         ('new_persons', 'p-new')):
            same(f'{p["quarter"]} {key}', p.get(key), opt_int(text(by_class(tr, cls))))
        for key, cls in (('fte', 'p-fte'), ('hours', 'p-hours')):
            same(f'{p["quarter"]} {key}', opt_dec(p.get(key)), number(text(by_class(tr, cls))))
    # the settlement (domain.md 6.5), when there is one
    st = views.get('settlement') or []
    shown = [e for e in root.iter(NS + 'span') if e.get('class') == 'st-penalty']
    same('settlement shown', len(st), len(shown))
    if st and shown:
        same('penalty due', dec(st[0]['penalty_due']), amount(text(shown[0])))


def check_svg(dom, n):
    sizes = re.findall(r'<svg[^>]*data-drawn="([\d.]+)x([\d.]+)/([\d.]+)x([\d.]+)"', dom)
    same('charts measured', n, len(sizes))
    for i, (w, h, bw, bh) in enumerate(sizes, 1):
        if not (float(w) > 0 and float(h) > 0 and float(bw) > 0 and float(bh) > 0):
            problems.append(f'chart {i} drawn {w} x {h}, its content {bw} x {bh}')


def main():
    mode, page = sys.argv[1], sys.argv[2]
    if mode == 'svg':
        check_svg(open(page, encoding='utf-8').read(), int(sys.argv[3]))
    else:
        root = ET.parse(page).getroot()
        views = json.load(open(sys.argv[3], encoding='utf-8'), parse_float=Decimal)
        if mode == 'municipality':
            check_municipality(root, views['compliance'])
            check_steering(root, views)
        else:
            check_contract(root, views)
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
