#!/usr/bin/env python3
"""Writes the schema sources tst_rebuild imports, derived from the Quote-to-Cash template.

Each system's entities come in a different format, as they would from the real systems:
  crm.openapi.yaml      OpenAPI 3 (YAML)   Account, Contact, Opportunity, Quote
  erp.schema.json       JSON Schema bundle ERP Customer, SalesOrder, Invoice, Payment, ...
  billing.openapi.json  OpenAPI 3 (JSON)   the billing platform's entities
  support-entitlement.schema.json  JSON Schema (one root schema, with a title)
  organization.json     a sample record    (types inferred; the test fixes the rest)
  ticket.csv            a CSV export       (header and one row)
Canonical links are not part of any source format: the studio links fields itself.
Run from anywhere: python3 tests/app/data/q2c/make_fixtures.py
"""
import csv
import io
import json
import os

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
TEMPLATE = os.path.join(HERE, '..', '..', '..', '..', 'templates', 'quote-to-cash',
                        'quote-to-cash.switchboard')

PRIMITIVE = {
    'string': {'type': 'string'},
    'integer': {'type': 'integer'},
    'number': {'type': 'number'},
    'decimal': {'type': 'number', 'format': 'decimal'},
    'boolean': {'type': 'boolean'},
    'date': {'type': 'string', 'format': 'date'},
    'datetime': {'type': 'string', 'format': 'date-time'},
    'enum': {'type': 'string'},
}


def field_schema(f):
    t = f['type']
    if t == 'object':
        s = object_schema(f['fields'])
    elif t == 'array':
        item = f.get('items', 'string')
        s = {'type': 'array',
             'items': object_schema(f['fields']) if item == 'object' else dict(PRIMITIVE[item])}
    else:
        s = dict(PRIMITIVE[t])
    if 'format' in f:
        s['format'] = f['format']
    if 'maxLength' in f:
        s['maxLength'] = f['maxLength']
    if 'enum' in f:
        s['enum'] = list(f['enum'])
    if 'description' in f:
        s['description'] = f['description']
    return s


def object_schema(fields, entity=None):
    s = {'type': 'object'}
    if entity and entity.get('description'):
        s['description'] = entity['description']
    required = [f['name'] for f in fields if f.get('required')]
    if required:
        s['required'] = required
    s['properties'] = {f['name']: field_schema(f) for f in fields}
    return s


def sample_value(f):
    t = f['type']
    return {
        'string': 'billing@example.com' if f.get('format') == 'email' else 'x-' + f['name'], 'integer': 7, 'number': 1.5, 'decimal': 12.5,
        'boolean': True, 'date': '2024-05-01', 'datetime': '2024-05-01T10:00:00Z',
        'enum': (f.get('enum') or ['a'])[0],
    }.get(t, None) if t not in ('object', 'array') else (
        {c['name']: sample_value(c) for c in f['fields']} if t == 'object' else [])


def write(name, text):
    with open(os.path.join(HERE, name), 'w', encoding='utf-8', newline='\n') as out:
        out.write(text)


def main():
    project = json.load(open(TEMPLATE, encoding='utf-8'))
    systems = {s['id']: s for s in project['systems']}

    def openapi(system):
        return {
            'openapi': '3.0.3',
            'info': {'title': system['name'] + ' API', 'version': '1.0'},
            'paths': {},
            'components': {'schemas': {e['name']: object_schema(e['fields'], e)
                                       for e in system['entities']}},
        }

    write('crm.openapi.yaml', yaml.safe_dump(openapi(systems['crm']), sort_keys=False,
                                             allow_unicode=True, width=90))
    write('billing.openapi.json', json.dumps(openapi(systems['billing']), indent=2) + '\n')
    erp = {'$schema': 'https://json-schema.org/draft/2020-12/schema',
           '$defs': {e['name']: object_schema(e['fields'], e)
                     for e in systems['erp']['entities']}}
    write('erp.schema.json', json.dumps(erp, indent=2) + '\n')

    support = {e['name']: e for e in systems['support']['entities']}
    ent = object_schema(support['Entitlement']['fields'], support['Entitlement'])
    ent = {'$schema': 'http://json-schema.org/draft-07/schema#', 'title': 'Entitlement', **ent}
    write('support-entitlement.schema.json', json.dumps(ent, indent=2) + '\n')
    org = {f['name']: sample_value(f) for f in support['Organization']['fields']}
    write('organization.json', json.dumps(org, indent=2) + '\n')
    ticket = support['Ticket']['fields']
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator='\n')
    w.writerow([f['name'] for f in ticket])
    w.writerow([sample_value(f) for f in ticket])
    write('ticket.csv', buf.getvalue())


if __name__ == '__main__':
    main()
