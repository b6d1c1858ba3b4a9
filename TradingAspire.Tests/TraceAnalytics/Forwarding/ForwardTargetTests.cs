using TradingAspire.TraceAnalytics.Forwarding;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.TraceAnalytics.Forwarding;

/// <summary>The forwarding settings as a user writes them: endpoint, protocol (or its default) and headers.</summary>
[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class ForwardTargetTests
{
    private static ForwardTarget Parse(string endpoint, string? protocol = null, string? headers = null) =>
        ForwardTarget.Parse(new ForwardOptions { Endpoint = endpoint, Protocol = protocol, Headers = headers });

    [Theory]
    [InlineData("http://collector:4317", null, "grpc", "http://collector:4317/")]
    [InlineData("http://tempo:4318", null, "http/protobuf", "http://tempo:4318/v1/traces")]
    [InlineData("https://otlp.example:443/v1/traces", null, "http/protobuf", "https://otlp.example/v1/traces")]
    [InlineData("http://collector:4317", "http/protobuf", "http/protobuf", "http://collector:4317/v1/traces")]
    [InlineData("http://jaeger:4318/custom/traces", "http/protobuf", "http/protobuf", "http://jaeger:4318/custom/traces")]
    [InlineData("http://collector:9000", "GRPC", "grpc", "http://collector:9000/")]
    public void The_endpoint_and_protocol_say_where_and_how_to_send(string endpoint, string? protocol, string expectedProtocol, string expectedUrl)
    {
        var target = Parse(endpoint, protocol);

        Assert.Equal(expectedProtocol, target.ProtocolName);
        Assert.Equal(expectedUrl, target.Url.ToString());
    }

    [Fact]
    public void Headers_are_parsed_like_the_OpenTelemetry_exporters_variable_with_url_encoded_values()
    {
        var target = Parse("http://collector:4317", headers: " x-api-key = s3cr%3Dt , Authorization=Basic%20dXNlcg%3D%3D");

        Assert.Equal(
            [new("x-api-key", "s3cr=t"), new("authorization", "Basic dXNlcg==")],
            target.Headers);
    }

    [Fact]
    public void The_displayed_endpoint_hides_credentials_in_the_url()
    {
        var target = Parse("http://user:hunter2@collector:4318/v1/traces?token=abc");

        Assert.Equal("http://collector:4318/v1/traces", target.Display);
        Assert.DoesNotContain("hunter2", target.ToString());
    }

    [Fact]
    public void A_target_written_out_names_its_headers_count_never_their_values()
    {
        var target = Parse("http://collector:4317", headers: "x-api-key=s3cret");

        Assert.Equal("http://collector:4317/ (grpc, 1 headers)", target.ToString());
    }

    [Theory]
    [InlineData("collector:4317", null, null, "Endpoint")]
    [InlineData("ftp://collector:4317", null, null, "Endpoint")]
    [InlineData("http://collector:4317", "thrift", null, "Protocol")]
    [InlineData("http://collector:4317", null, "just-a-secret-token", "entry 1")]
    public void A_wrong_setting_is_named_and_a_header_value_is_never_echoed(string endpoint, string? protocol, string? headers, string named)
    {
        var error = Assert.Throws<FormatException>(() => Parse(endpoint, protocol, headers));

        Assert.Contains(named, error.Message);
        Assert.DoesNotContain("just-a-secret-token", error.Message);
    }
}
