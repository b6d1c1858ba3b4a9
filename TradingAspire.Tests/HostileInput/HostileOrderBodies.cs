using System.Text;
using System.Text.Json;
using CsCheck;

namespace TradingAspire.Tests.HostileInput;

/// <summary>Generated POST /orders bodies: wrong types, huge and tiny numbers, unicode, missing and unknown fields, broken JSON, oversized bodies.</summary>
public static class HostileOrderBodies
{
    private static readonly string[] Literals =
    [
        "null", "true", "false", "0", "-1", "-0.0", "1e400", "-1e400", "1e-400", "123456789012345678901234567890123",
        "0.000000001", "0.123456789", "79228162514264337593543950336", "[]", "{}", "[1,2,3]", "{\"a\":{\"b\":{\"c\":{}}}}",
        "\"\"", "\" \"", "\"NaN\"", "\"Infinity\"", "\"BUY\"", "\"sell\"", "\"LIMIT\"", "\"MARKET\"", "\"BTC-USD\"", "\"btc-usd\"",
        "\"LUNA-USD\"", "\"\\u0000\"", "\"💥📈\"", "\"DROP TABLE orders;--\"", "\"../../etc/passwd\"", "\"" + new string('x', 5000) + "\"",
    ];

    private static readonly string[] Fields = ["clientId", "symbol", "side", "type", "quantity", "limitPrice"];

    private static Gen<string> Value =>
        Gen.Frequency(
            (5, Gen.OneOf(Literals)),
            (2, Gen.String.Select(s => JsonSerializer.Serialize(s))),
            (2, Gen.Double.Where(double.IsFinite).Select(d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture))),
            (1, Gen.Long.Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture))));

    /// <summary>A body, and the client the request authenticates as (the body may name another).</summary>
    public static Gen<string> Body(string clientId) =>
        Gen.Frequency(
            (8, ObjectBody(clientId)),
            (1, Gen.OneOf("[1,2]", "\"order\"", "42", "null", "", "{", "{\"symbol\":", "{\"quantity\": NaN}", "{\"quantity\": 1,}")),
            (1, ObjectBody(clientId).Select(b => b + new string(' ', 20_000))),
            (1, ObjectBody(clientId).SelectMany(b => Gen.Int[0, Math.Max(0, b.Length - 1)].Select(cut => b[..cut]))));

    private static Gen<string> ObjectBody(string clientId) =>
        Gen.Select(
            Gen.Bool.Array[Fields.Length],
            Value.Array[Fields.Length],
            Gen.Bool,
            Gen.String[1, 20],
            (present, values, extra, extraName) =>
            {
                var body = new StringBuilder("{");
                var first = true;
                for (var i = 0; i < Fields.Length; i++)
                {
                    if (!present[i])
                    {
                        continue;
                    }

                    var value = Fields[i] == "clientId" && values[i] == "\"\"" ? JsonSerializer.Serialize(clientId) : values[i];
                    body.Append(first ? "" : ",").Append('"').Append(Fields[i]).Append("\":").Append(value);
                    first = false;
                }

                if (extra)
                {
                    body.Append(first ? "" : ",").Append(JsonSerializer.Serialize(extraName)).Append(":1");
                }

                return body.Append('}').ToString();
            });
}
