#!/usr/bin/env python3
"""Generates the bundled Quote-to-Cash example: the project file and its sample data sets.

    python3 templates/quote-to-cash/generate.py

Standard library only and deterministic (fixed seed, fixed dates): running it again gives
byte-identical files. The project file is written exactly as Switchboard's serializer
(model/projectjson.cpp) writes it: keys in the writer's order, default values left out,
2-space indent, UTF-8 text and a trailing newline, so loading and saving it in the studio
changes nothing.

Before writing, the script checks the design against the governance rules the example is
meant to satisfy (references resolve, one owner per canonical field, writes only into owners
or declared consumers, required target fields mapped, plain paths type-compatible, calls
idempotent with timeout and retry, every step reachable) and refuses to write if one fails.
"""

import json
import os
import random
import sys
from datetime import date, datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
PROJECT_FILE = os.path.join(HERE, "quote-to-cash.switchboard")
DATA_DIR = os.path.join(HERE, "data")
SEED = 20240617

# ----------------------------------------------------------------------------------------
# Builders: one per writeX function of model/projectjson.cpp, same key order, same defaults.


def _put(o, key, value):
    """Sets key unless value is a default the serializer omits ("", [], 0, None, False)."""
    if value is None or value is False or value == "" or value == [] or (
            isinstance(value, int) and not isinstance(value, bool) and value == 0):
        return
    o[key] = value


def F(name, type="string", required=False, format=None, enum=None, maxLength=0,
      description=None, canonical=None, items=None, fields=None):
    o = {"name": name, "type": type}
    _put(o, "required", required)
    _put(o, "format", format)
    _put(o, "enum", enum)
    _put(o, "maxLength", maxLength)
    _put(o, "description", description)
    _put(o, "canonical", canonical)
    if type == "array":
        o["items"] = items or "object"
    _put(o, "fields", fields)
    return o


def entity(name, key=None, description=None, fields=None):
    o = {"name": name}
    _put(o, "key", key)
    _put(o, "description", description)
    _put(o, "fields", fields)
    return o


def profile(name, sandbox=False, baseUrl=None, auth=None, secret=None, rateLimit=0.0,
            timeoutMs=0):
    o = {"name": name}
    _put(o, "sandbox", sandbox)
    _put(o, "baseUrl", baseUrl)
    if auth and auth != "none":
        o["auth"] = auth
    _put(o, "secret", secret)
    if rateLimit:
        o["rateLimit"] = float(rateLimit)
    _put(o, "timeoutMs", timeoutMs)
    return o


def system(id, name, kind, color, description, position, entities, profiles):
    o = {"id": id}
    _put(o, "name", name)
    o["kind"] = kind
    _put(o, "color", color)
    _put(o, "description", description)
    o["position"] = [float(position[0]), float(position[1])]
    _put(o, "entities", entities)
    _put(o, "profiles", profiles)
    return o


def canonical(id, description, key, fields):
    o = {"id": id}
    _put(o, "description", description)
    _put(o, "key", key)
    _put(o, "fields", fields)
    return o


def ownership(entity, field=None, owners=None, contributors=None, consumers=None,
              survivorship="owner-wins", priority=None, steward=None, freshness="real-time",
              freshnessMinutes=0):
    o = {"entity": entity}
    _put(o, "field", field)
    _put(o, "owners", owners)
    _put(o, "contributors", contributors)
    _put(o, "consumers", consumers)
    if survivorship != "owner-wins":
        o["survivorship"] = survivorship
    _put(o, "priority", priority)
    _put(o, "steward", steward)
    if freshness != "real-time":
        o["freshness"] = freshness
    _put(o, "freshnessMinutes", freshnessMinutes)
    return o


def ref(system_, entity_):
    o = {}
    _put(o, "system", system_)
    o["entity"] = entity_
    return o


NO_DEFAULT = object()


def rule(target, expression=None, condition=None, default=NO_DEFAULT, valueMap=None,
         description=None):
    o = {"target": target}
    _put(o, "expression", expression)
    _put(o, "condition", condition)
    if default is not NO_DEFAULT:
        o["default"] = default
    _put(o, "valueMap", valueMap)
    _put(o, "description", description)
    return o


def value_map(name, entries, fallback=None):
    o = {"name": name}
    _put(o, "entries", [[a, b] for a, b in entries])
    if fallback is not None:
        o["fallback"] = fallback
    return o


def mapping(id, name, source, target, rules, condition=None, valueMaps=None):
    o = {"id": id}
    _put(o, "name", name)
    o["source"] = source
    o["target"] = target
    _put(o, "condition", condition)
    _put(o, "rules", rules)
    _put(o, "valueMaps", valueMaps)
    return o


def trigger(type, system=None, entity=None, topic=None, schedule=None, format=None,
            eventId=None, correlation=None, filter=None, deadLetter=None, auth=None):
    o = {"type": type}
    _put(o, "system", system)
    _put(o, "entity", entity)
    _put(o, "topic", topic)
    _put(o, "schedule", schedule)
    _put(o, "format", format)
    _put(o, "eventId", eventId)
    _put(o, "correlation", correlation)
    _put(o, "filter", filter)
    _put(o, "deadLetter", deadLetter)
    _put(o, "auth", auth)
    return o


def hmac_auth(secret, toleranceSeconds=300):
    return {"type": "hmac-sha256", "secret": secret, "toleranceSeconds": toleranceSeconds}


def retry(maxAttempts, initialBackoffMs=500, multiplier=2.0, maxBackoffMs=60000, jitter=True):
    return {"maxAttempts": maxAttempts, "initialBackoffMs": initialBackoffMs,
            "multiplier": float(multiplier), "maxBackoffMs": maxBackoffMs, "jitter": jitter}


def step(id, name, type, position, system=None, entity=None, method=None, path=None,
         mapping=None, idempotencyKey=None, timeoutMs=0, retry=None, transientStatuses=None,
         businessErrorStatuses=None, compensation=None, output=None, rules=None,
         checkSchema=False, checkOwnership=False, topic=None, correlation=None,
         waitTimeoutMs=0, role=None, escalationMs=0, escalateTo=None, compensates=None,
         matchField=None):
    o = {"id": id}
    _put(o, "name", name)
    o["type"] = type
    o["position"] = [float(position[0]), float(position[1])]
    _put(o, "system", system)
    _put(o, "entity", entity)
    _put(o, "method", method)
    _put(o, "path", path)
    _put(o, "mapping", mapping)
    _put(o, "idempotencyKey", idempotencyKey)
    _put(o, "timeoutMs", timeoutMs)
    if retry is not None:
        o["retry"] = retry
    _put(o, "transientStatuses", transientStatuses)
    _put(o, "businessErrorStatuses", businessErrorStatuses)
    _put(o, "compensation", compensation)
    _put(o, "output", output)
    _put(o, "rules", rules)
    _put(o, "checkSchema", checkSchema)
    _put(o, "checkOwnership", checkOwnership)
    _put(o, "topic", topic)
    _put(o, "correlation", correlation)
    _put(o, "matchField", matchField)
    _put(o, "waitTimeoutMs", waitTimeoutMs)
    _put(o, "role", role)
    _put(o, "escalationMs", escalationMs)
    _put(o, "escalateTo", escalateTo)
    _put(o, "compensates", compensates)
    return o


def edge(from_, to, kind="next", condition=None, label=None):
    o = {"from": from_, "to": to}
    if kind != "next":
        o["kind"] = kind
    _put(o, "condition", condition)
    _put(o, "label", label)
    return o


def workflow(id, name, description, pattern, trigger_, steps, edges):
    o = {"id": id}
    _put(o, "name", name)
    _put(o, "description", description)
    o["pattern"] = pattern
    o["trigger"] = trigger_
    _put(o, "steps", steps)
    _put(o, "edges", edges)
    return o


def flow(id, from_, to, entity=None, mapping=None, workflow=None, mode="real-time",
         loopGuard=False, label=None):
    o = {"id": id, "from": from_, "to": to}
    _put(o, "entity", entity)
    _put(o, "mapping", mapping)
    _put(o, "workflow", workflow)
    if mode != "real-time":
        o["mode"] = mode
    _put(o, "loopGuard", loopGuard)
    _put(o, "label", label)
    return o


def sla(id, name, workflow_, from_, to, targetMinutes, targetPercent=95):
    o = {"id": id}
    _put(o, "name", name)
    o["workflow"] = workflow_
    o["from"] = from_
    o["to"] = to
    _put(o, "targetMinutes", targetMinutes)
    if targetPercent != 95:
        o["targetPercent"] = float(targetPercent)
    return o


def reconciliation(id, name, left, right, leftKey, rightKey, fields, schedule):
    o = {"id": id}
    _put(o, "name", name)
    o["left"] = left
    o["right"] = right
    o["leftKey"] = leftKey
    o["rightKey"] = rightKey
    _put(o, "fields", [[a, b] for a, b in fields])
    _put(o, "schedule", schedule)
    return o


def dataset(id, name, system_, entity_, file, description):
    o = {"id": id}
    _put(o, "name", name)
    _put(o, "system", system_)
    o["entity"] = entity_
    o["file"] = file
    _put(o, "description", description)
    return o


# ----------------------------------------------------------------------------------------
# Shared vocabularies

ISO_CURRENCY = "iso-currency"
ISO_COUNTRY = "iso-country"
SEGMENTS = ["smb", "mid-market", "enterprise"]
PAYMENT_TERMS = ["NET15", "NET30", "NET45", "NET60"]
CREDIT_STATUS = ["good", "watch", "hold"]
BILLING_STATUS = ["current", "invoiced", "past-due", "suspended"]
BILLING_TYPES = ["one-time", "recurring"]
SUPPORT_TIERS = ["standard", "premium", "enterprise"]

# Country names as the CRM picklist shows them (with the variants sales reps type) -> ISO.
COUNTRY_NAMES = [
    ("Germany", "DE"), ("Deutschland", "DE"), ("France", "FR"), ("United Kingdom", "GB"),
    ("UK", "GB"), ("United States", "US"), ("USA", "US"), ("Netherlands", "NL"),
    ("Spain", "ES"), ("Italy", "IT"), ("Sweden", "SE"), ("Switzerland", "CH"),
    ("Austria", "AT"), ("Österreich", "AT"), ("Belgium", "BE"), ("Denmark", "DK"),
    ("Ireland", "IE"), ("Poland", "PL"), ("Canada", "CA"), ("Australia", "AU"),
    ("Japan", "JP"), ("Finland", "FI"), ("Norway", "NO"), ("Portugal", "PT"),
]


def address_fields(canonical_prefix, country_field=None):
    fields = [
        F("street", maxLength=120, canonical=canonical_prefix and canonical_prefix + ".street"),
        F("city", maxLength=60, canonical=canonical_prefix and canonical_prefix + ".city"),
        F("postalCode", maxLength=16,
          canonical=canonical_prefix and canonical_prefix + ".postalCode"),
        F("region", maxLength=60, description="State, province or county",
          canonical=canonical_prefix and canonical_prefix + ".region"),
    ]
    if country_field:
        fields.append(country_field)
    return fields


def order_lines(prefix_names, canonical_prefix, description, required=False):
    sku, qty, price = prefix_names
    return F("lines", "array", required=required, description=description,
             canonical=canonical_prefix, items="object", fields=[
                 F(sku, maxLength=40, description="Product code (SKU)",
                   canonical=canonical_prefix + ".sku"),
                 F("description", maxLength=255, canonical=canonical_prefix + ".description"),
                 F(qty, "integer", description="Quantity (seats or units)",
                   canonical=canonical_prefix + ".quantity"),
                 F(price, "decimal", description="Net unit price in the document currency",
                   canonical=canonical_prefix + ".unitPrice"),
                 F("billingType", "enum", enum=BILLING_TYPES,
                   canonical=canonical_prefix + ".billingType"),
             ])


# ----------------------------------------------------------------------------------------
# Systems


def crm_system():
    account = entity("Account", "id", "A customer company as sales manages it.", [
        F("id", required=True, maxLength=18, description="CRM account id (18 characters)",
          canonical="Customer.customerId"),
        F("name", maxLength=160,
          description="Account name; mandatory in the CRM screens, integrations only update "
                      "the fields they are consumers of",
          canonical="Customer.name"),
        F("taxId", maxLength=32, description="VAT or tax registration number as entered by sales",
          canonical="Customer.taxId"),
        F("industry", "enum", enum=["software", "manufacturing", "retail", "financial-services",
                                    "healthcare", "logistics", "media", "public-sector"]),
        F("segment", "enum", enum=SEGMENTS, canonical="Customer.segment"),
        F("currency", format=ISO_CURRENCY, maxLength=3, description="Account currency",
          canonical="Customer.currency"),
        F("billingEmail", format="email", maxLength=254, canonical="Customer.email"),
        F("billingAddress", "object", fields=address_fields(
            "Customer.address",
            F("country", maxLength=60,
              description="Country name as picked or typed in the CRM, e.g. Germany",
              canonical="Customer.country"))),
        F("annualRevenue", "decimal", description="Estimated annual revenue in account currency"),
        F("erpCustomerNumber", maxLength=12, description="Replica of the ERP customer number",
          canonical="Customer.erpCustomerNumber"),
        F("paymentTerms", "enum", enum=PAYMENT_TERMS, description="Replica from the ERP",
          canonical="Customer.paymentTerms"),
        F("creditStatus", "enum", enum=CREDIT_STATUS, description="Replica from the ERP",
          canonical="Customer.creditStatus"),
        F("creditLimit", "decimal", description="Replica from the ERP",
          canonical="Customer.creditLimit"),
        F("billingStatus", "enum", enum=BILLING_STATUS,
          description="Replica from the billing platform", canonical="Customer.billingStatus"),
        F("creditHold", "boolean",
          description="Set when a payment failed; blocks new quotes",
          canonical="Customer.creditHold"),
        F("lastInvoiceNumber", maxLength=32, canonical="Invoice.invoiceNumber"),
        F("lastInvoiceDate", "date", canonical="Invoice.issueDate"),
        F("lastModifiedAt", "datetime", canonical="Customer.updatedAt"),
        F("lastModifiedBy", maxLength=80,
          description="User or integration user that made the last change (echo suppression)"),
    ])
    contact = entity("Contact", "id", "A person at an account.", [
        F("id", required=True, maxLength=18, canonical="Contact.contactId"),
        F("accountId", required=True, maxLength=18, canonical="Contact.customerId"),
        F("firstName", maxLength=40, canonical="Contact.firstName"),
        F("lastName", required=True, maxLength=80, canonical="Contact.lastName"),
        F("email", required=True, format="email", maxLength=254, canonical="Contact.email"),
        F("phone", maxLength=40, canonical="Contact.phone"),
        F("role", "enum", enum=["billing", "technical", "decision-maker", "other"],
          canonical="Contact.role"),
    ])
    quote_lines = order_lines(("productCode", "qty", "price"), "Order.lines",
                              "Quote lines")
    opportunity = entity("Opportunity", "id", "A deal in the pipeline; webhook payloads embed "
                         "the primary quote.", [
        F("id", required=True, maxLength=18, canonical="Order.externalRef"),
        F("name", required=True, maxLength=120),
        F("accountId", required=True, maxLength=18, canonical="Order.customerId"),
        F("stage", "enum", required=True,
          enum=["prospecting", "qualification", "proposal", "negotiation", "closed-won",
                "closed-lost"]),
        F("amount", "decimal", description="Total after discount, in the opportunity currency",
          canonical="Order.totalAmount"),
        F("currency", format=ISO_CURRENCY, maxLength=3, canonical="Order.currency"),
        F("closeDate", "date", canonical="Order.orderDate"),
        F("probability", "integer", description="Win probability in percent"),
        F("quote", "object", description="Primary quote, expanded", fields=[
            F("id", maxLength=18),
            F("number", maxLength=20),
            F("currency", format=ISO_CURRENCY, maxLength=3, canonical="Order.currency"),
            F("discountPercent", "number", canonical="Order.discountPercent"),
            F("termMonths", "integer", canonical="Contract.termMonths"),
            F("startDate", "date", canonical="Contract.startDate"),
            quote_lines,
        ]),
        F("lastModifiedAt", "datetime"),
    ])
    quote = entity("Quote", "id", "A priced offer for an opportunity.", [
        F("id", required=True, maxLength=18),
        F("opportunityId", required=True, maxLength=18, canonical="Order.externalRef"),
        F("number", required=True, maxLength=20),
        F("status", "enum", enum=["draft", "presented", "accepted", "rejected"]),
        F("currency", required=True, format=ISO_CURRENCY, maxLength=3,
          canonical="Order.currency"),
        F("discountPercent", "number", canonical="Order.discountPercent"),
        F("termMonths", "integer", canonical="Contract.termMonths"),
        F("startDate", "date", canonical="Contract.startDate"),
        F("validUntil", "date"),
        order_lines(("productCode", "qty", "price"), "Order.lines", "Quote lines"),
    ])
    return system(
        "crm", "CRM", "crm", "#1f77b4",
        "Sales CRM: accounts, contacts, pipeline and quotes (CPQ). System of record for the "
        "customer's commercial data.",
        (0, 0), [account, contact, opportunity, quote],
        [profile("sandbox", sandbox=True),
         profile("production", baseUrl="https://crm.example.com/api/v2", auth="bearer",
                 secret="env:CRM_TOKEN", rateLimit=25, timeoutMs=10000)])


def erp_system():
    customer = entity("Customer", "customerNumber", "Debtor master record.", [
        F("customerNumber", maxLength=12, description="Assigned by the ERP, e.g. C-100234",
          canonical="Customer.erpCustomerNumber"),
        F("externalRef", required=True, maxLength=18, description="CRM account id",
          canonical="Customer.customerId"),
        F("name", required=True, maxLength=80, canonical="Customer.name"),
        F("taxId", maxLength=32, description="Verified VAT or tax registration number",
          canonical="Customer.taxId"),
        F("country", required=True, format=ISO_COUNTRY, maxLength=2, canonical="Customer.country"),
        F("currency", required=True, format=ISO_CURRENCY, maxLength=3,
          canonical="Customer.currency"),
        F("address", "object", canonical="Customer.address",
          fields=address_fields("Customer.address")),
        F("invoiceEmail", format="email", maxLength=254, canonical="Customer.email"),
        F("paymentTerms", "enum", enum=PAYMENT_TERMS, canonical="Customer.paymentTerms"),
        F("creditStatus", "enum", enum=CREDIT_STATUS, canonical="Customer.creditStatus"),
        F("creditLimit", "decimal", canonical="Customer.creditLimit"),
        F("blocked", "boolean", description="Posting block set by credit management"),
        F("changedAt", "datetime", canonical="Customer.updatedAt"),
        F("changedBy", maxLength=40),
    ])
    order = entity("SalesOrder", "orderNumber", "Sales order; drives revenue recognition.", [
        F("orderNumber", maxLength=12, description="Assigned by the ERP, e.g. SO-2024-000123",
          canonical="Order.orderId"),
        F("externalRef", required=True, maxLength=18, description="CRM opportunity id",
          canonical="Order.externalRef"),
        F("customerRef", required=True, maxLength=18, description="CRM account id",
          canonical="Order.customerId"),
        F("orderDate", "date", required=True, canonical="Order.orderDate"),
        F("currency", required=True, format=ISO_CURRENCY, maxLength=3, canonical="Order.currency"),
        F("status", "enum", required=True,
          enum=["draft", "released", "on-hold", "fulfilled", "cancelled"],
          canonical="Order.status"),
        F("totalAmount", "decimal", canonical="Order.totalAmount"),
        F("discountPercent", "number", canonical="Order.discountPercent"),
        order_lines(("sku", "quantity", "unitPrice"), "Order.lines", "Order lines",
                    required=True),
    ])
    invoice = entity("Invoice", "documentNumber", "Receivable posted from the billing platform.", [
        F("documentNumber", maxLength=12, description="ERP accounting document number"),
        F("sourceInvoiceNumber", required=True, maxLength=32, canonical="Invoice.invoiceNumber"),
        F("customerRef", required=True, maxLength=18, canonical="Invoice.customerId"),
        F("postingDate", "date", required=True, canonical="Invoice.issueDate"),
        F("dueDate", "date", canonical="Invoice.dueDate"),
        F("currency", required=True, format=ISO_CURRENCY, maxLength=3,
          canonical="Invoice.currency"),
        F("netAmount", "decimal"),
        F("taxAmount", "decimal", canonical="Invoice.taxAmount"),
        F("grossAmount", "decimal", required=True, canonical="Invoice.totalAmount"),
        F("status", "enum", enum=["open", "cleared", "reversed"]),
    ])
    payment = entity("Payment", "paymentDocument", "Incoming payment applied to receivables.", [
        F("paymentDocument", maxLength=12),
        F("sourcePaymentId", required=True, maxLength=40, canonical="Payment.paymentId"),
        F("customerRef", required=True, maxLength=18, canonical="Payment.customerId"),
        F("invoiceRef", maxLength=40, canonical="Payment.invoiceId"),
        F("amount", "decimal", required=True, canonical="Payment.amount"),
        F("currency", required=True, format=ISO_CURRENCY, maxLength=3,
          canonical="Payment.currency"),
        F("valueDate", "date", required=True, canonical="Payment.valueDate"),
        F("method", "enum", enum=["card", "sepa-debit", "ach", "wire"],
          canonical="Payment.method"),
    ])
    journal = entity("JournalEntry", "entryNumber", "General ledger posting (ERP internal).", [
        F("entryNumber", maxLength=12),
        F("postingDate", "date", required=True),
        F("ledgerAccount", required=True, maxLength=10, description="G/L account, e.g. 4000"),
        F("debit", "decimal"),
        F("credit", "decimal"),
        F("currency", format=ISO_CURRENCY, maxLength=3),
        F("reference", maxLength=40, description="Source document"),
        F("text", maxLength=120),
    ])
    return system(
        "erp", "ERP", "erp", "#2ca02c",
        "Finance ERP: customer master for finance, sales orders, receivables, general ledger. "
        "System of record for credit, payment terms, verified tax ids and orders.",
        (500, 0), [customer, order, invoice, payment, journal],
        [profile("sandbox", sandbox=True),
         profile("production", baseUrl="https://erp.example.com/odata/v4", auth="bearer",
                 secret="env:ERP_TOKEN", rateLimit=10, timeoutMs=30000)])


def billing_system():
    account = entity("BillingAccount", "id", "Who is billed, how and in which currency.", [
        F("id", maxLength=24, description="Assigned by billing, e.g. BA-00042",
          canonical="Customer.billingAccountId"),
        F("externalKey", required=True, maxLength=18, description="CRM account id",
          canonical="Customer.customerId"),
        F("name", required=True, maxLength=160, canonical="Customer.name"),
        F("currency", required=True, format=ISO_CURRENCY, maxLength=3,
          canonical="Customer.currency"),
        F("billingEmail", required=True, format="email", maxLength=254,
          canonical="Customer.email"),
        F("country", required=True, format=ISO_COUNTRY, maxLength=2, canonical="Customer.country"),
        F("taxId", maxLength=32, canonical="Customer.taxId"),
        F("status", "enum", enum=["current", "past_due", "suspended", "closed"],
          canonical="Customer.billingStatus"),
        F("collectionsHold", "boolean", description="Dunning has put the account on hold",
          canonical="Customer.creditHold"),
        F("balance", "decimal", description="Open balance in account currency"),
    ])
    plan = entity("Plan", "code", "A sellable recurring plan.", [
        F("code", required=True, maxLength=40, canonical="Product.sku"),
        F("name", required=True, maxLength=120, canonical="Product.name"),
        F("interval", "enum", enum=["month", "year"]),
        F("price", "decimal", canonical="Product.listPrice"),
        F("currency", format=ISO_CURRENCY, maxLength=3, canonical="Product.currency"),
        F("supportTier", "enum", enum=SUPPORT_TIERS, canonical="Product.supportTier"),
    ])
    subscription = entity("Subscription", "id", "A customer's recurring contract line.", [
        F("id", maxLength=24, description="Assigned by billing, e.g. sub_1a2b3c",
          canonical="Subscription.subscriptionId"),
        F("accountRef", required=True, maxLength=18, description="CRM account id",
          canonical="Subscription.customerId"),
        F("orderRef", maxLength=20, description="ERP sales order number",
          canonical="Subscription.orderId"),
        F("planCode", required=True, maxLength=40, canonical="Subscription.planCode"),
        F("quantity", "integer", required=True, canonical="Subscription.quantity"),
        F("status", "enum", enum=["trialing", "active", "past_due", "cancelled"],
          canonical="Subscription.status"),
        F("startDate", "date", required=True, canonical="Subscription.startDate"),
        F("termMonths", "integer", canonical="Subscription.termMonths"),
        F("autoRenew", "boolean", canonical="Subscription.autoRenew"),
        F("currency", required=True, format=ISO_CURRENCY, maxLength=3,
          canonical="Subscription.currency"),
        F("mrr", "decimal", description="Monthly recurring revenue", canonical="Subscription.mrr"),
        F("supportTier", "enum", enum=SUPPORT_TIERS, description="Copied from the plan",
          canonical="Product.supportTier"),
    ])
    invoice = entity("Invoice", "id", "Invoice issued by the billing run.", [
        F("id", maxLength=24, canonical="Invoice.invoiceId"),
        F("number", required=True, maxLength=32, canonical="Invoice.invoiceNumber"),
        F("accountRef", required=True, maxLength=18, canonical="Invoice.customerId"),
        F("subscriptionRef", maxLength=24, canonical="Invoice.subscriptionId"),
        F("issueDate", "date", required=True, canonical="Invoice.issueDate"),
        F("dueDate", "date", canonical="Invoice.dueDate"),
        F("currency", required=True, format=ISO_CURRENCY, maxLength=3,
          canonical="Invoice.currency"),
        F("subtotal", "decimal"),
        F("taxAmount", "decimal", canonical="Invoice.taxAmount"),
        F("total", "decimal", required=True, canonical="Invoice.totalAmount"),
        F("amountDue", "decimal", canonical="Invoice.amountDue"),
        F("status", "enum", enum=["draft", "open", "paid", "past_due", "void"],
          canonical="Invoice.status"),
    ])
    payment = entity("Payment", "id", "A collection attempt through the payment gateway.", [
        F("id", maxLength=40, canonical="Payment.paymentId"),
        F("accountRef", required=True, maxLength=18, canonical="Payment.customerId"),
        F("invoiceRef", maxLength=24, canonical="Payment.invoiceId"),
        F("amount", "decimal", required=True, canonical="Payment.amount"),
        F("currency", required=True, format=ISO_CURRENCY, maxLength=3,
          canonical="Payment.currency"),
        F("method", "enum", enum=["card", "sepa_debit", "ach", "wire"],
          canonical="Payment.method"),
        F("status", "enum", required=True, enum=["succeeded", "failed", "refunded"],
          canonical="Payment.status"),
        F("failureCode", maxLength=40, description="Gateway decline code, e.g. card_declined",
          canonical="Payment.failureReason"),
        F("createdAt", "datetime", canonical="Payment.receivedAt"),
        F("settledOn", "date", canonical="Payment.valueDate"),
    ])
    return system(
        "billing", "Subscription billing", "billing", "#9467bd",
        "Subscription billing platform: billing accounts, plans, subscriptions, invoices, "
        "payment collection and dunning. System of record for subscriptions, invoices and "
        "payments.",
        (1000, 0), [account, plan, subscription, invoice, payment],
        [profile("sandbox", sandbox=True),
         profile("production", baseUrl="https://billing.example.com/v1", auth="api-key",
                 secret="env:BILLING_API_KEY", rateLimit=50, timeoutMs=10000)])


def support_system():
    organization = entity("Organization", "id", "A customer company in the support desk.", [
        F("id", maxLength=20, description="Support desk organization id"),
        F("externalId", required=True, maxLength=18, description="CRM account id",
          canonical="Customer.customerId"),
        F("name", required=True, maxLength=160, canonical="Customer.name"),
        F("domain", maxLength=120, description="E-mail domain used to match requesters"),
        F("country", format=ISO_COUNTRY, maxLength=2, canonical="Customer.country"),
        F("creditHold", "boolean", description="Shown to agents", canonical="Customer.creditHold"),
    ])
    entitlement = entity("Entitlement", "id", "What support a customer is entitled to.", [
        F("id", maxLength=20, canonical="Entitlement.entitlementId"),
        F("externalRef", required=True, maxLength=24, description="Billing subscription id",
          canonical="Entitlement.subscriptionId"),
        F("organizationRef", required=True, maxLength=18, description="CRM account id",
          canonical="Entitlement.customerId"),
        F("product", required=True, maxLength=40, canonical="Entitlement.product"),
        F("slaTier", "enum", required=True, enum=SUPPORT_TIERS + ["restricted"],
          canonical="Entitlement.slaTier"),
        F("status", "enum", required=True, enum=["active", "restricted", "expired"],
          canonical="Entitlement.status"),
        F("startDate", "date", required=True, canonical="Entitlement.startDate"),
        F("endDate", "date", canonical="Entitlement.endDate"),
    ])
    ticket = entity("Ticket", "id", "A support case.", [
        F("id", maxLength=20, canonical="Case.caseId"),
        F("organizationRef", required=True, maxLength=18, canonical="Case.customerId"),
        F("subject", required=True, maxLength=250, canonical="Case.subject"),
        F("description", maxLength=32000),
        F("priority", "enum", enum=["low", "normal", "high", "urgent"], canonical="Case.priority"),
        F("status", "enum", enum=["new", "open", "pending", "solved", "closed"],
          canonical="Case.status"),
        F("requesterEmail", format="email", maxLength=254, canonical="Contact.email"),
        F("createdAt", "datetime", canonical="Case.openedAt"),
        F("slaDueAt", "datetime", canonical="Case.slaDueAt"),
    ])
    return system(
        "support", "Support desk", "support", "#ff7f0e",
        "Customer support desk: organizations, entitlements and tickets. System of record for "
        "cases.",
        (500, 340), [organization, entitlement, ticket],
        [profile("sandbox", sandbox=True),
         profile("production", baseUrl="https://support.example.com/api/v2", auth="api-key",
                 secret="env:SUPPORT_API_KEY", rateLimit=12.5, timeoutMs=8000)])


# ----------------------------------------------------------------------------------------
# Canonical model and ownership


def canonical_model():
    return [
        canonical("Customer", "A company we sell to; one record across all systems.",
                  "customerId", [
            F("customerId", required=True, maxLength=18,
              description="Global customer id: the CRM account id"),
            F("name", required=True, maxLength=160),
            F("taxId", maxLength=32),
            F("country", required=True, format=ISO_COUNTRY, maxLength=2),
            F("currency", format=ISO_CURRENCY, maxLength=3),
            F("email", format="email", maxLength=254, description="Billing e-mail address"),
            F("segment", "enum", enum=SEGMENTS),
            F("address", "object", fields=address_fields(None)),
            F("erpCustomerNumber", maxLength=12),
            F("billingAccountId", maxLength=24),
            F("paymentTerms", "enum", enum=PAYMENT_TERMS),
            F("creditStatus", "enum", enum=CREDIT_STATUS),
            F("creditLimit", "decimal"),
            F("billingStatus", "enum", enum=BILLING_STATUS),
            F("creditHold", "boolean"),
            F("updatedAt", "datetime"),
        ]),
        canonical("Contact", "A person at a customer.", "contactId", [
            F("contactId", required=True, maxLength=18),
            F("customerId", required=True, maxLength=18),
            F("firstName", maxLength=40),
            F("lastName", required=True, maxLength=80),
            F("email", required=True, format="email", maxLength=254),
            F("phone", maxLength=40),
            F("role", "enum", enum=["billing", "technical", "decision-maker", "other"]),
        ]),
        canonical("Product", "A sellable item or plan.", "sku", [
            F("sku", required=True, maxLength=40),
            F("name", required=True, maxLength=120),
            F("family", "enum", enum=["platform", "add-on", "services", "support"]),
            F("billingType", "enum", enum=BILLING_TYPES),
            F("listPrice", "decimal"),
            F("currency", format=ISO_CURRENCY, maxLength=3),
            F("supportTier", "enum", enum=SUPPORT_TIERS),
        ]),
        canonical("Contract", "Commercial terms agreed on a quote.", "contractId", [
            F("contractId", required=True, maxLength=20),
            F("customerId", required=True, maxLength=18),
            F("startDate", "date"),
            F("endDate", "date"),
            F("termMonths", "integer"),
            F("autoRenew", "boolean"),
            F("totalValue", "decimal"),
            F("currency", format=ISO_CURRENCY, maxLength=3),
        ]),
        canonical("Order", "A booked sales order.", "orderId", [
            F("orderId", required=True, maxLength=20),
            F("externalRef", maxLength=18, description="CRM opportunity id"),
            F("customerId", required=True, maxLength=18),
            F("orderDate", "date", required=True),
            F("currency", required=True, format=ISO_CURRENCY, maxLength=3),
            F("status", "enum", enum=["draft", "released", "on-hold", "fulfilled", "cancelled"]),
            F("totalAmount", "decimal"),
            F("discountPercent", "number"),
            F("lines", "array", items="object", fields=[
                F("sku", maxLength=40),
                F("description", maxLength=255),
                F("quantity", "integer"),
                F("unitPrice", "decimal"),
                F("billingType", "enum", enum=BILLING_TYPES),
            ]),
        ]),
        canonical("Subscription", "A recurring service the customer pays for.", "subscriptionId", [
            F("subscriptionId", required=True, maxLength=24),
            F("customerId", required=True, maxLength=18),
            F("orderId", maxLength=20),
            F("planCode", required=True, maxLength=40),
            F("quantity", "integer"),
            F("status", "enum", enum=["trialing", "active", "past-due", "cancelled"]),
            F("startDate", "date"),
            F("termMonths", "integer"),
            F("autoRenew", "boolean"),
            F("currency", format=ISO_CURRENCY, maxLength=3),
            F("mrr", "decimal"),
        ]),
        canonical("Invoice", "A receivable.", "invoiceId", [
            F("invoiceId", required=True, maxLength=24),
            F("invoiceNumber", required=True, maxLength=32),
            F("customerId", required=True, maxLength=18),
            F("subscriptionId", maxLength=24),
            F("issueDate", "date", required=True),
            F("dueDate", "date"),
            F("currency", required=True, format=ISO_CURRENCY, maxLength=3),
            F("taxAmount", "decimal"),
            F("totalAmount", "decimal", required=True),
            F("amountDue", "decimal"),
            F("status", "enum", enum=["draft", "open", "paid", "past-due", "void"]),
        ]),
        canonical("Payment", "Money received, or an attempt that failed.", "paymentId", [
            F("paymentId", required=True, maxLength=40),
            F("customerId", required=True, maxLength=18),
            F("invoiceId", maxLength=24),
            F("amount", "decimal", required=True),
            F("currency", required=True, format=ISO_CURRENCY, maxLength=3),
            F("method", "enum", enum=["card", "sepa-debit", "ach", "wire"]),
            F("status", "enum", enum=["succeeded", "failed", "refunded"]),
            F("failureReason", maxLength=40),
            F("receivedAt", "datetime"),
            F("valueDate", "date"),
        ]),
        canonical("Entitlement", "Support a customer is entitled to by its subscriptions.",
                  "entitlementId", [
            F("entitlementId", required=True, maxLength=20),
            F("customerId", required=True, maxLength=18),
            F("subscriptionId", required=True, maxLength=24),
            F("product", required=True, maxLength=40),
            F("slaTier", "enum", enum=SUPPORT_TIERS + ["restricted"]),
            F("status", "enum", enum=["active", "restricted", "expired"]),
            F("startDate", "date"),
            F("endDate", "date"),
        ]),
        canonical("Case", "A support request.", "caseId", [
            F("caseId", required=True, maxLength=20),
            F("customerId", required=True, maxLength=18),
            F("subject", required=True, maxLength=250),
            F("priority", "enum", enum=["low", "normal", "high", "urgent"]),
            F("status", "enum", enum=["new", "open", "pending", "solved", "closed"]),
            F("openedAt", "datetime"),
            F("slaDueAt", "datetime"),
        ]),
    ]


SALES_OPS, FINANCE_OPS, SUPPORT_OPS = "Sales Ops", "Finance Ops", "Support Ops"


def ownership_rules():
    return [
        ownership("Customer", owners=["crm"], consumers=["erp", "billing", "support"],
                  steward=SALES_OPS, freshness="within-minutes", freshnessMinutes=15),
        ownership("Customer", "taxId", owners=["erp"], contributors=["crm"],
                  consumers=["crm", "billing", "support"], survivorship="source-priority",
                  priority=["erp", "crm"], steward=FINANCE_OPS, freshness="within-minutes",
                  freshnessMinutes=60),
        ownership("Customer", "email", owners=["crm"], contributors=["billing", "support"],
                  consumers=["erp", "billing", "support"], survivorship="most-recent",
                  steward=SALES_OPS, freshness="within-minutes", freshnessMinutes=15),
        ownership("Customer", "erpCustomerNumber", owners=["erp"],
                  consumers=["crm", "billing"], steward=FINANCE_OPS),
        ownership("Customer", "paymentTerms", owners=["erp"], consumers=["crm", "billing"],
                  steward=FINANCE_OPS, freshness="within-minutes", freshnessMinutes=60),
        ownership("Customer", "creditStatus", owners=["erp"],
                  consumers=["crm", "billing", "support"], steward=FINANCE_OPS),
        ownership("Customer", "creditLimit", owners=["erp"], consumers=["crm"],
                  steward=FINANCE_OPS, freshness="daily-batch"),
        ownership("Customer", "billingAccountId", owners=["billing"], consumers=["crm", "erp"],
                  steward=FINANCE_OPS),
        ownership("Customer", "billingStatus", owners=["billing"],
                  consumers=["crm", "erp", "support"], steward=FINANCE_OPS),
        ownership("Customer", "creditHold", owners=["billing"],
                  consumers=["crm", "erp", "support"], steward=FINANCE_OPS),
        ownership("Contact", owners=["crm"], contributors=["support"],
                  consumers=["billing", "support"], steward=SALES_OPS,
                  freshness="within-minutes", freshnessMinutes=60),
        ownership("Product", owners=["erp"], consumers=["crm", "billing", "support"],
                  steward=FINANCE_OPS, freshness="daily-batch"),
        ownership("Contract", owners=["crm"], consumers=["erp", "billing"], steward=SALES_OPS,
                  freshness="within-minutes", freshnessMinutes=15),
        ownership("Order", owners=["erp"], contributors=["crm"], consumers=["crm", "billing"],
                  steward=FINANCE_OPS),
        ownership("Subscription", owners=["billing"], consumers=["crm", "erp", "support"],
                  steward=FINANCE_OPS),
        ownership("Invoice", owners=["billing"], consumers=["erp", "crm"], steward=FINANCE_OPS),
        ownership("Payment", owners=["billing"], consumers=["erp", "crm"], steward=FINANCE_OPS),
        ownership("Entitlement", owners=["billing"], consumers=["support", "crm"],
                  steward=SUPPORT_OPS),
        ownership("Entitlement", "entitlementId", owners=["support"],
                  consumers=["billing", "crm"], steward=SUPPORT_OPS),
        ownership("Case", owners=["support"], consumers=["crm"], steward=SUPPORT_OPS),
    ]


# ----------------------------------------------------------------------------------------
# Mappings

LINES_EXPR = ('[quote.lines.{ "sku": productCode, "description": description, '
              '"quantity": qty, "unitPrice": price, "billingType": billingType }]')
RECURRING_LINE = '(lines[billingType = "recurring"])[0]'


def mappings():
    return [
        mapping("crm-account-to-customer", "CRM Account to canonical Customer",
                ref("crm", "Account"), ref(None, "Customer"), [
            rule("customerId", "id"),
            rule("name", "$trim(name)"),
            rule("taxId", "$uppercase($replace(taxId, ' ', ''))", condition="$exists(taxId)",
                 description="Normalised: no blanks, upper case"),
            rule("country", "billingAddress.country", valueMap="country-names",
                 description="CRM holds country names; the canonical model ISO 3166 codes"),
            rule("currency", "currency", default="EUR"),
            rule("email", "$lowercase(billingEmail)", condition="$exists(billingEmail)"),
            rule("segment", "segment"),
            rule("address.street", "billingAddress.street"),
            rule("address.city", "billingAddress.city"),
            rule("address.postalCode", "billingAddress.postalCode"),
            rule("address.region", "billingAddress.region"),
            rule("updatedAt", "lastModifiedAt"),
        ], valueMaps=[value_map("country-names", COUNTRY_NAMES)]),
        mapping("customer-to-erp-customer", "Canonical Customer to ERP Customer",
                ref(None, "Customer"), ref("erp", "Customer"), [
            rule("externalRef", "customerId"),
            rule("name", "$substring(name, 0, 80)",
                 description="The ERP keeps 80 characters of the name"),
            rule("taxId", "taxId"),
            rule("country", "country"),
            rule("currency", "currency", default="EUR"),
            rule("address.street", "address.street"),
            rule("address.city", "address.city"),
            rule("address.postalCode", "address.postalCode"),
            rule("address.region", "address.region"),
            rule("invoiceEmail", "email"),
        ]),
        mapping("opportunity-to-erp-sales-order", "CRM Opportunity and Quote to ERP Sales Order",
                ref("crm", "Opportunity"), ref("erp", "SalesOrder"), [
            rule("externalRef", "id"),
            rule("customerRef", "accountId"),
            rule("orderDate", "closeDate", default="1970-01-01",
                 description="Deals without close date are caught by validation first"),
            rule("currency", "quote.currency"),
            rule("status", "stage", valueMap="stage-to-order-status"),
            rule("totalAmount", "amount"),
            rule("discountPercent", "quote.discountPercent", default=0),
            rule("lines", LINES_EXPR, description="Each quote line becomes an order line"),
        ], condition='stage = "closed-won"',
                valueMaps=[value_map("stage-to-order-status", [
                    ("closed-won", "released"), ("negotiation", "draft"), ("proposal", "draft"),
                    ("closed-lost", "cancelled")], fallback="draft")]),
        mapping("customer-to-billing-account", "Canonical Customer to Billing Account",
                ref(None, "Customer"), ref("billing", "BillingAccount"), [
            rule("externalKey", "customerId"),
            rule("name", "name"),
            rule("currency", "currency", default="EUR"),
            rule("billingEmail", "email"),
            rule("country", "country"),
            rule("taxId", "taxId"),
        ]),
        mapping("erp-sales-order-to-billing-subscription",
                "ERP Sales Order to Billing Subscription",
                ref("erp", "SalesOrder"), ref("billing", "Subscription"), [
            rule("accountRef", "customerRef"),
            rule("orderRef", "orderNumber"),
            rule("planCode", RECURRING_LINE + ".sku"),
            rule("quantity", RECURRING_LINE + ".quantity"),
            rule("status", default="active"),
            rule("startDate", "orderDate"),
            rule("termMonths", default=12),
            rule("autoRenew", default=True),
            rule("currency", "currency"),
        ], condition='$count(lines[billingType = "recurring"]) > 0'),
        mapping("billing-invoice-to-crm-account", "Billing Invoice to CRM billing status",
                ref("billing", "Invoice"), ref("crm", "Account"), [
            rule("id", "accountRef"),
            rule("billingStatus", "status", valueMap="invoice-status"),
            rule("lastInvoiceNumber", "number"),
            rule("lastInvoiceDate", "issueDate"),
        ], condition='status != "draft"',
                valueMaps=[value_map("invoice-status", [
                    ("open", "invoiced"), ("paid", "current"), ("past_due", "past-due")],
                    fallback="current")]),
        mapping("billing-account-to-crm-credit-flag", "Billing Account to CRM credit flag",
                ref("billing", "BillingAccount"), ref("crm", "Account"), [
            rule("id", "externalKey"),
            rule("creditHold", 'status in ["past_due", "suspended"] or collectionsHold = true'),
            rule("billingStatus", "status", valueMap="billing-account-status"),
        ], valueMaps=[value_map("billing-account-status", [
            ("current", "current"), ("past_due", "past-due"), ("suspended", "suspended"),
            ("closed", "suspended")])]),
        mapping("subscription-to-support-entitlement", "Billing Subscription to Support Entitlement",
                ref("billing", "Subscription"), ref("support", "Entitlement"), [
            rule("externalRef", "id"),
            rule("organizationRef", "accountRef"),
            rule("product", "planCode"),
            rule("slaTier", 'status = "past_due" ? "restricted" : supportTier',
                 default="standard",
                 description="A customer with a failed payment keeps support, restricted"),
            rule("status", "status", valueMap="subscription-status"),
            rule("startDate", "startDate"),
        ], valueMaps=[value_map("subscription-status", [
            ("trialing", "active"), ("active", "active"), ("past_due", "restricted"),
            ("cancelled", "expired")], fallback="active")]),
        mapping("erp-customer-to-crm-account", "ERP Customer to CRM Account (finance fields)",
                ref("erp", "Customer"), ref("crm", "Account"), [
            rule("id", "externalRef"),
            rule("erpCustomerNumber", "customerNumber"),
            rule("taxId", "taxId"),
            rule("paymentTerms", "paymentTerms"),
            rule("creditStatus", "creditStatus"),
            rule("creditLimit", "creditLimit"),
        ]),
        mapping("billing-invoice-to-erp-invoice", "Billing Invoice to ERP receivable",
                ref("billing", "Invoice"), ref("erp", "Invoice"), [
            rule("sourceInvoiceNumber", "number"),
            rule("customerRef", "accountRef"),
            rule("postingDate", "issueDate"),
            rule("dueDate", "dueDate"),
            rule("currency", "currency"),
            rule("netAmount", "total - taxAmount"),
            rule("taxAmount", "taxAmount", default=0),
            rule("grossAmount", "total"),
            rule("status", default="open"),
        ], condition='status in ["open", "paid", "past_due"]'),
        mapping("billing-payment-to-erp-payment", "Billing Payment to ERP cash receipt",
                ref("billing", "Payment"), ref("erp", "Payment"), [
            rule("sourcePaymentId", "id"),
            rule("customerRef", "accountRef"),
            rule("invoiceRef", "invoiceRef"),
            rule("amount", "amount"),
            rule("currency", "currency"),
            rule("valueDate", "settledOn"),
            rule("method", "method", valueMap="payment-method"),
        ], condition='status = "succeeded"',
                valueMaps=[value_map("payment-method", [
                    ("card", "card"), ("sepa_debit", "sepa-debit"), ("ach", "ach"),
                    ("wire", "wire")])]),
    ]


# ----------------------------------------------------------------------------------------
# Workflows

X = 220  # horizontal spacing of steps


def call(id, name, col, row, system_, entity_, method, path, mapping_=None, key=None,
         timeout=10000, attempts=5, business=(400, 409, 422), transient=None, output=None,
         compensation=None):
    return step(id, name, "call", (col * X, row), system=system_, entity=entity_, method=method,
                path=path, mapping=mapping_, idempotencyKey=key, timeoutMs=timeout,
                retry=retry(attempts), transientStatuses=list(transient or []),
                businessErrorStatuses=list(business), compensation=compensation, output=output)


def lookup(id, name, col, row, system_, entity_, path, output, timeout=5000):
    return step(id, name, "lookup", (col * X, row), system=system_, entity=entity_,
                method="GET", path=path, timeoutMs=timeout,
                retry=retry(3, initialBackoffMs=250, maxBackoffMs=10000),
                businessErrorStatuses=[404], output=output)


def workflows():
    erp_locked = [423]  # the ERP answers 423 while a record is locked by a user
    closed_won = workflow(
        "closed-won-to-cash", "Closed-won to cash",
        "When an opportunity is won: create the customer and the sales order in the ERP, the "
        "subscription in billing, wait for the first invoice, report the billing status to "
        "the CRM and open the support entitlement. Deals above 20 % discount need deal desk "
        "approval first.",
        "hub-orchestration",
        trigger("webhook", system="crm", entity="Opportunity",
                eventId='id & "@" & lastModifiedAt', correlation="id",
                filter='stage = "closed-won"', deadLetter="dlq",
                # The CRM signs each webhook; the runner reads the secret from its env.
                auth=hmac_auth("env:Q2C_WEBHOOK_SECRET")),
        [
            step("validate-opportunity", "Validate opportunity", "validate", (1 * X, 0),
                 rules=['stage = "closed-won"', "$exists(accountId)",
                        "$count(quote.lines) > 0",
                        "quote.currency = currency",
                        "amount > 0"],
                 checkSchema=True, checkOwnership=True),
            step("discount-check", "Discount above 20 %?", "branch", (2 * X, 0)),
            step("approve-discount", "Deal desk approval", "approve", (3 * X, -160),
                 role="Deal Desk", escalationMs=4 * 3600 * 1000, escalateTo="Sales Ops"),
            lookup("lookup-account", "Read CRM account", 4, 0, "crm", "Account",
                   "/accounts/{accountId}", "account"),
            step("map-customer", "Map to canonical Customer", "map", (5 * X, 0),
                 mapping="crm-account-to-customer", output="customer"),
            # The ERP owns verified tax ids and invoices need one: the same check as the
            # customer master sync makes before it writes an ERP customer.
            step("validate-customer", "Check customer master data", "validate", (6 * X, 0),
                 rules=["$exists(taxId)", "$length(country) = 2"], checkSchema=True),
            call("erp-customer-upsert", "Upsert ERP customer", 7, 0, "erp", "Customer", "PUT",
                 "/customers/by-external-ref/{customerId}", "customer-to-erp-customer",
                 key='"erp-cust-" & customerId', timeout=20000, transient=erp_locked,
                 output="erpCustomer"),
            call("erp-sales-order", "Create ERP sales order", 8, 0, "erp", "SalesOrder", "POST",
                 "/sales-orders", "opportunity-to-erp-sales-order",
                 key='"erp-so-" & id', timeout=20000, transient=erp_locked,
                 output="salesOrder", compensation="cancel-erp-order"),
            call("billing-account-upsert", "Upsert billing account", 9, 0, "billing",
                 "BillingAccount", "PUT", "/accounts/by-external-key/{customerId}", "customer-to-billing-account",
                 key='"ba-" & customerId', output="billingAccount"),
            call("billing-subscription", "Create subscription", 10, 0, "billing", "Subscription",
                 "POST", "/subscriptions", "erp-sales-order-to-billing-subscription",
                 key='"sub-" & orderNumber', output="subscription"),
            step("wait-invoice", "Wait for first invoice", "wait", (11 * X, 0),
                 output="invoice", topic="billing.invoice.issued", correlation="subscription.id",
                 matchField="subscriptionRef", waitTimeoutMs=24 * 3600 * 1000),
            call("crm-billing-status", "Update CRM billing status", 12, 0, "crm", "Account",
                 "PATCH", "/accounts/{accountRef}", "billing-invoice-to-crm-account",
                 key='"crm-bs-" & id'),
            call("support-entitlement", "Open support entitlement", 13, 0, "support",
                 "Entitlement", "POST", "/entitlements", "subscription-to-support-entitlement",
                 key='"ent-" & subscription.id', timeout=8000),
            step("cancel-erp-order", "Cancel ERP sales order", "compensate", (8 * X, 160),
                 system="erp", entity="SalesOrder", method="POST",
                 path="/sales-orders/{orderNumber}/cancel",
                 idempotencyKey='"erp-so-cancel-" & orderNumber', timeoutMs=20000,
                 retry=retry(8), businessErrorStatuses=[409],
                 compensates="erp-sales-order"),
            step("invoice-missing", "Alert: no invoice after 24 h", "publish", (12 * X, 160),
                 topic="q2c.invoice.missing"),
        ],
        [
            edge("trigger", "validate-opportunity"),
            edge("validate-opportunity", "discount-check"),
            edge("discount-check", "approve-discount", condition="quote.discountPercent > 20",
                 label="discount > 20 %"),
            edge("discount-check", "lookup-account",
                 condition="$not(quote.discountPercent > 20)", label="standard discount"),
            edge("approve-discount", "lookup-account", label="approved"),
            edge("lookup-account", "map-customer"),
            edge("map-customer", "validate-customer"),
            edge("validate-customer", "erp-customer-upsert"),
            edge("erp-customer-upsert", "erp-sales-order"),
            edge("erp-sales-order", "billing-account-upsert"),
            edge("billing-account-upsert", "billing-subscription"),
            edge("billing-subscription", "wait-invoice"),
            edge("wait-invoice", "crm-billing-status", label="invoice issued"),
            edge("wait-invoice", "invoice-missing", kind="on-timeout", label="24 h passed"),
            edge("crm-billing-status", "support-entitlement"),
        ])

    payment_failure = workflow(
        "payment-failure-to-credit-hold", "Payment failure to credit hold",
        "A failed payment flags the customer in the CRM, restricts the support entitlement "
        "and tells everyone else through an event.",
        "event-driven",
        trigger("event", system="billing", entity="Payment", topic="billing.payment.failed",
                eventId="id", correlation="accountRef", deadLetter="dlq"),
        [
            lookup("lookup-billing-account", "Read billing account", 1, 0, "billing",
                   "BillingAccount", "/accounts/by-external-key/{accountRef}", "billingAccount"),
            call("crm-credit-flag", "Flag CRM account", 2, 0, "crm", "Account", "PATCH",
                 "/accounts/{externalKey}", "billing-account-to-crm-credit-flag",
                 key='"crm-credit-" & externalKey & "-" & $$.id'),
            lookup("lookup-subscription", "Read active subscription", 3, 0, "billing",
                   "Subscription", "/subscriptions?accountRef={accountRef}&status=past_due",
                   "subscription"),
            call("support-sla-downgrade", "Restrict support entitlement", 4, 0, "support",
                 "Entitlement", "PATCH", "/entitlements/by-external-ref/{id}",
                 "subscription-to-support-entitlement",
                 key='"ent-restrict-" & id & "-" & $$.id', timeout=8000),
            step("publish-credit-hold", "Publish credit hold", "publish", (5 * X, 0),
                 topic="customer.credit-hold.set"),
        ],
        [
            edge("trigger", "lookup-billing-account"),
            edge("lookup-billing-account", "crm-credit-flag"),
            edge("crm-credit-flag", "lookup-subscription"),
            edge("lookup-subscription", "support-sla-downgrade"),
            edge("support-sla-downgrade", "publish-credit-hold"),
        ])

    not_echo = 'lastModifiedBy != "integration@switchboard"'
    master_sync = workflow(
        "customer-master-sync", "Customer master sync",
        "Two-way customer sync between CRM and ERP. Each side sends only the fields it owns "
        "(ownership and survivorship decide); changes made by the integration user are not "
        "sent back (echo suppression, loop guard on both flows).",
        "event-driven",
        trigger("event", topic="customer.changed", eventId="id", correlation="data.customerId",
                deadLetter="dlq"),
        [
            step("route-by-source", "Which side changed?", "branch", (1 * X, 0)),
            step("map-crm-customer", "Map CRM account to Customer", "map", (2 * X, -120),
                 mapping="crm-account-to-customer", output="customer"),
            step("check-survivorship", "Ownership and survivorship", "validate", (3 * X, -120),
                 rules=["$exists(customerId)", "$length(country) = 2",
                        "$exists(taxId)"],
                 checkSchema=True, checkOwnership=True),
            call("upsert-erp-customer", "Upsert ERP customer", 4, -120, "erp", "Customer", "PUT",
                 "/customers/by-external-ref/{customerId}", "customer-to-erp-customer",
                 key='"erp-cust-" & customerId & "-" & updatedAt', timeout=20000,
                 transient=erp_locked),
            lookup("lookup-erp-customer", "Read ERP customer", 2, 120, "erp", "Customer",
                   "/customers/{data.customerNumber}", "erpCustomer", timeout=10000),
            call("patch-crm-account", "Update CRM finance fields", 4, 120, "crm", "Account",
                 "PATCH", "/accounts/{externalRef}", "erp-customer-to-crm-account",
                 key='"crm-fin-" & externalRef & "-" & changedAt'),
            step("publish-synced", "Publish customer synced", "publish", (5 * X, 0),
                 topic="customer.synced"),
        ],
        [
            edge("trigger", "route-by-source"),
            edge("route-by-source", "map-crm-customer",
                 condition='source = "crm" and data.' + not_echo, label="changed in CRM"),
            edge("route-by-source", "lookup-erp-customer",
                 condition='source = "erp" and data.changedBy != "INTEGRATION"',
                 label="changed in ERP"),
            edge("map-crm-customer", "check-survivorship"),
            edge("check-survivorship", "upsert-erp-customer"),
            edge("lookup-erp-customer", "patch-crm-account"),
            edge("upsert-erp-customer", "publish-synced"),
            edge("patch-crm-account", "publish-synced"),
        ])

    nightly = workflow(
        "nightly-reconciliation", "Nightly reconciliation",
        "Every night: posts the day's invoices and settled payments from billing to the ERP "
        "(catch-up for anything the real-time flows missed) and checks the CRM accounts "
        "against the ERP customers.",
        "batch",
        trigger("schedule", schedule="0 2 * * *", deadLetter="dlq"),
        [
            lookup("fetch-billing-invoices", "Invoices issued yesterday", 1, 0, "billing",
                   "Invoice", "/invoices?issuedOn={$yesterday}", "invoices", timeout=30000),
            call("post-erp-invoices", "Post receivables", 2, 0, "erp", "Invoice", "POST",
                 "/invoices", "billing-invoice-to-erp-invoice", key='"erp-inv-" & id',
                 timeout=30000, transient=erp_locked),
            lookup("fetch-billing-payments", "Payments settled yesterday", 3, 0, "billing",
                   "Payment", "/payments?settledOn={$yesterday}", "payments", timeout=30000),
            call("post-erp-payments", "Post cash receipts", 4, 0, "erp", "Payment", "POST",
                 "/payments", "billing-payment-to-erp-payment", key='"erp-pay-" & id',
                 timeout=30000, transient=erp_locked),
            lookup("fetch-crm-accounts", "CRM accounts", 5, 0, "crm", "Account",
                   "/accounts?modifiedSince={$lastRun}", "crmAccounts", timeout=60000),
            lookup("fetch-erp-customers", "ERP customers", 6, 0, "erp", "Customer",
                   "/customers?changedSince={$lastRun}", "erpCustomers", timeout=60000),
            step("check-completeness", "Every account has a customer", "validate", (7 * X, 0),
                 rules=["$count(crmAccounts) > 0",
                        "$count(crmAccounts[$not(id in $$.erpCustomers.externalRef)]) = 0"]),
            step("publish-report", "Publish reconciliation report", "publish", (8 * X, 0),
                 topic="q2c.reconciliation.completed"),
            step("publish-mismatches", "Publish mismatches for Finance Ops", "publish",
                 (8 * X, 160), topic="q2c.reconciliation.mismatches"),
        ],
        [
            edge("trigger", "fetch-billing-invoices"),
            edge("fetch-billing-invoices", "post-erp-invoices"),
            edge("post-erp-invoices", "fetch-billing-payments"),
            edge("fetch-billing-payments", "post-erp-payments"),
            edge("post-erp-payments", "fetch-crm-accounts"),
            edge("fetch-crm-accounts", "fetch-erp-customers"),
            edge("fetch-erp-customers", "check-completeness"),
            edge("check-completeness", "publish-report"),
            edge("check-completeness", "publish-mismatches", kind="on-error",
                 label="mismatches found"),
        ])
    return [closed_won, payment_failure, master_sync, nightly]


def flows():
    return [
        flow("crm-erp-customer", "crm", "erp", "Customer", "customer-to-erp-customer",
             "customer-master-sync", mode="event", loopGuard=True,
             label="Customer master data"),
        flow("erp-crm-customer", "erp", "crm", "Customer", "erp-customer-to-crm-account",
             "customer-master-sync", mode="event", loopGuard=True,
             label="Credit, terms, verified tax id"),
        flow("crm-erp-order", "crm", "erp", "Order", "opportunity-to-erp-sales-order",
             "closed-won-to-cash", label="Closed-won deals"),
        flow("crm-billing-customer", "crm", "billing", "Customer", "customer-to-billing-account",
             "closed-won-to-cash", label="Billing accounts"),
        flow("erp-billing-subscription", "erp", "billing", "Subscription",
             "erp-sales-order-to-billing-subscription", "closed-won-to-cash",
             label="Subscriptions from orders"),
        flow("billing-crm-invoice", "billing", "crm", "Invoice", "billing-invoice-to-crm-account",
             "closed-won-to-cash", mode="event", label="Billing status"),
        flow("billing-support-entitlement", "billing", "support", "Entitlement",
             "subscription-to-support-entitlement", "closed-won-to-cash",
             label="Support entitlements"),
        flow("billing-crm-payment", "billing", "crm", "Payment",
             "billing-account-to-crm-credit-flag", "payment-failure-to-credit-hold",
             mode="event", label="Failed payments: credit flag"),
        flow("billing-erp-invoice", "billing", "erp", "Invoice", "billing-invoice-to-erp-invoice",
             "nightly-reconciliation", mode="batch", label="Receivables"),
        flow("billing-erp-payment", "billing", "erp", "Payment", "billing-payment-to-erp-payment",
             "nightly-reconciliation", mode="batch", label="Cash receipts"),
    ]


# ----------------------------------------------------------------------------------------
# Sample data

COUNTRIES = [
    # iso, CRM names (first is the usual one), currency, weight, tax id style
    ("DE", ["Germany", "Germany", "Germany", "Deutschland"], "EUR", 16, "de"),
    ("US", ["United States", "United States", "USA"], "USD", 16, "us"),
    ("GB", ["United Kingdom", "United Kingdom", "UK"], "GBP", 10, "gb"),
    ("FR", ["France"], "EUR", 8, "fr"),
    ("NL", ["Netherlands"], "EUR", 6, "nl"),
    ("CH", ["Switzerland"], "CHF", 4, "ch"),
    ("AT", ["Austria", "Österreich"], "EUR", 4, "at"),
    ("SE", ["Sweden"], "SEK", 4, "se"),
    ("ES", ["Spain"], "EUR", 4, "es"),
    ("IT", ["Italy"], "EUR", 4, "it"),
    ("BE", ["Belgium"], "EUR", 3, "be"),
    ("DK", ["Denmark"], "DKK", 3, "dk"),
    ("IE", ["Ireland"], "EUR", 3, "ie"),
    ("PL", ["Poland"], "PLN", 3, "pl"),
    ("CA", ["Canada"], "CAD", 4, "ca"),
    ("AU", ["Australia"], "AUD", 3, "au"),
    ("JP", ["Japan"], "JPY", 2, "jp"),
    ("FI", ["Finland"], "EUR", 2, "fi"),
    ("NO", ["Norway"], "NOK", 2, "no"),
    ("PT", ["Portugal"], "EUR", 2, "pt"),
]

CITIES = {
    "DE": [("Berlin", "10115", "Berlin"), ("München", "80331", "Bayern"),
           ("Hamburg", "20095", "Hamburg"), ("Köln", "50667", "Nordrhein-Westfalen"),
           ("Stuttgart", "70173", "Baden-Württemberg"), ("Düsseldorf", "40213", "Nordrhein-Westfalen"),
           ("Leipzig", "04109", "Sachsen"), ("Frankfurt am Main", "60311", "Hessen")],
    "US": [("New York", "10001", "NY"), ("Austin", "78701", "TX"), ("Chicago", "60601", "IL"),
           ("Seattle", "98101", "WA"), ("Boston", "02108", "MA"), ("Denver", "80202", "CO"),
           ("Atlanta", "30303", "GA"), ("San Francisco", "94105", "CA")],
    "GB": [("London", "EC2A 4NE", "Greater London"), ("Manchester", "M1 1AE", "Greater Manchester"),
           ("Bristol", "BS1 4DJ", "Bristol"), ("Leeds", "LS1 4AP", "West Yorkshire"),
           ("Edinburgh", "EH2 2ER", "Scotland")],
    "FR": [("Paris", "75002", "Île-de-France"), ("Lyon", "69002", "Auvergne-Rhône-Alpes"),
           ("Toulouse", "31000", "Occitanie"), ("Nantes", "44000", "Pays de la Loire")],
    "NL": [("Amsterdam", "1012 AB", "Noord-Holland"), ("Rotterdam", "3011 AD", "Zuid-Holland"),
           ("Utrecht", "3511 AX", "Utrecht"), ("Eindhoven", "5611 AZ", "Noord-Brabant")],
    "CH": [("Zürich", "8001", "ZH"), ("Basel", "4051", "BS"), ("Genève", "1201", "GE")],
    "AT": [("Wien", "1010", "Wien"), ("Graz", "8010", "Steiermark"), ("Linz", "4020", "Oberösterreich")],
    "SE": [("Stockholm", "111 22", "Stockholms län"), ("Göteborg", "411 05", "Västra Götaland"),
           ("Malmö", "211 20", "Skåne")],
    "ES": [("Madrid", "28013", "Madrid"), ("Barcelona", "08002", "Cataluña"),
           ("Valencia", "46002", "Valencia")],
    "IT": [("Milano", "20121", "Lombardia"), ("Roma", "00184", "Lazio"), ("Torino", "10121", "Piemonte")],
    "BE": [("Brussels", "1000", "Brussels"), ("Antwerpen", "2000", "Antwerpen"), ("Gent", "9000", "Oost-Vlaanderen")],
    "DK": [("København", "1050", "Hovedstaden"), ("Aarhus", "8000", "Midtjylland")],
    "IE": [("Dublin", "D02 X285", "Leinster"), ("Cork", "T12 W8F2", "Munster")],
    "PL": [("Warszawa", "00-001", "Mazowieckie"), ("Kraków", "30-001", "Małopolskie"),
           ("Wrocław", "50-001", "Dolnośląskie")],
    "CA": [("Toronto", "M5H 2N2", "ON"), ("Vancouver", "V6B 1A1", "BC"), ("Montréal", "H2Y 1C6", "QC")],
    "AU": [("Sydney", "2000", "NSW"), ("Melbourne", "3000", "VIC"), ("Brisbane", "4000", "QLD")],
    "JP": [("Tokyo", "100-0005", "Tokyo"), ("Osaka", "530-0001", "Osaka")],
    "FI": [("Helsinki", "00100", "Uusimaa"), ("Tampere", "33100", "Pirkanmaa")],
    "NO": [("Oslo", "0150", "Oslo"), ("Bergen", "5003", "Vestland")],
    "PT": [("Lisboa", "1100-148", "Lisboa"), ("Porto", "4000-322", "Porto")],
}

STREETS = {
    "DE": ["Hauptstraße", "Bahnhofstraße", "Industriestraße", "Schillerstraße", "Gartenweg"],
    "AT": ["Mariahilfer Straße", "Landstraße", "Herrengasse"],
    "CH": ["Bahnhofstrasse", "Seestrasse", "Hauptstrasse"],
    "FR": ["Rue de Rivoli", "Avenue de la République", "Rue Victor Hugo"],
    "NL": ["Keizersgracht", "Herengracht", "Stationsplein"],
    "ES": ["Calle Mayor", "Gran Vía", "Calle de Alcalá"],
    "IT": ["Via Roma", "Corso Italia", "Via Garibaldi"],
    "SE": ["Drottninggatan", "Kungsgatan", "Storgatan"],
    "DK": ["Strøget", "Vesterbrogade"],
    "PL": ["ul. Marszałkowska", "ul. Długa"],
    "NO": ["Karl Johans gate", "Storgata"],
    "FI": ["Mannerheimintie", "Hämeenkatu"],
    "PT": ["Rua Augusta", "Avenida da Liberdade"],
    "BE": ["Rue Neuve", "Meir"],
}
DEFAULT_STREETS = ["Main Street", "Market Street", "King Street", "Park Avenue", "Harbour Road",
                   "Station Road", "Queen Street"]

NAME_STEMS = [
    "Nordlicht", "Bergmann", "Atlas", "Helix", "Quantum", "Silverline", "Bluewater", "Kestrel",
    "Aurora", "Granite", "Polaris", "Meridian", "Vektor", "Lindqvist", "Fjord", "Alpenblick",
    "Rheinland", "Havel", "Brightwell", "Oakridge", "Redstone", "Ironbridge", "Larkspur",
    "Cobalt", "Saffron", "Tidewater", "Pinecrest", "Westbrook", "Northgate", "Solaris",
    "Vantage", "Cedar", "Harbor", "Summit", "Falcon", "Orion", "Zenith", "Lumen", "Sterling",
    "Beacon", "Müller", "Schäfer", "Dubois", "Lefèvre", "Van Dijk", "Janssen", "Rossi",
    "García", "Nakamura", "Kowalski", "Andersen", "Virtanen", "Novak", "O'Brien",
]
NAME_WORDS = [
    "Logistics", "Analytics", "Systems", "Software", "Robotics", "Health", "Energy", "Foods",
    "Maschinenbau", "Logistik", "Medien", "Finance", "Retail", "Labs", "Networks", "Mobility",
    "Pharma", "Textiles", "Media", "Capital", "Digital", "Engineering", "Solutions", "Partners",
]
LEGAL_FORMS = {
    "DE": ["GmbH", "AG", "GmbH & Co. KG"], "AT": ["GmbH", "AG"], "CH": ["AG", "GmbH", "SA"],
    "US": ["Inc.", "LLC", "Corp."], "GB": ["Ltd", "plc", "Limited"], "FR": ["SAS", "SA", "SARL"],
    "NL": ["B.V.", "N.V."], "SE": ["AB"], "ES": ["S.L.", "S.A."], "IT": ["S.p.A.", "S.r.l."],
    "BE": ["NV", "SA", "BV"], "DK": ["A/S", "ApS"], "IE": ["Ltd", "DAC"], "PL": ["Sp. z o.o.", "S.A."],
    "CA": ["Inc.", "Ltd."], "AU": ["Pty Ltd"], "JP": ["K.K.", "Co., Ltd."], "FI": ["Oy", "Oyj"],
    "NO": ["AS", "ASA"], "PT": ["Lda.", "S.A."],
}
INDUSTRY_FOR_WORD = {
    "Logistics": "logistics", "Logistik": "logistics", "Mobility": "logistics",
    "Analytics": "software", "Systems": "software", "Software": "software", "Labs": "software",
    "Networks": "software", "Digital": "software", "Solutions": "software",
    "Robotics": "manufacturing", "Maschinenbau": "manufacturing", "Engineering": "manufacturing",
    "Textiles": "manufacturing", "Energy": "manufacturing",
    "Health": "healthcare", "Pharma": "healthcare", "Foods": "retail", "Retail": "retail",
    "Medien": "media", "Media": "media", "Finance": "financial-services",
    "Capital": "financial-services", "Partners": "financial-services",
}

# EUR list prices; other currencies via a fixed rate table.
CATALOG = [
    ("PLAT-STD", "Platform Standard, annual per seat", "recurring", 480, "standard"),
    ("PLAT-PRO", "Platform Professional, annual per seat", "recurring", 840, "premium"),
    ("PLAT-ENT", "Platform Enterprise, annual per seat", "recurring", 1320, "enterprise"),
    ("ADD-ANALYTICS", "Analytics add-on, annual per seat", "recurring", 180, None),
    ("ADD-SSO", "Single sign-on add-on, annual per seat", "recurring", 60, None),
    ("SUP-PREMIUM", "Premium support, annual", "recurring", 2400, None),
    ("SVC-ONBOARD", "Onboarding package", "one-time", 4500, None),
    ("SVC-TRAINING", "Training day (remote)", "one-time", 1800, None),
]
RATES = {"EUR": 1.0, "USD": 1.08, "GBP": 0.86, "CHF": 0.96, "SEK": 11.4, "DKK": 7.46,
         "PLN": 4.3, "CAD": 1.47, "AUD": 1.63, "JPY": 168.0, "NOK": 11.6}

BASE_DAY = date(2024, 6, 14)


def money(x, currency):
    return float(round(x)) if currency == "JPY" else round(x, 2)


def price_in(eur, currency):
    p = eur * RATES[currency]
    return float(round(p)) if currency in ("JPY", "SEK", "NOK", "DKK") else round(p, 2)


def timestamp(day, rng):
    t = datetime(day.year, day.month, day.day, rng.randrange(7, 19), rng.randrange(60),
                 rng.randrange(60), tzinfo=timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def tax_id(style, rng):
    d = lambda n: "".join(str(rng.randrange(10)) for _ in range(n))  # noqa: E731
    return {
        "de": lambda: "DE" + d(9), "at": lambda: "ATU" + d(8), "fr": lambda: "FR" + d(11),
        "nl": lambda: "NL" + d(9) + "B01", "gb": lambda: "GB" + d(9),
        "us": lambda: d(2) + "-" + d(7), "ch": lambda: "CHE-" + d(3) + "." + d(3) + "." + d(3),
        "se": lambda: "SE" + d(10) + "01", "es": lambda: "ESB" + d(8), "it": lambda: "IT" + d(11),
        "be": lambda: "BE0" + d(9), "dk": lambda: "DK" + d(8), "ie": lambda: "IE" + d(7) + "A",
        "pl": lambda: "PL" + d(10), "ca": lambda: d(9) + "RT0001", "au": lambda: d(11),
        "jp": lambda: "T" + d(13), "fi": lambda: "FI" + d(8), "no": lambda: "NO" + d(9) + "MVA",
        "pt": lambda: "PT" + d(9),
    }[style]()


def crm_id(prefix, n):
    return "%s5g00000%08d" % (prefix, n)


def generate_accounts(rng):
    weighted = [c for c in COUNTRIES for _ in range(c[3])]
    accounts, names = [], set()
    n = 0
    while len(accounts) < 216:
        iso, names_for, currency, _, style = rng.choice(weighted)
        word = rng.choice(NAME_WORDS)
        name = "%s %s %s" % (rng.choice(NAME_STEMS), word, rng.choice(LEGAL_FORMS[iso]))
        if name in names:
            continue
        names.add(name)
        n += 1
        city, postal, region = rng.choice(CITIES[iso])
        street = "%s %d" % (rng.choice(STREETS.get(iso, DEFAULT_STREETS)), rng.randrange(1, 180))
        if iso in ("US", "GB", "CA", "AU", "IE", "JP"):
            street = "%d %s" % (rng.randrange(1, 900), rng.choice(DEFAULT_STREETS))
        domain = "".join(ch for ch in name.split(" ")[0].lower() if ch.isascii() and ch.isalnum())
        domain = (domain or "company") + "-" + word.lower() + ".example"
        segment = rng.choices(SEGMENTS, weights=[5, 3, 2])[0]
        revenue = {"smb": 4e6, "mid-market": 60e6, "enterprise": 900e6}[segment]
        modified = BASE_DAY - timedelta(days=rng.randrange(0, 400))
        accounts.append({
            "id": crm_id("001", n),
            "name": name,
            "taxId": tax_id(style, rng),
            "industry": INDUSTRY_FOR_WORD.get(word, "software"),
            "segment": segment,
            "currency": currency,
            "billingEmail": "billing@" + domain,
            "billingAddress": {"street": street, "city": city, "postalCode": postal,
                               "region": region, "country": rng.choice(names_for)},
            "annualRevenue": money(revenue * rng.uniform(0.3, 2.5), currency),
            "lastModifiedAt": timestamp(modified, rng),
            "lastModifiedBy": rng.choice(["j.weber", "m.dupont", "s.chen", "a.kowalski",
                                          "l.garcia", "integration@switchboard"]),
        })
    # Deliberately bad records (documented in the data set description).
    bad_no_tax = accounts[41]
    del bad_no_tax["taxId"]
    bad_country = accounts[87]
    bad_country["billingAddress"]["country"] = "XX"
    original = accounts[17]
    duplicate = json.loads(json.dumps(original))
    n += 1
    duplicate["id"] = crm_id("001", n)
    duplicate["billingEmail"] = "accounts.payable@" + original["billingEmail"].split("@")[1]
    duplicate["lastModifiedBy"] = "import-2023-tradefair"
    accounts.append(duplicate)
    return accounts, {"noTax": bad_no_tax, "badCountry": bad_country, "original": original,
                      "duplicate": duplicate}


def make_quote(rng, account, n, close_day):
    currency = account["currency"]
    tier = rng.choices(["PLAT-STD", "PLAT-PRO", "PLAT-ENT"], weights=[5, 4, 2])[0]
    seats = {"smb": (5, 40), "mid-market": (25, 250), "enterprise": (150, 2000)}[account["segment"]]
    qty = rng.randrange(*seats)
    lines = []
    by_sku = {c[0]: c for c in CATALOG}

    def add(sku, quantity):
        code, text, billing, eur, _ = by_sku[sku]
        lines.append({"productCode": code, "description": text, "qty": quantity,
                      "price": price_in(eur, currency), "billingType": billing})

    add(tier, qty)
    if rng.random() < 0.45:
        add("ADD-ANALYTICS", max(1, qty // rng.choice([1, 2, 4])))
    if rng.random() < 0.3:
        add("ADD-SSO", qty)
    if tier != "PLAT-STD" and rng.random() < 0.35:
        add("SUP-PREMIUM", 1)
    if rng.random() < 0.5:
        add("SVC-ONBOARD", 1)
    if rng.random() < 0.25:
        add("SVC-TRAINING", rng.randrange(1, 4))
    discount = float(rng.choice([0, 0, 0, 5, 5, 10, 10, 15, 20, 25, 30]))
    gross = sum(l["qty"] * l["price"] for l in lines)
    start = close_day + timedelta(days=rng.choice([1, 7, 14, 30]))
    quote = {
        "id": crm_id("0Q0", n),
        "number": "Q-%06d" % (100000 + n),
        "currency": currency,
        "discountPercent": discount,
        "termMonths": rng.choice([12, 12, 12, 24, 36]),
        "startDate": start.isoformat(),
        "lines": lines,
    }
    return quote, money(gross * (1 - discount / 100.0), currency)


def generate_opportunities(rng, accounts):
    stages = ["prospecting", "qualification", "proposal", "negotiation", "closed-won",
              "closed-lost"]
    probability = {"prospecting": 10, "qualification": 20, "proposal": 50, "negotiation": 75,
                   "closed-won": 100, "closed-lost": 0}
    opportunities = []
    for n in range(1, 321):
        account = rng.choice(accounts)
        stage = rng.choices(stages, weights=[2, 2, 3, 3, 7, 3])[0]
        if stage.startswith("closed"):
            close_day = BASE_DAY - timedelta(days=rng.randrange(0, 200))
        else:
            close_day = BASE_DAY + timedelta(days=rng.randrange(7, 120))
        quote, amount = make_quote(rng, account, n, close_day)
        product = quote["lines"][0]["description"].split(",")[0]
        opportunities.append({
            "id": crm_id("006", n),
            "name": "%s – %s" % (account["name"], product),
            "accountId": account["id"],
            "stage": stage,
            "amount": amount,
            "currency": quote["currency"],
            "closeDate": close_day.isoformat(),
            "probability": probability[stage],
            "quote": quote,
            "lastModifiedAt": timestamp(min(close_day, BASE_DAY), rng),
        })
    # Deliberately bad: amount typed in EUR into a USD opportunity of a euro customer.
    wrong = next(o for o in opportunities[120:] if o["currency"] == "EUR"
                 and o["stage"] == "closed-won")
    wrong["currency"] = "USD"
    return opportunities, wrong


def generate_erp_customers(rng, accounts, bad):
    iso_of = dict(COUNTRY_NAMES)
    customers = []
    n = 100200
    skipped = []
    mismatched = []
    for i, a in enumerate(accounts):
        if a is bad["duplicate"] or a is bad["badCountry"]:
            continue  # never made it to the ERP: rejected by validation
        if i % 23 == 5:
            skipped.append(a["id"])  # not yet synced: "missing in ERP"
            continue
        n += rng.randrange(1, 9)
        addr = a["billingAddress"]
        record = {
            "customerNumber": "C-%d" % n,
            "externalRef": a["id"],
            "name": a["name"][:80],
        }
        if "taxId" in a:
            record["taxId"] = a["taxId"]
        record.update({
            "country": iso_of[addr["country"]],
            "currency": a["currency"],
            "address": {"street": addr["street"], "city": addr["city"],
                        "postalCode": addr["postalCode"], "region": addr["region"]},
            "invoiceEmail": a["billingEmail"],
            "paymentTerms": rng.choices(PAYMENT_TERMS, weights=[1, 6, 2, 1])[0],
            "creditStatus": rng.choices(CREDIT_STATUS, weights=[18, 2, 1])[0],
            "creditLimit": money(rng.choice([10, 25, 50, 100, 250, 500]) * 1000.0
                                 * RATES[a["currency"]], a["currency"]),
            "blocked": False,
            "changedAt": a["lastModifiedAt"],
            "changedBy": rng.choice(["FIN_AR01", "FIN_AR02", "INTEGRATION"]),
        })
        if i % 37 == 11:  # field mismatches for the reconciliation to find
            record["name"] = record["name"].replace(" Ltd", " Limited").replace(" GmbH", " G.m.b.H.")
            if record["name"] == a["name"][:80]:
                record["name"] = record["name"].upper()
            mismatched.append(a["id"])
        if i % 41 == 20:
            record["address"]["city"] = record["address"]["city"] + " (old address)"
            mismatched.append(a["id"])
        customers.append(record)
    # A customer created directly in the ERP (no CRM account) and a double entry.
    customers.append({
        "customerNumber": "C-%d" % (n + 11), "externalRef": "0015g00000ERPONLY",
        "name": "Walk-in Services Kunde GmbH", "taxId": "DE811907980", "country": "DE",
        "currency": "EUR", "address": {"street": "Lagerstraße 4", "city": "Hamburg",
                                       "postalCode": "20457", "region": "Hamburg"},
        "paymentTerms": "NET15", "creditStatus": "watch", "creditLimit": 5000.0,
        "blocked": False, "changedAt": "2024-05-02T09:14:00Z", "changedBy": "FIN_AR02",
    })
    double = json.loads(json.dumps(customers[30]))
    double["customerNumber"] = "C-%d" % (n + 23)
    double["changedBy"] = "FIN_AR01"
    customers.append(double)
    return customers, skipped, mismatched, double


def generate_billing(rng, accounts, opportunities):
    by_id = {a["id"]: a for a in accounts}
    invoices, payments = [], []
    won = [o for o in opportunities if o["stage"] == "closed-won"
           and o["currency"] == o["quote"]["currency"]][:24]
    for k, o in enumerate(won, start=1):
        a = by_id[o["accountId"]]
        recurring = sum(l["qty"] * l["price"] for l in o["quote"]["lines"]
                        if l["billingType"] == "recurring")
        subtotal = money(recurring * (1 - o["quote"]["discountPercent"] / 100.0) / 12.0,
                         o["currency"])
        tax = money(subtotal * 0.19, o["currency"]) if a["currency"] == "EUR" else 0.0
        issue = date.fromisoformat(o["quote"]["startDate"])
        status = rng.choices(["open", "paid", "past_due"], weights=[5, 12, 3])[0]
        total = money(subtotal + tax, o["currency"])
        invoices.append({
            "id": "in_%06d" % (4200 + k),
            "number": "INV-2024-%05d" % (1000 + k),
            "accountRef": a["id"],
            "subscriptionRef": "sub_%06d" % (700 + k),
            "issueDate": issue.isoformat(),
            "dueDate": (issue + timedelta(days=30)).isoformat(),
            "currency": o["currency"],
            "subtotal": subtotal,
            "taxAmount": tax,
            "total": total,
            "amountDue": 0.0 if status == "paid" else total,
            "status": status,
        })
    pay_n = 0
    for inv in invoices:
        attempts = {"paid": ["succeeded"], "past_due": ["failed", "failed"],
                    "open": ["failed"] if rng.random() < 0.3 else []}[inv["status"]]
        if inv["status"] == "paid" and rng.random() < 0.25:
            attempts = ["failed", "succeeded"]
        day = date.fromisoformat(inv["issueDate"])
        for status in attempts:
            pay_n += 1
            day += timedelta(days=rng.randrange(1, 6))
            method = rng.choice(["card", "card", "sepa_debit"]
                                if inv["currency"] == "EUR" else ["card", "ach", "wire"])
            p = {"id": "py_%08d" % (31000 + pay_n), "accountRef": inv["accountRef"],
                 "invoiceRef": inv["id"], "amount": inv["total"], "currency": inv["currency"],
                 "method": method, "status": status}
            if status == "failed":
                p["failureCode"] = rng.choice(["card_declined", "insufficient_funds",
                                               "expired_card"])
            p["createdAt"] = timestamp(day, rng)
            if status == "succeeded":
                p["settledOn"] = (day + timedelta(days=2)).isoformat()
            payments.append(p)
    return invoices, payments


def write_jsonl(path, records):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n")


# ----------------------------------------------------------------------------------------
# Self-check: the design rules the example promises to satisfy.


def find_path(fields, path):
    level, found = fields, None
    for seg in path.split("."):
        seg = seg[:-2] if seg.endswith("[]") else seg
        if level is None:
            return None
        found = next((f for f in level if f["name"] == seg), None)
        if found is None:
            return None
        level = found.get("fields")
    return found


def check(project):
    errors = []
    systems = {s["id"]: s for s in project["systems"]}
    canon = {c["id"]: c for c in project["canonical"]}
    rules = {(r["entity"], r.get("field", "")): r for r in project["ownership"]}

    def entity_fields(r):
        if r.get("system"):
            s = systems.get(r["system"])
            e = s and next((e for e in s["entities"] if e["name"] == r["entity"]), None)
            return e and e["fields"]
        c = canon.get(r["entity"])
        return c and c["fields"]

    def owner_rule(link):
        ent, _, fld = link.partition(".")
        top = fld.split(".")[0]
        return rules.get((ent, fld)) or rules.get((ent, top)) or rules.get((ent, ""))

    def walk(fields, prefix=""):
        for f in fields:
            yield prefix + f["name"], f
            yield from walk(f.get("fields", []), prefix + f["name"] + ".")

    # every canonical field: exactly one owner; every ownership rule refers to real things
    for c in project["canonical"]:
        for path, _ in walk(c["fields"]):
            r = owner_rule(c["id"] + "." + path)
            if not r or len(r.get("owners", [])) != 1:
                errors.append("ownership: %s.%s has no single owner" % (c["id"], path))
    for r in project["ownership"]:
        if r["entity"] not in canon or (r.get("field") and not find_path(canon[r["entity"]]["fields"], r["field"])):
            errors.append("ownership: unknown %s" % r)
        for sid in r.get("owners", []) + r.get("contributors", []) + r.get("consumers", []) + r.get("priority", []):
            if sid not in systems:
                errors.append("ownership: unknown system %s" % sid)
    # canonical links resolve and have the same type
    for s in project["systems"]:
        for e in s["entities"]:
            for path, f in walk(e["fields"]):
                link = f.get("canonical")
                if not link:
                    continue
                ent, _, fld = link.partition(".")
                target = ent in canon and find_path(canon[ent]["fields"], fld)
                if not target:
                    errors.append("canonical link %s.%s.%s -> %s unknown" % (s["id"], e["name"], path, link))
                elif target["type"] != f["type"]:
                    errors.append("canonical link %s.%s.%s type %s vs %s" % (s["id"], e["name"], path, f["type"], target["type"]))
    # mappings
    for m in project["mappings"]:
        src, tgt = entity_fields(m["source"]), entity_fields(m["target"])
        if src is None or tgt is None:
            errors.append("mapping %s: unknown source or target" % m["id"])
            continue
        vms = {v["name"] for v in m.get("valueMaps", [])}
        mapped = set()
        for r in m["rules"]:
            tf = find_path(tgt, r["target"])
            mapped.add(r["target"].split(".")[0])
            if not tf:
                errors.append("mapping %s: unknown target %s" % (m["id"], r["target"]))
                continue
            if r.get("valueMap") and r["valueMap"] not in vms:
                errors.append("mapping %s: unknown value map %s" % (m["id"], r["valueMap"]))
            expr = r.get("expression", "")
            if expr and all(ch.isalnum() or ch == "." for ch in expr):
                sf = find_path(src, expr)
                if not sf:
                    errors.append("mapping %s: unknown source path %s" % (m["id"], expr))
                elif sf["type"] != tf["type"] and not r.get("valueMap"):
                    errors.append("mapping %s: %s (%s) <- %s (%s)" % (m["id"], r["target"], tf["type"], expr, sf["type"]))
            if m["target"].get("system") and tf.get("canonical"):
                orule = owner_rule(tf["canonical"])
                sysid = m["target"]["system"]
                if not orule or (sysid not in orule.get("owners", []) and sysid not in orule.get("consumers", [])):
                    errors.append("mapping %s writes %s into %s which neither owns nor consumes %s"
                                  % (m["id"], r["target"], sysid, tf["canonical"]))
        for f in tgt:
            if f.get("required") and f["name"] not in mapped:
                errors.append("mapping %s: required %s unmapped" % (m["id"], f["name"]))
    # workflows
    maps = {m["id"]: m for m in project["mappings"]}
    for w in project["workflows"]:
        steps = {s["id"]: s for s in w["steps"]}
        t = w["trigger"]
        if t["type"] in ("webhook", "event") and not t.get("deadLetter"):
            errors.append("workflow %s: no dead letter" % w["id"])
        if t["type"] == "webhook" and t.get("auth", {}).get("type") not in ("hmac-sha256",
                                                                            "bearer"):
            errors.append("workflow %s: unsigned webhook" % w["id"])
        for s in w["steps"]:
            if s.get("system") and s["system"] not in systems:
                errors.append("step %s: unknown system" % s["id"])
            if s.get("mapping"):
                m = maps.get(s["mapping"])
                if not m:
                    errors.append("step %s: unknown mapping" % s["id"])
                elif s["type"] == "call" and (m["target"].get("system") != s["system"] or m["target"]["entity"] != s["entity"]):
                    errors.append("step %s: mapping target differs from the call" % s["id"])
            if s["type"] in ("call", "lookup"):
                if not s.get("timeoutMs") or not s.get("retry", {}).get("maxAttempts"):
                    errors.append("step %s: no timeout or retry" % s["id"])
                if s.get("method") in ("POST", "PATCH", "PUT") and not s.get("idempotencyKey"):
                    errors.append("step %s: no idempotency key" % s["id"])
            for k in ("compensation", "compensates"):
                if s.get(k) and s[k] not in steps:
                    errors.append("step %s: unknown %s" % (s["id"], k))
        reach, todo = set(), ["trigger"]
        while todo:
            cur = todo.pop()
            for e in w["edges"]:
                if e["from"] == cur and e["to"] not in reach:
                    reach.add(e["to"])
                    todo.append(e["to"])
            if cur in steps and steps[cur].get("compensation"):
                reach.add(steps[cur]["compensation"])
        for s in w["steps"]:
            if s["id"] not in reach:
                errors.append("workflow %s: %s unreachable" % (w["id"], s["id"]))
    workflows_ = {w["id"]: w for w in project["workflows"]}
    pairs = {}
    for f in project["flows"]:
        if f.get("mapping") and f["mapping"] not in maps:
            errors.append("flow %s: unknown mapping" % f["id"])
        if f.get("workflow") and f["workflow"] not in workflows_:
            errors.append("flow %s: unknown workflow" % f["id"])
        if f.get("entity") not in canon:
            errors.append("flow %s: unknown entity" % f["id"])
        pairs[(f["from"], f["to"], f.get("entity"))] = f
    for (a, b, ent), f in pairs.items():
        back = pairs.get((b, a, ent))
        if back and not (f.get("loopGuard") and back.get("loopGuard")):
            errors.append("flows %s/%s: two-way without loop guard" % (f["id"], back["id"]))
    for s in project["systems"]:
        for p in s.get("profiles", []):
            if p.get("secret") and not p["secret"].startswith("env:"):
                errors.append("profile %s/%s: literal secret" % (s["id"], p["name"]))
    if errors:
        sys.exit("generate.py: the design breaks its own rules:\n  " + "\n  ".join(errors))


# ----------------------------------------------------------------------------------------


def project_test(test_id, name, record, outcome, **more):
    """`record` is a key of the opportunities data set, or a whole record (dict) inline."""
    test = {"id": test_id, "name": name, "workflow": "closed-won-to-cash"}
    if isinstance(record, dict):
        test["input"] = record
    else:
        test.update({"dataset": "crm-opportunities", "record": record})
    if more.pop("approve_all", False):
        test["approveAll"] = True
    expect = {"outcome": outcome}
    expect.update(more)
    test["expect"] = expect
    return test


def variant(record, **changes):
    """A copy of `record` with top-level changes; a value of None removes the key."""
    out = json.loads(json.dumps(record))
    for key, value in changes.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = value
    return out


def project_tests(opportunities, bad, wrong_currency_id):
    """What `switchboard-run test` checks on every change: one record per path, each kind
    of bad record, and values at paths of the mapping outputs."""
    good = next(o for o in opportunities if o["id"] == "0065g0000000000002")
    no_lines = variant(good, id="0065g0000000009001")
    no_lines["quote"]["lines"] = []
    return [
        project_test("won-deal-is-booked-and-billed", "A won deal is booked in the ERP and billed",
                     "0065g0000000000002", "completed",
                     values=[{"expression": "erpCustomer.name", "equals": "Vantage Health B.V."},
                             {"expression": "erpCustomer.country", "equals": "NL"},
                             {"expression": "$exists(subscription)", "equals": True}]),
        project_test("big-discount-waits-for-approval", "A discount above 20 % waits for approval",
                     "0065g0000000000003", "waiting", step="approve-discount"),
        project_test("approved-discount-completes", "An approved discount goes through",
                     "0065g0000000000003", "completed", approve_all=True),
        project_test("wrong-currency-is-dead-lettered",
                     "A quote in another currency than its deal is stopped",
                     wrong_currency_id, "dead-lettered", step="validate-opportunity",
                     reason="quote\\.currency = currency"),
        project_test("open-deal-is-filtered", "A deal that is not won starts nothing",
                     "0065g0000000000001", "filtered"),
        project_test("lost-deal-is-filtered", "A lost deal starts nothing",
                     variant(good, id="0065g0000000009002", stage="closed-lost"), "filtered"),
        project_test("deal-without-lines-is-dead-lettered", "A quote without lines is stopped",
                     no_lines, "dead-lettered", step="validate-opportunity",
                     reason="quote\\.lines"),
        project_test("zero-amount-is-dead-lettered", "A deal worth nothing is stopped",
                     variant(good, id="0065g0000000009003", amount=0), "dead-lettered",
                     step="validate-opportunity", reason="amount > 0"),
        project_test("deal-without-account-is-dead-lettered", "A deal without an account is stopped",
                     variant(good, id="0065g0000000009004", accountId=None), "dead-lettered",
                     step="validate-opportunity", reason="accountId"),
        project_test("unknown-account-is-dead-lettered",
                     "A deal whose account the CRM does not know is stopped",
                     variant(good, id="0065g0000000009005", accountId="0015g0000000009999"),
                     "dead-lettered", step="lookup-account", reason="404"),
        project_test("account-without-tax-id-is-dead-lettered",
                     "An account without a tax id is not sent to the ERP",
                     variant(good, id="0065g0000000009006", accountId=bad["noTax"]["id"]),
                     "dead-lettered", step="validate-customer", reason="taxId"),
        project_test("account-with-unknown-country-is-dead-lettered",
                     "An account with an unknown country code stops at the mapping",
                     variant(good, id="0065g0000000009007", accountId=bad["badCountry"]["id"]),
                     "dead-lettered", step="map-customer",
                     reason="no entry for \"XX\""),
        project_test("won-deal-maps-order-and-subscription",
                     "A won deal's sales order and subscription carry the quote",
                     "0065g0000000000002", "completed",
                     values=[{"expression": "salesOrder.externalRef",
                              "equals": "0065g0000000000002"},
                             {"expression": "salesOrder.currency", "equals": "EUR"},
                             {"expression": "salesOrder.totalAmount", "equals": good["amount"]},
                             {"expression": "$count(salesOrder.lines)",
                              "equals": len(good["quote"]["lines"])},
                             {"expression": "subscription.planCode", "equals": "PLAT-STD"},
                             {"expression": "subscription.quantity", "equals": 78}]),
    ]


def main():
    rng = random.Random(SEED)
    accounts, bad = generate_accounts(rng)
    opportunities, wrong_currency = generate_opportunities(rng, accounts)
    erp_customers, skipped, mismatched, erp_double = generate_erp_customers(rng, accounts, bad)
    invoices, payments = generate_billing(rng, accounts, opportunities)
    failed = sum(1 for p in payments if p["status"] == "failed")
    iso_of = dict(COUNTRY_NAMES)
    countries = len({iso_of[a["billingAddress"]["country"]] for a in accounts
                     if a["billingAddress"]["country"] in iso_of})

    os.makedirs(DATA_DIR, exist_ok=True)
    write_jsonl(os.path.join(DATA_DIR, "crm-accounts.jsonl"), accounts)
    write_jsonl(os.path.join(DATA_DIR, "crm-opportunities.jsonl"), opportunities)
    write_jsonl(os.path.join(DATA_DIR, "erp-customers.jsonl"), erp_customers)
    write_jsonl(os.path.join(DATA_DIR, "billing-invoices.jsonl"), invoices)
    write_jsonl(os.path.join(DATA_DIR, "billing-payments.jsonl"), payments)

    datasets = [
        dataset("crm-accounts", "CRM accounts", "crm", "Account", "data/crm-accounts.jsonl",
                "%d accounts in %d countries. Deliberately bad records: %s (%s) has no tax id; "
                "%s (%s) has the unknown country code \"XX\"; %s is a duplicate of %s (same "
                "name and tax id, different id, from a trade fair import)."
                % (len(accounts), countries, bad["noTax"]["id"], bad["noTax"]["name"],
                   bad["badCountry"]["id"], bad["badCountry"]["name"], bad["duplicate"]["id"],
                   bad["original"]["id"])),
        dataset("crm-opportunities", "CRM opportunities with quotes", "crm", "Opportunity",
                "data/crm-opportunities.jsonl",
                "%d opportunities, each with its primary quote and lines (platform seats, "
                "add-ons, services). Deliberately bad: %s has currency USD while its quote and "
                "its account are in EUR (the amount was typed in the wrong currency)."
                % (len(opportunities), wrong_currency["id"])),
        dataset("erp-customers", "ERP customers", "erp", "Customer", "data/erp-customers.jsonl",
                "%d ERP customers for the reconciliation: %d CRM accounts are not in the ERP yet "
                "(plus the two rejected bad accounts), %d records differ in name or city, "
                "0015g00000ERPONLY exists only in the ERP and %s is entered twice (%s)."
                % (len(erp_customers), len(skipped), len(mismatched),
                   erp_double["externalRef"], erp_double["customerNumber"])),
        dataset("billing-invoices", "Billing invoices", "billing", "Invoice",
                "data/billing-invoices.jsonl",
                "%d first invoices of won deals (open, paid and past due): the events the "
                "closed-won workflow waits for." % len(invoices)),
        dataset("billing-payments", "Billing payments", "billing", "Payment",
                "data/billing-payments.jsonl",
                "%d payment attempts, %d of them failed (card declined, insufficient funds, "
                "expired card): input for the payment-failure workflow." % (len(payments), failed)),
    ]

    project = {
        "format": "switchboard-project",
        "version": 2,
        "name": "Quote-to-Cash",
        "description": (
            "Bundled example: a SaaS company sells subscriptions. Sales closes deals in the "
            "CRM, finance books orders and receivables in the ERP, the billing platform "
            "invoices and collects, and the support desk serves customers according to their "
            "entitlements. Hub-and-spoke over a canonical model, with ownership per field, "
            "a two-way customer sync with loop guards, and sample data with known defects. "
            "Regenerate with templates/quote-to-cash/generate.py."),
        "systems": [crm_system(), erp_system(), billing_system(), support_system()],
        "canonical": canonical_model(),
        "ownership": ownership_rules(),
        "mappings": mappings(),
        "workflows": workflows(),
        "flows": flows(),
        "slas": [sla("closed-won-to-order", "Closed-won to ERP order", "closed-won-to-cash",
                     "trigger", "erp-sales-order", 15)],
        "reconciliations": [reconciliation(
            "crm-accounts-vs-erp-customers", "CRM accounts vs ERP customers",
            ref("crm", "Account"), ref("erp", "Customer"), "id", "externalRef",
            [("name", "name"), ("taxId", "taxId"), ("currency", "currency"),
             ("billingEmail", "invoiceEmail"), ("billingAddress.city", "address.city"),
             ("billingAddress.postalCode", "address.postalCode")],
            "30 2 * * *")],
        "datasets": datasets,
        "tests": project_tests(opportunities, bad, wrong_currency["id"]),
    }
    check(project)
    text = json.dumps(project, indent=2, ensure_ascii=False) + "\n"
    with open(PROJECT_FILE, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    print("wrote %s: %d systems, %d canonical entities, %d ownership rules, %d mappings, "
          "%d workflows, %d flows; data: %d accounts, %d opportunities, %d ERP customers, "
          "%d invoices, %d payments"
          % (os.path.relpath(PROJECT_FILE), len(project["systems"]), len(project["canonical"]),
             len(project["ownership"]), len(project["mappings"]), len(project["workflows"]),
             len(project["flows"]), len(accounts), len(opportunities), len(erp_customers),
             len(invoices), len(payments)))


if __name__ == "__main__":
    main()
