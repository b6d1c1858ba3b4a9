using CsCheck;
using Google.Protobuf;
using TradingAspire.Tests.TraceAnalytics;
using TradingAspire.TraceAnalytics.Otlp;

namespace TradingAspire.Tests.HostileInput;

public sealed class OtlpHostileInputTests
{
    private static readonly byte[] ValidProtobuf = OtlpRequests.OrderRequest().ToByteArray();

    /// <summary>Random bytes, and valid requests with bytes flipped, cut or appended.</summary>
    private static Gen<byte[]> Protobuf =>
        Gen.Frequency(
            (1, Gen.Byte.Array[0, 2000]),
            (3, Gen.Select(Gen.Int[0, ValidProtobuf.Length - 1], Gen.Byte, Gen.Int[0, 2], (at, value, how) =>
            {
                var bytes = ValidProtobuf.ToArray();
                return how switch
                {
                    0 => bytes.Select((b, i) => i == at ? value : b).ToArray(),
                    1 => bytes[..at],
                    _ => [.. bytes, value, value, value],
                };
            })));

    private static Gen<byte[]> Json =>
        Gen.OneOf(
            Gen.String.Select(s => System.Text.Encoding.UTF8.GetBytes(s)),
            Gen.Const(System.Text.Encoding.UTF8.GetBytes("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"zz\",\"spanId\":5}]}]}]}")),
            Gen.Const(System.Text.Encoding.UTF8.GetBytes("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"startTimeUnixNano\":\"-1\",\"endTimeUnixNano\":\"99999999999999999999999\"}]}]}]}")),
            Gen.Int[1, 5000].Select(n => System.Text.Encoding.UTF8.GetBytes(new string('[', n))));

    [Fact]
    public void Hostile_otlp_protobuf_is_decoded_or_refused_with_a_reason_never_an_exception()
    {
        var decoded = 0;
        var refused = 0;
        Protobuf.Sample(body =>
        {
            if (OtlpTraceDecoder.TryDecode(body, OtlpPayloadFormat.Protobuf, out var request, out var error))
            {
                decoded++;
                _ = OtlpSpanConverter.Convert(request); // bad ids become rejected spans, never an exception
            }
            else
            {
                refused++;
                Assert.False(string.IsNullOrWhiteSpace(error));
            }
        }, iter: 400, threads: 1);

        Assert.True(refused > 0 && decoded > 0);
        HostileInputReport.Append("OTLP/HTTP protobuf (decoder)", decoded + refused, [("decoded", decoded), ("400 with reason", refused)]);
    }

    [Fact]
    public void Hostile_otlp_json_is_decoded_or_refused_with_a_reason_never_an_exception()
    {
        var refused = 0;
        var total = 0;
        Json.Sample(body =>
        {
            total++;
            if (OtlpTraceDecoder.TryDecode(body, OtlpPayloadFormat.Json, out var request, out var error))
            {
                _ = OtlpSpanConverter.Convert(request);
            }
            else
            {
                refused++;
                Assert.False(string.IsNullOrWhiteSpace(error));
            }
        }, iter: 200, threads: 1);

        Assert.True(refused > 0);
        HostileInputReport.Append("OTLP/HTTP JSON (decoder)", total, [("decoded", total - refused), ("400 with reason", refused)]);
    }
}
