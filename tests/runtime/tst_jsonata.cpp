// Unit tests of the native JSONata engine (runtime/jsonata).
#include "runtime/jsonata/jsonata.h"

#include <QElapsedTimer>
#include <QtTest>

#include <thread>

using namespace sb::jsonata;

namespace {

Value json(const char *text)
{
    Value v;
    parseJson(text, v);
    return v;
}

std::string eval(const std::string &expr, const char *input = "null")
{
    Expression ex = Expression::compile(expr);
    if (!ex.ok())
        return "error " + ex.error().code;
    Result r = ex.evaluate(json(input));
    if (!r.ok)
        return "error " + r.error.code;
    if (r.value.isUndefined())
        return "undefined";
    return toJsonString(r.value);
}

const char *kOrder = R"({"Order": {"id": "Q-1", "lines": [
    {"sku": "A", "qty": 2, "price": 10.5},
    {"sku": "B", "qty": 3, "price": 4},
    {"sku": "A", "qty": 1, "price": 10.5}]}})";

} // namespace

class TstJsonata : public QObject
{
    Q_OBJECT

private slots:
    void syntaxErrorsCarryCodeAndPosition()
    {
        Expression ex = Expression::compile("[1,2}");
        QVERIFY(!ex.ok());
        QCOMPARE(ex.error().code, std::string("S0202"));
        QCOMPARE(ex.error().position, 5);
        QCOMPARE(ex.error().token, std::string("}"));
        QCOMPARE(ex.error().toString(),
                 std::string("error S0202 at position 5: Expected \"]\", got \"}\""));

        QCOMPARE(Expression::compile("\"abc").error().code, std::string("S0101"));
        QCOMPARE(Expression::compile("1 +").error().code, std::string("S0207"));
        QCOMPARE(Expression::compile("foo(").error().code, std::string("S0203"));
        QCOMPARE(Expression::compile("/* open").error().code, std::string("S0106"));
    }

    void runtimeErrors()
    {
        QCOMPARE(eval("'a' + 1"), std::string("error T2001"));
        QCOMPARE(eval("1 < 'a'"), std::string("error T2009"));
        QCOMPARE(eval("$sum('x')"), std::string("error T0412"));
        QCOMPARE(eval("$notAFunction()"), std::string("error T1006"));
        Result r = Expression::compile("$error('boom')").evaluate(Value());
        QVERIFY(!r.ok);
        QCOMPARE(r.error.code, std::string("D3137"));
        QCOMPARE(r.error.message, std::string("boom"));
    }

    void pathsAndSequences()
    {
        QCOMPARE(eval("Order.id", kOrder), std::string("\"Q-1\""));
        QCOMPARE(eval("Order.lines.sku", kOrder), std::string("[\"A\",\"B\",\"A\"]"));
        QCOMPARE(eval("Order.lines[0].sku", kOrder), std::string("\"A\""));
        QCOMPARE(eval("Order.lines[qty>2].sku", kOrder), std::string("\"B\""));
        QCOMPARE(eval("Order.lines[qty>2].sku[]", kOrder), std::string("[\"B\"]"));
        QCOMPARE(eval("Order.missing", kOrder), std::string("undefined"));
        QCOMPARE(eval("**.sku", kOrder), std::string("[\"A\",\"B\",\"A\"]"));
        QCOMPARE(eval("Order.lines#$i[$i=1].qty", kOrder), std::string("3"));
        QCOMPARE(eval("Order.lines@$l.$l.sku[0]", kOrder), std::string("\"A\""));
        QCOMPARE(eval("Order.lines^(>qty).qty", kOrder), std::string("[3,2,1]"));
        QCOMPARE(eval("Order.lines.%.id", kOrder), std::string("[\"Q-1\",\"Q-1\",\"Q-1\"]"));
    }

    void aggregationAndGrouping()
    {
        QCOMPARE(eval("$sum(Order.lines.(qty*price))", kOrder), std::string("43.5"));
        QCOMPARE(eval("Order.lines{sku: $sum(qty)}", kOrder), std::string("{\"A\":3,\"B\":3}"));
        QCOMPARE(eval("$count(Order.lines)", kOrder), std::string("3"));
    }

    void objectKeysKeepInsertionOrder()
    {
        QCOMPARE(eval("{'z': 1, 'a': 2, 'm': 3}"), std::string("{\"z\":1,\"a\":2,\"m\":3}"));
        QCOMPARE(eval("$keys({'b': 1, 'a': 2})"), std::string("[\"b\",\"a\"]"));
        QCOMPARE(eval("$merge([{'b': 1}, {'a': 2}, {'b': 3}])"),
                 std::string("{\"b\":3,\"a\":2}"));
        QCOMPARE(eval("{\"y\": 1, \"x\": 2} ~> |$|{'a': 0}|"),
                 std::string("{\"y\":1,\"x\":2,\"a\":0}"));
    }

    void functionsAndLambdas()
    {
        QCOMPARE(eval("$map([1,2,3], function($v){$v*2})"), std::string("[2,4,6]"));
        QCOMPARE(eval("$filter([1,2,3,4], function($v){$v%2=0})"), std::string("[2,4]"));
        QCOMPARE(eval("$reduce([1,2,3,4], function($a,$b){$a+$b})"), std::string("10"));
        QCOMPARE(eval("($add := function($a){function($b){$a+$b}}; $add(2)(3))"),
                 std::string("5"));
        QCOMPARE(eval("($first5 := $substring(?, 0, 5); $first5('Switchboard'))"),
                 std::string("\"Switc\""));
        QCOMPARE(eval("'hello' ~> $uppercase ~> $substring(1)"), std::string("\"ELLO\""));
        QCOMPARE(eval("$replace('a1b22', /[0-9]+/, '#')"), std::string("\"a#b#\""));
        QCOMPARE(eval("$match('ab12', /([a-z])([0-9])/).groups"),
                 std::string("[\"b\",\"1\"]"));
        QCOMPARE(eval("$lookup({'NEW': 'open'}, 'NEW')"), std::string("\"open\""));
        QCOMPARE(eval("$fromMillis(0)"), std::string("\"1970-01-01T00:00:00.000Z\""));
        QCOMPARE(eval("$toMillis('2018-02-01T09:42:13.123Z')"), std::string("1517478133123"));
        QCOMPARE(eval("$formatNumber(12345.6, '#,###.00')"), std::string("\"12,345.60\""));
        QCOMPARE(eval("$formatInteger(1984, 'I')"), std::string("\"MCMLXXXIV\""));
        QCOMPARE(eval("$x ?? 'default'"), std::string("\"default\""));
        QCOMPARE(eval("0 ?: 'fallback'"), std::string("\"fallback\""));
    }

    // A function where a pattern goes is a custom matcher: it returns {match, start, end,
    // groups, next}; anything else is T1010. A choice of parameterised types is S0402.
    void customMatchersAndSignatureChoices()
    {
        const std::string matcher =
            "($m := function($ch){ $f := function($str, $off){("
            "  $before := $substringBefore($str, $ch);"
            "  $start := $length($before) + ($exists($off) ? $off : 0);"
            "  $end := $start + $length($ch);"
            "  $before != $str ? {'match': $ch, 'start': $start, 'end': $end, 'groups': [],"
            "    'next': function(){ $f($substringAfter($str, $ch), $end) }}"
            "  )} };";
        QCOMPARE(eval(matcher + " $match('a-b-c', $m('-')).index)"), std::string("[1,3]"));
        QCOMPARE(eval(matcher + " $split('a-b-c', $m('-')))"),
                 std::string("[\"a\",\"b\",\"c\"]"));
        QCOMPARE(eval(matcher + " $split('a-b-c', $m('-'), 1))"), std::string("[\"a\"]"));
        QCOMPARE(eval(matcher + " $split('abc', $m('-')))"), std::string("[\"abc\"]"));
        QCOMPARE(eval(matcher + " [$contains('a-b', $m('-')), $contains('ab', $m('-'))])"),
                 std::string("[true,false]"));
        QCOMPARE(eval("$split('some text', $uppercase)"), std::string("error T1010"));
        QCOMPARE(eval("$match('some text', $uppercase)"), std::string("error T1010"));
        QCOMPARE(eval("λ($arr)<(sa<n>)>>{$arr}([[1]])"), std::string("error S0402"));
    }

    // Paths over one item, builtins called with arguments as given, $round, $split and
    // date pictures each have a fast path: these pin the results it must keep.
    void fastPathsKeepResults()
    {
        QCOMPARE(eval("Order.id[]", kOrder), std::string("[\"Q-1\"]"));
        QCOMPARE(eval("Order.id[0]", kOrder), std::string("\"Q-1\""));
        QCOMPARE(eval("Order[id='Q-1'].id", kOrder), std::string("\"Q-1\""));
        QCOMPARE(eval("Order{id: $count(lines)}", kOrder), std::string("{\"Q-1\":3}"));
        QCOMPARE(eval("Order.missing{id: 1}", kOrder), std::string("{}"));
        QCOMPARE(eval("Order.id{$: 1}", kOrder), std::string("{\"Q-1\":1}"));
        QCOMPARE(eval("Order.lines[0].sku[]", kOrder), std::string("[\"A\"]"));
        QCOMPARE(eval("Order.lines", kOrder).substr(0, 12), std::string("[{\"sku\":\"A\","));
        QCOMPARE(eval("$round(2.675, 2)"), std::string("2.68"));
        QCOMPARE(eval("$round(-0.5)"), std::string("0"));
        QCOMPARE(eval("$round(1234.5678, -2)"), std::string("1200"));
        QCOMPARE(eval("$round(12.345e100, 2)"), std::string("1.2345e+101"));
        QCOMPARE(eval("$split('a,,b,', ',')"), std::string("[\"a\",\"\",\"b\",\"\"]"));
        QCOMPARE(eval("$split('a--b', '-', 2)"), std::string("[\"a\",\"\"]"));
        QCOMPARE(eval("$split('aaa', 'aa')"), std::string("[\"\",\"a\"]"));
        QCOMPARE(eval("$split('h\u00e9llo w\u00f6rld', '\u00f6')"),
                 std::string("[\"h\u00e9llo w\",\"rld\"]"));
        for (int i = 0; i < 3; ++i) { // the analysed picture is reused
            QCOMPARE(eval("$fromMillis(1510067557121, '[Y0001]-[M01]-[D01] [H01]:[m01]')"),
                     std::string("\"2017-11-07 15:12\""));
            QCOMPARE(eval("$fromMillis(0, '[Y0001] [Q]')"),
                     std::string("error D3132"));
        }
        QCOMPARE(eval("$substring('Switchboard', 0, 6)"), std::string("\"Switch\""));
        QCOMPARE(eval("$sum([1, 2])"), std::string("3"));
        QCOMPARE(eval("$sum(1)"), std::string("1"));
    }

    void numberFormatting()
    {
        QCOMPARE(eval("0.1+0.2"), std::string("0.30000000000000004"));
        QCOMPARE(eval("10/2"), std::string("5"));
        QCOMPARE(eval("1e21"), std::string("1e+21"));
        QCOMPARE(eval("1e20"), std::string("100000000000000000000"));
        QCOMPARE(eval("0.0000001"), std::string("1e-7"));
        QCOMPARE(eval("$string(1/3)"), std::string("\"0.333333333333333\""));
        QCOMPARE(formatJsNumber(123456789.125), std::string("123456789.125"));
        QCOMPARE(formatJsNumber(-0.5), std::string("-0.5"));
    }

    void runawayRecursionIsBounded()
    {
        Expression ex = Expression::compile("($f := function($n){$n + $f($n+1)}; $f(0))");
        QVERIFY(ex.ok());
        EvalOptions opts;
        opts.maxDepth = 500;
        Result r = ex.evaluate(Value(), {}, opts);
        QVERIFY(!r.ok);
        QCOMPARE(r.error.code, std::string("U1001"));

        // an infinite tail-recursive loop is stopped by the time limit
        Expression loop = Expression::compile("($f := function($n){$f($n+1)}; $f(0))");
        opts.timeLimitMs = 200;
        QElapsedTimer t;
        t.start();
        Result r2 = loop.evaluate(Value(), {}, opts);
        QVERIFY(!r2.ok);
        QCOMPARE(r2.error.code, std::string("U1001"));
        QVERIFY(t.elapsed() < 5000);
    }

    void bindingsAndConcurrentEvaluation()
    {
        Expression ex = Expression::compile("$rate * Order.lines[0].qty");
        QVERIFY(ex.ok());
        Value input = json(kOrder);
        std::vector<std::thread> threads;
        std::atomic<int> good{0};
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&, t] {
                for (int i = 0; i < 200; ++i) {
                    Result r = ex.evaluate(input, {{"rate", Value::number(t + 1)}});
                    if (r.ok && r.value.num() == 2.0 * (t + 1))
                        ++good;
                }
            });
        }
        for (auto &th : threads)
            th.join();
        QCOMPARE(good.load(), 800);
    }

    void nlohmannInterop()
    {
        auto j = nlohmann::ordered_json::parse(R"({"b": [1, 2.5], "a": "x"})");
        Result r = Expression::compile("$").evaluate(j);
        QVERIFY(r.ok);
        QCOMPARE(toJson(r.value).dump(), std::string(R"({"b":[1,2.5],"a":"x"})"));
    }
};

QTEST_GUILESS_MAIN(TstJsonata)
#include "tst_jsonata.moc"
