// Schema importers on fixtures: OpenAPI (YAML and JSON), JSON Schema, sample JSON, CSV,
// malformed inputs, and a large generated OpenAPI document.
#include "runtime/import/schemaimport.h"

#include <QtTest>

using namespace sb;
using namespace sb::runtime;
using model::Entity;
using model::Field;
using model::FieldType;

namespace {

const QString kData = QStringLiteral(SWITCHBOARD_TEST_DATA "/import/");

SchemaSource load(const QString &file)
{
    auto s = SchemaSource::load(kData + file);
    if (!s.ok())
        qFatal("%s", qPrintable(s.error().toString()));
    return s.takeValue();
}

Entity importOne(const QString &file, const QString &name)
{
    auto e = load(file).importSchema(name);
    if (!e.ok())
        qFatal("%s", qPrintable(e.error().toString()));
    return e.takeValue();
}

const Field &fieldOf(const QVector<Field> &fields, const QString &name)
{
    for (const Field &f : fields)
        if (f.name == name)
            return f;
    qFatal("no field %s", qPrintable(name));
    return fields.first();
}

QStringList names(const QVector<Field> &fields)
{
    QStringList out;
    for (const Field &f : fields)
        out << f.name;
    return out;
}

Error parseError(const QByteArray &text, const QString &name)
{
    auto s = SchemaSource::parse(text, name);
    return s.ok() ? Error() : s.error();
}

} // namespace

class TestImport : public QObject
{
    Q_OBJECT
private slots:
    void openApiYamlList()
    {
        const SchemaSource src = load("shop.yaml");
        QCOMPARE(int(src.kind()), int(SchemaSourceKind::OpenApi));
        const auto list = src.list();
        QStringList listed;
        for (const SchemaSummary &s : list)
            listed << s.name;
        QCOMPARE(listed, QStringList({"Base", "Status", "Money", "Order", "OrderLine",
                                      "Category", "Card", "BankTransfer", "Payment"}));
        QCOMPARE(list[3].description, QStringLiteral("A customer order."));
        QCOMPARE(list[3].propertyCount, 14); // 2 from Base + 12 own
        QVERIFY(!list[1].isObject);          // the enum
    }

    void openApiYamlOrder()
    {
        const Entity order = importOne("shop.yaml", "Order");
        QCOMPARE(order.name, QStringLiteral("Order"));
        QCOMPARE(order.key, QStringLiteral("id"));
        QCOMPARE(names(order.fields).mid(0, 4),
                 QStringList({"id", "createdAt", "orderKey", "status"}));
        // allOf: Base's fields merged; id is read-only, so never required
        const Field &id = fieldOf(order.fields, "id");
        QCOMPARE(id.format, QStringLiteral("uuid"));
        QVERIFY(!id.required);
        QVERIFY(id.description.contains("Read-only"));
        QCOMPARE(int(fieldOf(order.fields, "createdAt").type), int(FieldType::DateTime));
        const Field &key = fieldOf(order.fields, "orderKey");
        QVERIFY(key.required);
        QCOMPARE(key.maxLength, 20);
        const Field &status = fieldOf(order.fields, "status");
        QCOMPARE(int(status.type), int(FieldType::Enum));
        QCOMPARE(status.enumValues, QStringList({"draft", "open", "closed"}));
        QVERIFY(status.required);
        QCOMPARE(status.description, QStringLiteral("Lifecycle of an order."));
        QCOMPARE(int(fieldOf(order.fields, "orderDate").type), int(FieldType::Date));
        QCOMPARE(int(fieldOf(order.fields, "total").type), int(FieldType::Decimal));
        QCOMPARE(int(fieldOf(order.fields, "quantity").type), int(FieldType::Integer));
        QVERIFY(fieldOf(order.fields, "quantity").format.isEmpty());
        QCOMPARE(int(fieldOf(order.fields, "weight").type), int(FieldType::Number));
        const Field &note = fieldOf(order.fields, "note");
        QVERIFY(!note.required);
        QVERIFY(note.description.contains("Nullable"));
        QCOMPARE(fieldOf(order.fields, "email").format, QStringLiteral("email"));

        const Field &lines = fieldOf(order.fields, "lines");
        QCOMPARE(int(lines.type), int(FieldType::Array));
        QCOMPARE(int(lines.itemType), int(FieldType::Object));
        QVERIFY(lines.required);
        QCOMPARE(names(lines.fields), QStringList({"sku", "quantity", "price"}));
        QVERIFY(fieldOf(lines.fields, "sku").required);
        QVERIFY(!fieldOf(lines.fields, "price").required);
        QCOMPARE(int(fieldOf(lines.fields, "price").type), int(FieldType::Decimal));
        QCOMPARE(int(fieldOf(lines.fields, "quantity").type), int(FieldType::Integer));

        const Field &tags = fieldOf(order.fields, "tags");
        QCOMPARE(int(tags.itemType), int(FieldType::String));
        QVERIFY(tags.fields.isEmpty());

        const Field &shipTo = fieldOf(order.fields, "shipTo");
        QCOMPARE(int(shipTo.type), int(FieldType::Object));
        QCOMPARE(names(shipTo.fields), QStringList({"street", "city"}));
        QVERIFY(fieldOf(shipTo.fields, "city").required);

        // oneOf: union of the options' properties, all optional, noted in the description
        const Field &payment = fieldOf(order.fields, "payment");
        QCOMPARE(int(payment.type), int(FieldType::Object));
        QCOMPARE(names(payment.fields), QStringList({"cardNumber", "expires", "iban"}));
        for (const Field &f : payment.fields)
            QVERIFY(!f.required);
        QVERIFY2(payment.description.contains("One of: Card, BankTransfer"),
                 qPrintable(payment.description));
    }

    void openApiCycles()
    {
        const Entity category = importOne("shop.yaml", "Category");
        QCOMPARE(category.key, QStringLiteral("categoryId"));
        const Field &parent = fieldOf(category.fields, "parent");
        QCOMPARE(int(parent.type), int(FieldType::Object));
        QVERIFY(parent.fields.isEmpty());
        QVERIFY(parent.description.contains("Recursive reference to Category"));
        const Field &children = fieldOf(category.fields, "children");
        QCOMPARE(int(children.type), int(FieldType::Array));
        QCOMPARE(int(children.itemType), int(FieldType::Object));
    }

    void openApiImportAllSkipsEnums()
    {
        auto all = load("shop.yaml").importSchemas();
        QVERIFY2(all.ok(), qPrintable(all.error().toString()));
        QStringList got;
        for (const Entity &e : all.value())
            got << e.name;
        QCOMPARE(got, QStringList({"Base", "Order", "OrderLine", "Category", "Card",
                                   "BankTransfer", "Payment"}));
        // Asking for an enum by name is an error that says why.
        auto status = load("shop.yaml").importSchema("Status");
        QVERIFY(!status.ok());
        QVERIFY(status.error().message.contains("not an object schema"));
        auto unknown = load("shop.yaml").importSchema("Nope");
        QVERIFY(!unknown.ok());
        QVERIFY(unknown.error().toString().contains("shop.yaml"));
        QVERIFY(unknown.error().message.contains("'Nope'"));
    }

    void openApiJson()
    {
        const SchemaSource src = load("shop.json");
        QCOMPARE(int(src.kind()), int(SchemaSourceKind::OpenApi));
        const Entity invoice = importOne("shop.json", "Invoice");
        QCOMPARE(invoice.key, QStringLiteral("invoiceId"));
        // a $ref chain CustomerRef -> CustomerRef2 -> Customer
        const Field &customer = fieldOf(invoice.fields, "customer");
        QCOMPARE(int(customer.type), int(FieldType::Object));
        QCOMPARE(names(customer.fields), QStringList({"customerId", "name"}));
        QVERIFY(customer.required);
        // 3.1: type [number, null] is a nullable decimal
        const Field &amount = fieldOf(invoice.fields, "amount");
        QCOMPARE(int(amount.type), int(FieldType::Decimal));
        QVERIFY(amount.description.contains("Nullable"));
        const Field &lines = fieldOf(invoice.fields, "lines");
        QCOMPARE(int(lines.itemType), int(FieldType::Object));
        QCOMPARE(names(lines.fields), QStringList({"description", "amount"}));
    }

    void jsonSchema()
    {
        const SchemaSource src = load("customer.schema.json");
        QCOMPARE(int(src.kind()), int(SchemaSourceKind::JsonSchema));
        QCOMPARE(src.list().size(), 1);
        QCOMPARE(src.list().first().name, QStringLiteral("Customer"));
        auto all = src.importSchemas();
        QVERIFY2(all.ok(), qPrintable(all.error().toString()));
        QCOMPARE(all.value().size(), 1);
        const Entity c = all.value().first();
        QCOMPARE(c.description, QStringLiteral("A customer as the billing system sees it."));
        QCOMPARE(c.key, QStringLiteral("customerKey"));
        QCOMPARE(fieldOf(c.fields, "customerKey").maxLength, 32);
        QVERIFY(fieldOf(c.fields, "name").required);
        const Field &segment = fieldOf(c.fields, "segment");
        QCOMPARE(int(segment.type), int(FieldType::Enum));
        QCOMPARE(segment.enumValues.size(), 3);
        QCOMPARE(int(fieldOf(c.fields, "since").type), int(FieldType::Date));
        const Field &address = fieldOf(c.fields, "address");
        QCOMPARE(int(address.type), int(FieldType::Object));
        QVERIFY(address.required);
        QCOMPARE(fieldOf(address.fields, "country").format, QStringLiteral("iso-country"));
        QVERIFY(fieldOf(address.fields, "country").required);
        const Field &contacts = fieldOf(c.fields, "contacts");
        QCOMPARE(int(contacts.itemType), int(FieldType::Object));
        QCOMPARE(fieldOf(contacts.fields, "email").format, QStringLiteral("email"));
    }

    void sampleRecord()
    {
        const SchemaSource src = load("deal-record.json");
        QCOMPARE(int(src.kind()), int(SchemaSourceKind::SampleJson));
        QCOMPARE(src.list().first().name, QStringLiteral("DealRecord"));
        const Entity d = importOne("deal-record.json", "DealRecord");
        QCOMPARE(d.key, QStringLiteral("dealId"));
        for (const Field &f : d.fields)
            QVERIFY(!f.required); // a single sample proves nothing is required
        QCOMPARE(int(fieldOf(d.fields, "dealId").type), int(FieldType::String));
        QCOMPARE(int(fieldOf(d.fields, "amount").type), int(FieldType::Number));
        QCOMPARE(int(fieldOf(d.fields, "seats").type), int(FieldType::Integer));
        QCOMPARE(int(fieldOf(d.fields, "won").type), int(FieldType::Boolean));
        QCOMPARE(int(fieldOf(d.fields, "closeDate").type), int(FieldType::Date));
        QCOMPARE(int(fieldOf(d.fields, "updatedAt").type), int(FieldType::DateTime));
        QCOMPARE(fieldOf(d.fields, "ownerEmail").format, QStringLiteral("email"));
        QVERIFY(fieldOf(d.fields, "notes").description.contains("null"));
        const Field &account = fieldOf(d.fields, "account");
        QCOMPARE(int(account.type), int(FieldType::Object));
        QCOMPARE(names(account.fields), QStringList({"accountId", "name"}));
        const Field &lines = fieldOf(d.fields, "lines");
        QCOMPARE(int(lines.itemType), int(FieldType::Object));
        // keys of every item merged
        QCOMPARE(names(lines.fields), QStringList({"sku", "quantity", "discount"}));
        QCOMPARE(int(fieldOf(lines.fields, "discount").type), int(FieldType::Number));
        QCOMPARE(int(fieldOf(d.fields, "tags").itemType), int(FieldType::String));
    }

    void csvWithRows()
    {
        const SchemaSource src = load("accounts.csv");
        QCOMPARE(int(src.kind()), int(SchemaSourceKind::Csv));
        const Entity a = importOne("accounts.csv", "Accounts");
        QCOMPARE(names(a.fields), QStringList({"Account Id", "name", "Annual Revenue", "active",
                                               "since", "email"}));
        QCOMPARE(int(fieldOf(a.fields, "Account Id").type), int(FieldType::Integer));
                QCOMPARE(int(fieldOf(a.fields, "name").type), int(FieldType::String));
        QCOMPARE(int(fieldOf(a.fields, "Annual Revenue").type), int(FieldType::Number));
        QCOMPARE(int(fieldOf(a.fields, "active").type), int(FieldType::Boolean));
        QCOMPARE(int(fieldOf(a.fields, "since").type), int(FieldType::Date));
        QCOMPARE(fieldOf(a.fields, "email").format, QStringLiteral("email"));
    }

    void csvSemicolonBom()
    {
        const Entity p = importOne("products.csv", "Products");
        QCOMPARE(names(p.fields), QStringList({"sku", "description", "price", "launched"}));
        QCOMPARE(int(fieldOf(p.fields, "description").type), int(FieldType::String));
        QCOMPARE(int(fieldOf(p.fields, "price").type), int(FieldType::Number)); // "12,50" and "7"
        QCOMPARE(int(fieldOf(p.fields, "launched").type), int(FieldType::Date));
    }

    void csvHeaderOnly()
    {
        const Entity c = importOne("contacts-header.csv", "ContactsHeader");
        QCOMPARE(names(c.fields), QStringList({"id", "first name", "last name", "email"}));
        for (const Field &f : c.fields) {
            QCOMPARE(int(f.type), int(FieldType::String));
            QVERIFY(!f.required);
        }
        QCOMPARE(c.key, QStringLiteral("id"));
    }

    void detectsByContentNotExtension()
    {
        QFile f(kData + "shop.json");
        QVERIFY(f.open(QIODevice::ReadOnly));
        auto s = SchemaSource::parse(f.readAll(), "shop.txt");
        QVERIFY(s.ok());
        QCOMPARE(int(s.value().kind()), int(SchemaSourceKind::OpenApi));
        auto csv = SchemaSource::parse("id;name\n1;x\n", "upload.dat");
        QVERIFY(csv.ok());
        QCOMPARE(int(csv.value().kind()), int(SchemaSourceKind::Csv));
    }

    void brokenYamlHasLine()
    {
        auto s = SchemaSource::load(kData + "broken.yaml");
        QVERIFY(!s.ok());
        QVERIFY(s.error().file.endsWith("broken.yaml"));
        QCOMPARE(s.error().line, 8);
        QVERIFY(s.error().column > 0);
        QVERIFY2(s.error().message.contains("YAML"), qPrintable(s.error().toString()));
    }

    void brokenJsonHasLine()
    {
        auto s = SchemaSource::load(kData + "broken.json");
        QVERIFY(!s.ok());
        QCOMPARE(s.error().line, 4);
        QVERIFY(s.error().column > 0);
        QVERIFY(s.error().message.contains("JSON"));
    }

    void unknownRefHasPointer()
    {
        const SchemaSource src = load("badref.yaml");
        QCOMPARE(src.list().size(), 1); // listing still works
        auto e = src.importSchema("Order");
        QVERIFY(!e.ok());
        const QString text = e.error().toString();
        QCOMPARE(e.error().path,
                 QStringLiteral("#/components/schemas/Order/properties/lines/items"));
        QCOMPARE(e.error().message, QStringLiteral("$ref to unknown schema 'Line'"));
        QVERIFY2(text.contains("badref.yaml:12:"), qPrintable(text));
    }

    void notAnApi()
    {
        auto s = SchemaSource::load(kData + "notapi.yaml");
        QVERIFY(!s.ok());
        QVERIFY(s.error().message.contains("not an OpenAPI 3 document"));
        QVERIFY(!parseError("just some words", "notes.txt").message.isEmpty());
        QVERIFY(parseError(QByteArray("\x00\x01\x02", 3), "x.bin").message.contains("binary"));
        QVERIFY(parseError("", "empty.json").message.contains("empty"));
        QVERIFY(parseError("swagger: '2.0'\n", "old.yaml").message.contains("Swagger"));
        QVERIFY(!SchemaSource::load(kData + "missing.yaml").ok());
    }

    void hostileInputsDoNotCrash()
    {
        const QByteArray inputs[] = {
            "openapi: 3.0.0\ncomponents:\n  schemas:\n    A: 5\n",
            "openapi: 3.0.0\ncomponents:\n  schemas: [1, 2]\n",
            "openapi: 3.0.0\ncomponents:\n  schemas:\n    A:\n      properties: 7\n",
            "openapi: 3.0.0\ncomponents:\n  schemas:\n    A:\n      type: [1]\n",
            "openapi: 3.0.0\ncomponents:\n  schemas:\n    A:\n      $ref: 7\n",
            "openapi: 3.0.0\ncomponents:\n  schemas:\n    A:\n      allOf: {}\n",
            "openapi: 3.0.0\ncomponents:\n  schemas:\n    A:\n"
            "      $ref: '#/components/schemas/A'\n",
            "openapi: 3.0.0\ncomponents:\n  schemas:\n    A:\n      $ref: '#/x/~9'\n",
            "{\"openapi\": 3}",
            "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
            "a: &a [*a, *a]\n",
            "\"unterminated,header\nx,y\n",
        };
        for (const QByteArray &text : inputs) {
            auto s = SchemaSource::parse(text, "hostile.yaml");
            if (!s.ok())
                continue;
            s.value().list();
            // Hostile input: any outcome but a crash, and a failure says why.
            const auto imported = s.value().importSchemas();
            QVERIFY(imported.ok() || !imported.error().message.isEmpty());
        }
        // Deep nesting: a sample record and an allOf tower, 5000 levels each.
        const QByteArray deepSample = QByteArray("{\"a\":").repeated(5000) + "1"
                                      + QByteArray("}").repeated(5000);
        auto sample = SchemaSource::parse(deepSample, "deep.json");
        QVERIFY(sample.ok());
        QVERIFY(sample.value().importSchemas().ok());
        const QByteArray deepSchema = "{\"openapi\":\"3.0.0\",\"components\":{\"schemas\":{\"A\":"
                                      + QByteArray("{\"allOf\":[").repeated(5000) + "{}"
                                      + QByteArray("]}").repeated(5000) + "}}}";
        auto tower = SchemaSource::parse(deepSchema, "tower.json");
        QVERIFY2(tower.ok(), qPrintable(tower.error().toString()));
        auto towerImport = tower.value().importSchemas({"A"});
        QVERIFY(!towerImport.ok());
        QVERIFY(towerImport.error().message.contains("nested more than"));
    }

    void exponentialExpansionIsBounded()
    {
        // A0 refers three times to A1, A1 to A2, ...: 3^30 fields if expanded in full.
        QByteArray text = "openapi: 3.0.0\ncomponents:\n  schemas:\n";
        for (int i = 0; i < 30; ++i) {
            text += QByteArray("    A") + QByteArray::number(i)
                    + ":\n      type: object\n      properties:\n";
            for (const char *p : {"a", "b", "c"})
                text += QByteArray("        ") + p + ": {$ref: '#/components/schemas/A"
                        + QByteArray::number(i + 1) + "'}\n";
        }
        text += "    A30:\n      type: object\n      properties:\n        leaf: {type: string}\n";
        auto src = SchemaSource::parse(text, "exp.yaml");
        QVERIFY(src.ok());
        auto all = src.value().importSchemas();
        QVERIFY2(all.ok(), qPrintable(all.error().toString()));
        QCOMPARE(all.value().size(), 31);
        for (const Entity &e : all.value())
            QVERIFY(countFields(e.fields) < 6000);
    }

    void mergeKeepsCanonicalLinks()
    {
        model::System crm;
        crm.id = QStringLiteral("crm");
        Entity old;
        old.name = QStringLiteral("OrderLine");
        old.key = QStringLiteral("sku");
        Field sku;
        sku.name = QStringLiteral("sku");
        sku.canonical = QStringLiteral("Product.sku");
        old.fields << sku;
        crm.entities << old;
        const Entity line = importOne("shop.yaml", "OrderLine");
        const Entity card = importOne("shop.yaml", "Card");
        const QVector<bool> updated = mergeEntities(crm, {line, card});
        QCOMPARE(updated, QVector<bool>({true, false}));
        QCOMPARE(crm.entities.size(), 2);
        QCOMPARE(crm.entities[0].fields.size(), 3);
        QCOMPARE(crm.entities[0].field("sku")->canonical, QStringLiteral("Product.sku"));
        QCOMPARE(crm.entities[0].key, QStringLiteral("sku")); // kept: no id / *Id in OrderLine
        QCOMPARE(crm.entities[1].name, QStringLiteral("Card"));
    }

    void largeGeneratedDocument()
    {
        // Generated by make_large_openapi.py: 600 objects, 10 enums, chains, allOf, cycles.
        const SchemaSource src = load("large-openapi.yaml");
        QCOMPARE(src.list().size(), 610);
        auto all = src.importSchemas();
        QVERIFY2(all.ok(), qPrintable(all.error().toString()));
        QCOMPARE(all.value().size(), 600);
        // Entity000 refers along its chain ten deep: next.next... reaches Entity009.
        const Entity &first = all.value().first();
        QCOMPARE(first.name, QStringLiteral("Entity000"));
        const Field *f = &fieldOf(first.fields, "next");
        int depth = 1;
        while (f->fields.size() && std::any_of(f->fields.begin(), f->fields.end(),
                                               [](const Field &x) { return x.name == "next"; })) {
            f = &fieldOf(f->fields, "next");
            ++depth;
        }
        QCOMPARE(depth, 9);
        QVERIFY(fieldOf(first.fields, "parent").description.contains("Recursive"));
        QCOMPARE(first.key, QStringLiteral("id"));
        QCOMPARE(int(fieldOf(first.fields, "status").type), int(FieldType::Enum));
    }
};

QTEST_GUILESS_MAIN(TestImport)
#include "tst_import.moc"
