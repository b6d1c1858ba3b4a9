using TradingAspire.TraceAnalytics.Storage;
using Xunit;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.TraceAnalytics;

[Trait(TestCategory.Name, TestCategory.Unit)]
public class AttributeJsonTests
{
    [Fact]
    public void Shared_maps_in_turn_each_get_their_own_text_back()
    {
        var gateway = new Dictionary<string, string> { ["service.name"] = "gateway" };
        var risk = new Dictionary<string, string> { ["service.name"] = "risk", ["note"] = "say \"hi\"" };

        Assert.Equal("""{"service.name":"gateway"}""", AttributeJson.SerializeShared(gateway));
        Assert.Equal("""{"service.name":"gateway"}""", AttributeJson.SerializeShared(gateway));
        Assert.Equal("""{"service.name":"risk","note":"say \"hi\""}""", AttributeJson.SerializeShared(risk));
        Assert.Equal("""{"service.name":"gateway"}""", AttributeJson.SerializeShared(gateway));
        Assert.Equal(risk, AttributeJson.Deserialize(AttributeJson.SerializeShared(risk)));
    }

    [Fact]
    public void The_reused_writer_starts_each_map_afresh()
    {
        var longer = Enumerable.Range(0, 50).ToDictionary(i => $"key{i}", i => new string('x', i));
        var shorter = new Dictionary<string, string> { ["a"] = "b" };

        Assert.Equal(longer, AttributeJson.Deserialize(AttributeJson.Serialize(longer)));
        Assert.Equal("""{"a":"b"}""", AttributeJson.Serialize(shorter));
        Assert.Equal("{}", AttributeJson.Serialize(new Dictionary<string, string>()));
    }
}
