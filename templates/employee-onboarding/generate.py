#!/usr/bin/env python3
"""Generates the bundled Employee Onboarding example: the project file and its data set.

    python3 templates/employee-onboarding/generate.py

Standard library only and deterministic. The project was written against docs/format.md
alone; this script only keeps the JSON and the data set in step (the data set's scripted
contract events must follow the hires they belong to).
"""

import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
PROJECT_FILE = os.path.join(HERE, "employee-onboarding.switchboard")
DATA_FILE = os.path.join(HERE, "data", "hr-hires.jsonl")

# A signed contract arrives one virtual hour after the hire; the wait allows seven days.
CONTRACT_AFTER_MS = 3600000
WAIT_TIMEOUT_MS = 7 * 24 * 3600000


def field(name, type="string", required=False, **more):
    o = {"name": name, "type": type}
    if required:
        o["required"] = True
    o.update(more)
    return o


def profiles(system, auth, secret, base):
    return [{"name": "sandbox", "sandbox": True},
            {"name": "production", "baseUrl": base, "auth": auth,
             "secret": secret, "timeoutMs": 15000}]


SYSTEMS = [
    {
        "id": "hr",
        "name": "HR system",
        "kind": "custom",
        "color": "#8c564b",
        "description": "Human resources: offers, hires and their contracts. System of record "
                       "for the employee.",
        "position": [0, 0],
        "entities": [{
            "name": "Hire",
            "key": "employeeId",
            "description": "A candidate who accepted an offer (or withdrew).",
            "fields": [
                field("employeeId", required=True, maxLength=8,
                      canonical="Employee.employeeId"),
                field("firstName", required=True, maxLength=40),
                field("lastName", required=True, maxLength=40),
                field("personalEmail", required=True, format="email"),
                field("department", required=True, maxLength=40,
                      description="Free text in the HR system; mapped to org units",
                      canonical="Employee.department"),
                field("jobTitle", maxLength=120),
                field("manager", description="employeeId of the manager"),
                field("startDate", "date", required=True, canonical="Employee.startDate"),
                field("country", required=True, format="iso-country",
                      canonical="Employee.country"),
                field("annualSalary", "decimal", required=True),
                field("currency", required=True, format="iso-currency"),
                field("laptop", "enum", enum=["mac", "windows", "linux"]),
                field("status", "enum", required=True,
                      enum=["offer-accepted", "withdrawn", "onboarded"]),
                field("workEmail", format="email", canonical="Employee.workEmail",
                      description="Written back once the directory account exists"),
            ],
        }],
        "profiles": profiles("hr", "bearer", "env:HR_TOKEN",
                             "https://hr.example.com/api/v2"),
    },
    {
        "id": "directory",
        "name": "Directory",
        "kind": "middleware",
        "color": "#17becf",
        "description": "Identity directory: user accounts, work e-mail addresses, org units. "
                       "System of record for the work e-mail address.",
        "position": [320, -120],
        "entities": [{
            "name": "User",
            "key": "userName",
            "fields": [
                field("userName", required=True, maxLength=20),
                field("displayName", required=True, maxLength=80, canonical="Employee.name"),
                field("mail", required=True, format="email", canonical="Employee.workEmail"),
                field("employeeId", required=True, maxLength=8,
                      canonical="Employee.employeeId"),
                field("department", maxLength=40),
                field("ou", "enum", required=True,
                      enum=["OU=Engineering", "OU=Sales", "OU=Finance", "OU=People",
                            "OU=Support"]),
                field("enabled", "boolean"),
            ],
        }],
        "profiles": profiles("directory", "bearer", "env:DIRECTORY_TOKEN",
                             "https://directory.example.com/scim"),
    },
    {
        "id": "payroll",
        "name": "Payroll",
        "kind": "erp",
        "color": "#2ca02c",
        "description": "Payroll provider; runs payroll in Germany, France, the Netherlands "
                       "and the United Kingdom only.",
        "position": [320, 120],
        "entities": [{
            "name": "Employee",
            "key": "employeeNumber",
            "fields": [
                field("employeeNumber", required=True, maxLength=8,
                      canonical="Employee.employeeId"),
                field("fullName", required=True, maxLength=80, canonical="Employee.name"),
                field("workEmail", required=True, format="email",
                      canonical="Employee.workEmail"),
                field("country", "enum", required=True, enum=["DE", "FR", "NL", "GB"]),
                field("annualSalary", "decimal", required=True),
                field("currency", required=True, format="iso-currency"),
                field("startDate", "date", required=True),
                field("status", "enum", enum=["pending", "active", "cancelled"]),
            ],
        }],
        "profiles": profiles("payroll", "api-key", "env:PAYROLL_API_KEY",
                             "https://payroll.example.com/v1"),
    },
    {
        "id": "itsm",
        "name": "IT service desk",
        "kind": "support",
        "color": "#d62728",
        "description": "IT service management: equipment and access requests.",
        "position": [640, 0],
        "entities": [{
            "name": "Ticket",
            "key": "ticketId",
            "fields": [
                field("ticketId", maxLength=40, description="Assigned when created"),
                field("category", "enum", required=True,
                      enum=["onboarding", "offboarding", "access"]),
                field("summary", required=True, maxLength=120),
                field("requester", format="email"),
                field("employeeId", maxLength=8),
                field("dueDate", "date", required=True),
                field("equipment", "enum", enum=["mac", "windows", "linux"]),
                field("status", "enum", enum=["new", "in-progress", "resolved", "cancelled"]),
            ],
        }],
        "profiles": profiles("itsm", "basic", "env:ITSM_CREDENTIALS",
                             "https://itsm.example.com/api/now"),
    },
]

CANONICAL = [{
    "id": "Employee",
    "description": "A person employed by the company.",
    "key": "employeeId",
    "fields": [
        field("employeeId", required=True),
        field("name", required=True),
        field("workEmail", format="email"),
        field("department"),
        field("startDate", "date"),
        field("country", format="iso-country"),
    ],
}]

OWNERSHIP = [
    {"entity": "Employee", "owners": ["hr"], "consumers": ["directory", "payroll", "itsm"],
     "steward": "People Operations"},
    {"entity": "Employee", "field": "workEmail", "owners": ["directory"],
     "consumers": ["hr", "payroll", "itsm"], "steward": "IT"},
]

ORG_UNITS = [["Engineering", "OU=Engineering"], ["Sales", "OU=Sales"],
             ["Finance", "OU=Finance"], ["People", "OU=People"],
             ["Customer Support", "OU=Support"]]

# The work address, as the directory creates it: first.last, lower case, no spaces.
LOCAL_PART = '$lowercase($replace(firstName & "." & lastName, " ", ""))'

MAPPINGS = [
    {
        "id": "hire-to-user",
        "name": "HR hire to directory user",
        "source": {"system": "hr", "entity": "Hire"},
        "target": {"system": "directory", "entity": "User"},
        "rules": [
            {"target": "userName", "expression": "$substring(" + LOCAL_PART + ", 0, 20)"},
            {"target": "displayName", "expression": 'firstName & " " & lastName'},
            {"target": "mail", "expression": LOCAL_PART + ' & "@example.com"'},
            {"target": "employeeId", "expression": "employeeId"},
            {"target": "department", "expression": "department"},
            {"target": "ou", "expression": "department", "valueMap": "org-units",
             "description": "No fallback: an unknown department stops the onboarding"},
            {"target": "enabled", "expression": "true"},
        ],
        "valueMaps": [{"name": "org-units", "entries": ORG_UNITS}],
    },
    {
        "id": "hire-to-payroll",
        "name": "HR hire to payroll employee",
        "source": {"system": "hr", "entity": "Hire"},
        "target": {"system": "payroll", "entity": "Employee"},
        "rules": [
            {"target": "employeeNumber", "expression": "employeeId"},
            {"target": "fullName", "expression": 'firstName & " " & lastName'},
            {"target": "workEmail", "expression": "$$.account.mail",
             "description": "The address the directory created (step output 'account')"},
            {"target": "country", "expression": "country"},
            {"target": "annualSalary", "expression": "annualSalary"},
            {"target": "currency", "expression": "currency"},
            {"target": "startDate", "expression": "startDate"},
            {"target": "status", "expression": '"pending"'},
        ],
    },
    {
        "id": "hire-to-ticket",
        "name": "HR hire to IT onboarding ticket",
        "source": {"system": "hr", "entity": "Hire"},
        "target": {"system": "itsm", "entity": "Ticket"},
        "rules": [
            {"target": "category", "expression": '"onboarding"'},
            {"target": "summary",
             "expression": '"Onboard " & firstName & " " & lastName & " (" & jobTitle & '
                           '"), starts " & startDate'},
            {"target": "requester", "expression": "$$.account.mail"},
            {"target": "employeeId", "expression": "employeeId"},
            {"target": "dueDate", "expression": "startDate"},
            {"target": "equipment", "expression": "laptop", "default": "linux"},
            {"target": "status", "expression": '"new"'},
        ],
    },
]

MAPPINGS.append({
    "id": "hire-onboarded",
    "name": "Onboarded: status and work e-mail back to HR",
    "source": {"system": "hr", "entity": "Hire"},
    "target": {"system": "hr", "entity": "Hire"},
    "partial": True,
    "rules": [
        {"target": "status", "expression": '"onboarded"'},
        {"target": "workEmail", "expression": "$$.account.mail"},
    ],
})

RETRY = {"maxAttempts": 4, "initialBackoffMs": 1000}


def call(id, name, system, entity, method, path, pos, **more):
    o = {"id": id, "name": name, "type": more.pop("type", "call"), "position": pos,
         "system": system, "entity": entity, "method": method, "path": path}
    o.update(more)
    o.setdefault("timeoutMs", 10000)
    o.setdefault("retry", RETRY)
    return o


WORKFLOW = {
    "id": "new-hire-onboarding",
    "name": "Onboard a new hire",
    "description": "An accepted offer in HR creates the directory account, waits for the "
                   "signed contract, registers the employee with payroll and opens the IT "
                   "equipment ticket. A contract that is not signed within seven days, or "
                   "a later step that fails, undoes what was done.",
    "pattern": "hub-orchestration",
    "trigger": {
        "type": "webhook",
        "system": "hr",
        "entity": "Hire",
        "eventId": "employeeId",
        "correlation": "employeeId",
        "filter": 'status = "offer-accepted"',
        "deadLetter": "dlq",
        "auth": {"type": "hmac-sha256", "secret": "env:HR_WEBHOOK_SECRET"},
    },
    "steps": [
        {"id": "check-hire", "name": "Check the hire", "type": "validate", "position": [0, 0],
         "system": "hr", "entity": "Hire", "checkSchema": True,
         "rules": [{"rule": "annualSalary > 0", "message": "the annual salary must be positive"},
                   {"rule": "$length(manager) > 0", "message": "the hire has no manager"}]},
        call("create-account", "Create the directory account", "directory", "User", "POST",
             "/users", [200, 0], mapping="hire-to-user",
             idempotencyKey='"dir-" & employeeId', compensation="delete-account",
             output="account"),
        {"id": "wait-contract", "name": "Wait for the signed contract", "type": "wait",
         "position": [400, 0], "topic": "hr.contract.signed", "correlation": "employeeId",
         "matchField": "employeeId", "waitTimeoutMs": WAIT_TIMEOUT_MS, "output": "contract"},
        call("create-payroll", "Register with payroll", "payroll", "Employee", "POST",
             "/employees", [600, 0], mapping="hire-to-payroll",
             idempotencyKey='"payroll-" & employeeId', compensation="cancel-payroll",
             output="payrollEmployee"),
        call("open-ticket", "Open the IT equipment ticket", "itsm", "Ticket", "POST",
             "/tickets", [800, 0], mapping="hire-to-ticket",
             idempotencyKey='"itsm-" & employeeId', output="ticket"),
        call("mark-onboarded", "Mark the hire onboarded in HR", "hr", "Hire", "PATCH",
             "/hires/{employeeId}", [1000, 0], mapping="hire-onboarded",
             idempotencyKey='"hr-onboarded-" & employeeId', output="hrRecord"),
        call("delete-account", "Delete the directory account", "directory", "User", "DELETE",
             "/users/{userName}", [200, 160], type="compensate",
             compensates="create-account"),
        call("cancel-payroll", "Cancel the payroll registration", "payroll", "Employee",
             "PATCH", "/employees/{employeeNumber}/cancel", [600, 160], type="compensate",
             compensates="create-payroll"),
    ],
    "edges": [
        {"from": "trigger", "to": "check-hire"},
        {"from": "check-hire", "to": "create-account"},
        {"from": "create-account", "to": "wait-contract"},
        {"from": "wait-contract", "to": "create-payroll"},
        {"from": "create-payroll", "to": "open-ticket"},
        {"from": "open-ticket", "to": "mark-onboarded"},
    ],
}

FLOWS = [
    {"id": "hr-to-directory", "from": "hr", "to": "directory", "entity": "Employee",
     "mapping": "hire-to-user", "workflow": "new-hire-onboarding"},
    {"id": "hr-to-payroll", "from": "hr", "to": "payroll", "entity": "Employee",
     "mapping": "hire-to-payroll", "workflow": "new-hire-onboarding"},
    {"id": "hr-to-itsm", "from": "hr", "to": "itsm", "entity": "Employee",
     "mapping": "hire-to-ticket", "workflow": "new-hire-onboarding"},
]

SLAS = [{"id": "hire-to-equipment", "name": "Accepted offer to IT ticket within a day",
         "workflow": "new-hire-onboarding", "from": "trigger", "to": "open-ticket",
         "targetMinutes": 1440, "targetPercent": 95}]

RECONCILIATIONS = [{
    "id": "directory-vs-payroll", "name": "Directory accounts against payroll employees",
    "left": {"system": "directory", "entity": "User"},
    "right": {"system": "payroll", "entity": "Employee"},
    "leftKey": "employeeId", "rightKey": "employeeNumber",
    "fields": [["displayName", "fullName"], ["mail", "workEmail"]],
}]

FIRST = ["Anna", "Ben", "Chloe", "David", "Elif", "Finn", "Greta", "Hugo", "Ines", "Jonas",
         "Katrin", "Lars", "Marta", "Noah", "Olga", "Pieter", "Quinn", "Rosa", "Sven", "Tara"]
LAST = ["Becker", "Dubois", "Jansen", "Smith", "Yilmaz", "Weber", "de Vries", "Martin",
        "Novak", "Fischer", "Laurent", "Visser", "Brown", "Schulz", "Petit", "Bakker",
        "Taylor", "Moreau", "Wagner", "Evans"]
DEPTS = ["Engineering", "Sales", "Finance", "People", "Customer Support"]
COUNTRIES = [("DE", "EUR"), ("FR", "EUR"), ("NL", "EUR"), ("GB", "GBP")]
LAPTOPS = ["mac", "windows", "linux", None]


def hire(n):
    country, currency = COUNTRIES[n % 4]
    h = {"employeeId": "E%05d" % (10001 + n), "firstName": FIRST[n % 20],
         "lastName": LAST[(n * 7 + n // 20 * 3) % 20],
         "personalEmail": "%s.%d@mail.example" % (FIRST[n % 20].lower(), n),
         "department": DEPTS[n % 5], "jobTitle": "Specialist",
         "manager": "E0%04d" % (100 + n % 9),
         "startDate": "2027-0%d-%02d" % (2 + n % 3, 1 + n % 28),
         "country": country, "annualSalary": 52000 + 1500 * n, "currency": currency,
         "status": "offer-accepted"}
    if LAPTOPS[n % 4]:
        h["laptop"] = LAPTOPS[n % 4]
    return h


def contract(h, after=CONTRACT_AFTER_MS, step="create-account"):
    """The hire signs `after` ms after the directory account exists (after `step` of the
    hire's instance); with step=None, `after` ms after the line is read."""
    line = {"$event": {"type": "hr.contract.signed",
                       "data": {"employeeId": h["employeeId"], "signedAt": h["startDate"]}}}
    if step:
        line["$afterStep"] = step
    line["$afterMs"] = after
    return line


def data_lines():
    """The hires in order, each followed by its contract; the bad ones say what is wrong."""
    lines = []
    good = [hire(n) for n in range(20)]
    for h in good[:10]:
        lines += [h, contract(h)]

    withdrawn = hire(20)
    withdrawn["status"] = "withdrawn"             # filtered by the trigger
    bad_email = hire(21)
    bad_email["personalEmail"] = "not-an-address"   # schema: format email
    no_salary = hire(22)
    no_salary["annualSalary"] = 0                  # rule: salary must be positive
    unknown_dept = hire(23)
    unknown_dept["department"] = "Legal Ops"       # value map org-units has no entry
    unsigned = hire(24)                           # contract never signed: wait times out
    us_hire = hire(25)
    us_hire["country"], us_hire["currency"] = "US", "USD"   # payroll runs no US payroll
    long_title = hire(26)                         # ticket summary longer than 120
    long_title["jobTitle"] = ("Senior Principal Staff Software Engineer, Platform "
                              "Reliability and Developer Productivity (EMEA)")
    no_manager = hire(27)
    del no_manager["manager"]                     # rule: the hire has no manager
    withdrawn2 = hire(28)
    withdrawn2["status"] = "withdrawn"

    # A contract event for `unsigned` that arrives three hires before it: older than its
    # wait, so it must not resume it.
    lines += [withdrawn, contract(unsigned, 0, None), bad_email, no_salary, unknown_dept, unsigned,
              us_hire, contract(us_hire), long_title, contract(long_title),
              no_manager, withdrawn2]
    for h in good[10:]:
        lines += [h, contract(h)]
    lines.append(dict(good[3]))                   # the same hire delivered twice
    return lines


TESTS = [
    {"id": "hire-is-onboarded", "name": "An accepted offer is onboarded end to end",
     "workflow": "new-hire-onboarding", "dataset": "hr-hires", "record": "E10001",
     "expect": {"outcome": "completed", "values": [
         {"expression": "account.userName", "equals": "anna.becker"},
         {"expression": "payrollEmployee.workEmail", "equals": "anna.becker@example.com"},
         {"expression": "ticket.category", "equals": "onboarding"},
         {"expression": "contract.employeeId", "equals": "E10001"},
         {"expression": "hrRecord.status", "equals": "onboarded"},
         {"expression": "hrRecord.firstName", "equals": "Anna"}]}},
    {"id": "withdrawn-offer-is-filtered", "name": "A withdrawn offer starts nothing",
     "workflow": "new-hire-onboarding", "dataset": "hr-hires", "record": "E10021",
     "expect": {"outcome": "filtered"}},
    {"id": "bad-email-is-rejected", "name": "A malformed personal e-mail is dead-lettered",
     "workflow": "new-hire-onboarding", "dataset": "hr-hires", "record": "E10022",
     "expect": {"outcome": "dead-lettered", "step": "check-hire",
                "reason": "personalEmail"}},
    {"id": "zero-salary-is-rejected", "name": "A hire without salary is dead-lettered",
     "workflow": "new-hire-onboarding", "dataset": "hr-hires", "record": "E10023",
     "expect": {"outcome": "dead-lettered", "step": "check-hire",
                "reason": "the annual salary must be positive"}},
    {"id": "no-manager-is-rejected", "name": "A hire without manager is dead-lettered",
     "workflow": "new-hire-onboarding", "dataset": "hr-hires", "record": "E10028",
     "expect": {"outcome": "dead-lettered", "step": "check-hire",
                "reason": "the hire has no manager"}},
    {"id": "unknown-department-is-rejected",
     "name": "A department without org unit is dead-lettered",
     "workflow": "new-hire-onboarding", "dataset": "hr-hires", "record": "E10024",
     "expect": {"outcome": "dead-lettered", "step": "create-account",
                "reason": "org-units"}},
    {"id": "unsigned-contract-is-undone",
     "name": "No signed contract within a week deletes the account",
     "workflow": "new-hire-onboarding", "dataset": "hr-hires", "record": "E10025",
     "expect": {"outcome": "compensated", "step": "wait-contract"}},
    {"id": "us-hire-is-undone", "name": "Payroll refuses a US hire; the account is deleted",
     "workflow": "new-hire-onboarding", "dataset": "hr-hires", "record": "E10026",
     "expect": {"outcome": "compensated", "step": "create-payroll", "reason": "country"}},
    {"id": "long-title-is-undone",
     "name": "The service desk refuses a too long summary; payroll and account are undone",
     "workflow": "new-hire-onboarding", "dataset": "hr-hires", "record": "E10027",
     "expect": {"outcome": "compensated", "step": "open-ticket", "reason": "summary"}},
]


def project():
    return {
        "format": "switchboard-project",
        "version": 2,
        "name": "Employee Onboarding",
        "description": "Bundled example: an accepted offer in the HR system becomes a "
                       "directory account, a payroll registration and an IT equipment "
                       "ticket, and HR gets the work e-mail back (a partial PATCH). Waits for the signed "
                       "contract, undoes the account and the "
                       "payroll registration when a later step fails, and ships a data set "
                       "with deliberately bad hires. Regenerate with "
                       "templates/employee-onboarding/generate.py.",
        "systems": SYSTEMS,
        "canonical": CANONICAL,
        "ownership": OWNERSHIP,
        "mappings": MAPPINGS,
        "workflows": [WORKFLOW],
        "flows": FLOWS,
        "slas": SLAS,
        "reconciliations": RECONCILIATIONS,
        "datasets": [{
            "id": "hr-hires", "name": "Accepted offers", "system": "hr", "entity": "Hire",
            "file": "data/hr-hires.jsonl",
            "description": "29 hires (one delivered twice) with scripted contract "
                           "signatures. Deliberately bad: E10021 and E10029 withdrawn, "
                           "E10022 malformed e-mail, E10023 zero salary, E10024 unknown "
                           "department, E10025 never signs (an early event must not count), "
                           "E10026 in the US (no payroll there), E10027 job title too long "
                           "for the ticket summary, E10028 no manager."}],
        "tests": TESTS,
    }


def main():
    os.makedirs(os.path.dirname(DATA_FILE), exist_ok=True)
    with open(PROJECT_FILE, "w", encoding="utf-8") as f:
        f.write(json.dumps(project(), indent=2, ensure_ascii=False) + "\n")
    with open(DATA_FILE, "w", encoding="utf-8") as f:
        for line in data_lines():
            f.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
