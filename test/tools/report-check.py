#!/usr/bin/env python3
"""Checks the figures of a report page against the views (test/tools/report-test.sh).

  report-check.py municipality PAGE.html VIEWS.json   headline, contracts table, target groups,
                                                      the bars' order, status colours with words
  report-check.py contract PAGE.html VIEWS.json       headline and the table per quarter
  report-check.py groups PAGE.html VIEWS.json         the target-group table only (a reader's page)
  report-check.py english PAGE.html DATA.json         an English page: no Dutch label word left
                                                      (DATA.json: the data's texts, taken out first)
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
SVG = '{http://www.w3.org/2000/svg}'
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


# The benefits of target_group_outcomes as the Dutch page names them (the view's codes).
BENEFIT = {'geen uitkering': 'none', 'Participatiewet': 'participatiewet', 'WW': 'ww', 'WIA': 'wia',
           'WAO': 'wao', 'Wajong': 'wajong'}
CENT = Decimal('0.01')


def check_groups(root, rows):
    """section 5: one row per cell of target_group_outcomes (the municipality, the
    quarter, as the caller reads the view), in the view's order (benefit); a cell the view
    suppresses shows the word and no number at all; the others the view's persons, its fte
    (4 decimals) rounded half up to 2, and its realised; the total row sums the cells shown."""
    table = next((t for t in root.iter(NS + 'table') if t.get('id') == 'groups-table'), None)
    if not rows:
        same('target-group table without cells in the view', None, table)
        return
    if table is None:
        problems.append('no target-group table, the view has cells')
        return
    trs = list(table.find(NS + 'tbody'))
    total = trs[-1] if trs and trs[-1].get('class') == 'total' else None
    if total is None:
        problems.append('target groups: no total row')
    else:
        trs = trs[:-1]
    same('target groups, in the view\'s order', [r['benefit'] for r in rows],
         [BENEFIT.get(text(tr[0]), text(tr[0])) for tr in trs])
    for r, tr in zip(rows, trs):
        b = r['benefit']
        same(f'group {b} suppressed (class)', r['suppressed'], tr.get('class') == 'suppressed')
        cells = [text(td) for td in tr[1:]]
        if r['suppressed']:
            same(f'group {b}: the view hides its numbers', (None, None, None), (r['persons'], r['fte'], r['realised']))
            same(f'group {b} shown as suppressed', ['onderdrukt (kleine aantallen)'], cells)
            if any(re.search(r'\d', c or '') for c in cells):
                problems.append(f'group {b}: a number where the view suppresses the cell: {cells}')
            continue
        same(f'group {b} persons', r['persons'], opt_int(text(by_class(tr, 'g-persons'))))
        same(f'group {b} fte', dec(r['fte']).quantize(CENT, ROUND_HALF_UP), number(text(by_class(tr, 'g-fte'))))
        same(f'group {b} realised', dec(r['realised']), amount(text(by_class(tr, 'g-realised'))))
    if total is not None:
        shown = [r for r in rows if not r['suppressed']]
        same('target groups total persons', sum(r['persons'] for r in shown), opt_int(text(total[1])))
        same('target groups total fte', sum((dec(r['fte']) for r in shown), Decimal(0)).quantize(CENT, ROUND_HALF_UP),
             number(text(total[2])))
        same('target groups total realised', sum((dec(r['realised']) for r in shown), Decimal('0.00')), amount(text(total[3])))


def status_colours(root):
    """status -> colour as the page's style sheet gives it (.st-behind { color: #c0392b; })"""
    css = ''.join(text(e) for e in root.iter(NS + 'style'))
    colours = {}
    for sel, colour in re.findall(r'((?:\.st-\w+\s*,?\s*)+)\{\s*color:\s*(#[0-9a-fA-F]+)\s*;', css):
        for s in re.findall(r'\.st-(\w+)', sel):
            colours[s] = colour.lower()
    return colours


def check_status_words(root):
    """never colour alone: every element coloured as a status (class st-<status>) says the
    status's word, and the style sheet gives each status a colour"""
    colours = status_colours(root)
    codes = set(STATUS.values())
    for s in codes:
        if s not in colours:
            problems.append(f'no colour for status {s} in the style sheet')
    seen = 0
    for e in root.iter():
        for cls in (e.get('class') or '').split():
            s = cls[3:] if cls.startswith('st-') else None
            if s in codes or s == 'none':
                seen += 1
                same(f'the word beside the colour of status {s}', s, status_of(e))
    if not seen:
        problems.append('no status shown on the page')


# The bars' order as report_html defines it (src/sql/11_report_html.sql, section 2):
# array_position(['behind', 'at_risk', 'on_track', 'fulfilled'], status) * 100000 +
# coalesce(pct_realised, 0), ascending: the status first (any other status, a NULL
# position, last), then the lower percentage first.  The same order as a pair.
BAR_RANK = {'behind': 0, 'at_risk': 1, 'on_track': 2, 'fulfilled': 3}


def bar_key(r):
    # ties (same status and %) in contract number order; Python compares str by code
    # point, as the page's ORDER BY contract_id does in the test cluster's C.UTF-8 collation
    return (BAR_RANK.get(r['status'], 4), dec(r['pct_realised']) if r['pct_realised'] is not None else Decimal(0),
            r['contract_id'])


def check_bars(root, rows):
    """the bar chart: a bar for each contract with an obligation (contract_compliance),
    worst first (BAR_RANK, then pct_realised, then contract number); each bar drawn min(realised / obligation, 1)
    x 400 wide (rounded to 0.1 as the page rounds), in the colour of its status as the style
    sheet has it, with the view's percentage and the status's word beside it"""
    svg = next((e for e in root.iter(SVG + 'svg') if 'chart-bars' in (e.get('class') or '').split()), None)
    obliged = {r['contract_id']: r for r in rows if dec(r['obligation']) > 0}
    if svg is None:
        same('bar chart drawn', bool(obliged), False)
        return
    bars = []
    for e in svg:
        tag = e.tag.split('}')[-1]
        if tag == 'text' and e.get('text-anchor') == 'end':
            bars.append({'label': text(e), 'rects': [], 'texts': []})
        elif bars and tag in ('rect', 'text'):
            bars[-1][tag + 's'].append(e)
    labels = [b['label'] for b in bars]
    same('bars: one per contract with an obligation', sorted(obliged), sorted(labels))
    keys = [bar_key(obliged[c]) for c in labels if c in obliged]
    if keys != sorted(keys):
        problems.append('bars not worst first: ' + ', '.join(f'{c} {obliged[c]["status"]} {obliged[c]["pct_realised"]}'
                                                             for c in labels if c in obliged))
    colours = status_colours(root)
    for b in bars:
        r = obliged.get(b['label'])
        if r is None or len(b['rects']) < 2 or not b['texts']:
            problems.append(f'bar {b["label"]}: not drawn as a bar with a word')
            continue
        c, fill, words = b['label'], b['rects'][1], b['texts'][0]
        share = min(dec(r['realised']) / dec(r['obligation']), Decimal(1))
        same(f'bar {c} width', (share * 400).quantize(Decimal('0.1'), ROUND_HALF_UP), Decimal(fill.get('width')))
        same(f'bar {c} colour', colours.get(r['status']), fill.get('fill').lower())
        same(f'bar {c}: its word in the colour of the bar', fill.get('fill'), words.get('fill'))
        m = re.fullmatch(r'(.*%) \W (.+)', text(words))
        same(f'bar {c} percentage', dec(r['pct_realised']), pct(m.group(1)) if m else text(words))
        same(f'bar {c} status word', r['status'], STATUS.get(m.group(2)) if m else text(words))


# Dutch words of the pages' labels (the nl side of report_word, report_th and report_kpi
# in src/sql/11_report_html.sql, and the headers written there as plain markup), none an
# English word: an English page must show none of them outside the data's own texts.
DUTCH = '''Aandeel Actieplan Afgerekend Afgerekende Afwijking Alleen Besloten Boete Boeterisico
Bouwblok Categorie Cellen Cijfers Contracten Cumulatief Doel Doelgroep Eindafrekening Geen
Gemaakt Gemiddeld Gepland Gerealiseerd Ingediende Invulling Kerncijfers Kwartaal
Kwartaalrapportage Maand Maandrapportages Niets Nieuw Nog Opdrachtnemer Openstaande Personen
Plaatsingen Prognose Rapportage Rapportages Reden Stand Startgesprek Successen Tekort Totaal
Totale Uiterlijk Uren Vanaf Verplichting Verwacht Versie Versies Voldaan Voorgesteld Voortgang
Voortgangsgesprek Waarde Waarom Wacht Wie achter actieplan actiepunt activiteiten afgewezen
afwijking bonussen cumulatief dagen gedaan geen gelijk gemeente gepland gerealiseerd geteld
goedkeuring ingediend intensiveren kwartaal kwartaalrapportage kwijtgescholden laatste
leidraad looptijd onderdrukt ontbreekt opgesteld personen risico koers uitkering uren
verbetert verplichting verschuldigd versie versies verslechtert vervallen vervangen verwacht
voldaan voorgesteld zichtbaar'''.split()


def check_english(root, data):
    """an English page: lang="en", quarters as 2026-Q3 (not 2026-K3), and none of the
    Dutch label words in its text (aria-labels too), after the data's texts are taken out"""
    same('lang', 'en', root.get('lang'))
    parts = []
    for e in root.iter():
        if e.tag.split('}')[-1] == 'style':
            parts.append(e.tail or '')
            continue
        parts += [e.get('aria-label') or '', e.text or '', e.tail or '']
    page = '\n'.join(parts)
    for d in sorted({d for d in data if d}, key=len, reverse=True):
        page = page.replace(d, ' ')
    for w in DUTCH:
        for m in re.finditer(r'(?<![\w-])' + re.escape(w) + r'(?![\w-])', page):
            problems.append(f'Dutch word {w!r} on an English page: ...{page[max(0, m.start() - 40):m.end() + 40]!r}...'.replace('\\n', ' '))
    for m in re.finditer(r'\b\d{4}-K[1-4]\b', page):
        problems.append(f'a Dutch quarter on an English page: {m.group(0)}')


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
            check_groups(root, views['groups'] or [])
            check_bars(root, views['compliance'])
            check_status_words(root)
        elif mode == 'groups':
            check_groups(root, views['groups'] or [])
        elif mode == 'english':
            check_english(root, views)
        else:
            check_contract(root, views)
            check_status_words(root)
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
