using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CsCheck;
using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Trace.V1;
using TradingAspire.Tests.TraceAnalytics;
using TradingAspire.TraceAnalytics.Ingest;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.HostileInput;

/// <summary>
/// Generated hostile OTLP bodies POSTed to the real <c>/v1/traces</c> (the service on a loopback Kestrel, its
/// real DuckDB store): every answer is 200 (with partial_success when spans were refused) or 400 with a
/// reason, never a 5xx.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class OtlpHostileInputTests(TraceAnalyticsServerFixture fixture) : IClassFixture<TraceAnalyticsServerFixture>
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

    private async Task<HttpResponseMessage> PostAsync(byte[] body, string contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new(contentType);
        return await fixture.Server.Exporter.PostAsync(OtlpIngestEndpoints.TracesPath, content);
    }

    private static void Count(ConcurrentDictionary<string, int> outcomes, string outcome) => outcomes.AddOrUpdate(outcome, 1, (_, n) => n + 1);

    [Fact]
    public async Task Hostile_otlp_protobuf_is_stored_or_refused_with_a_reason_never_a_server_error()
    {
        var outcomes = new ConcurrentDictionary<string, int>();
        await Protobuf.SampleAsync(async body =>
        {
            using var response = await PostAsync(body, "application/x-protobuf");
            var answer = await response.Content.ReadAsByteArrayAsync();
            Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode} for {Convert.ToHexString(body)}");
            Assert.Equal("application/x-protobuf", response.Content.Headers.ContentType?.MediaType);
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK:
                    var partial = ExportTraceServiceResponse.Parser.ParseFrom(answer).PartialSuccess;
                    if (partial is { RejectedSpans: > 0 })
                    {
                        Assert.False(string.IsNullOrWhiteSpace(partial.ErrorMessage));
                        Count(outcomes, "200 with partial success");
                    }
                    else
                    {
                        Count(outcomes, "200");
                    }

                    break;
                case HttpStatusCode.BadRequest:
                    var status = Google.Rpc.Status.Parser.ParseFrom(answer);
                    Assert.Equal(3, status.Code);
                    Assert.False(string.IsNullOrWhiteSpace(status.Message));
                    Count(outcomes, "400 with reason");
                    break;
                default:
                    Assert.Fail($"unexpected {(int)response.StatusCode}");
                    break;
            }
        }, iter: 400, threads: 1);

        Assert.True(outcomes.GetValueOrDefault("400 with reason") > 0 && outcomes.Keys.Any(k => k.StartsWith("200", StringComparison.Ordinal)), Describe(outcomes));
        HostileInputReport.Append("OTLP/HTTP POST /v1/traces (protobuf)", outcomes.Values.Sum(), outcomes.Select(o => (o.Key, o.Value)));
    }

    [Fact]
    public async Task Hostile_otlp_json_is_stored_or_refused_with_a_reason_never_a_server_error()
    {
        var outcomes = new ConcurrentDictionary<string, int>();
        await Json.SampleAsync(async body =>
        {
            using var response = await PostAsync(body, "application/json");
            Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode} for {System.Text.Encoding.UTF8.GetString(body)}");
            var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK:
                    if (answer.TryGetProperty("partialSuccess", out var partial) && partial.TryGetProperty("rejectedSpans", out _))
                    {
                        Assert.False(string.IsNullOrWhiteSpace(partial.GetProperty("errorMessage").GetString()));
                        Count(outcomes, "200 with partial success");
                    }
                    else
                    {
                        Count(outcomes, "200");
                    }

                    break;
                case HttpStatusCode.BadRequest:
                    Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                    Assert.False(string.IsNullOrWhiteSpace(answer.GetProperty("detail").GetString()));
                    Assert.Matches("^[0-9a-f]{32}$", answer.GetProperty("traceId").GetString());
                    Count(outcomes, "400 with reason");
                    break;
                default:
                    Assert.Fail($"unexpected {(int)response.StatusCode}");
                    break;
            }
        }, iter: 200, threads: 1);

        Assert.True(outcomes.GetValueOrDefault("400 with reason") > 0, Describe(outcomes));
        HostileInputReport.Append("OTLP/HTTP POST /v1/traces (JSON)", outcomes.Values.Sum(), outcomes.Select(o => (o.Key, o.Value)));
    }

    private static string Describe(ConcurrentDictionary<string, int> outcomes) =>
        string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key}: {o.Value}"));
}
